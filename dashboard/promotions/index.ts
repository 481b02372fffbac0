export {
  MembershipAdminPage,
  type MembershipAdminView,
  PromotionFormPage,
  type PromotionFormView,
  PromotionsListPage,
  promotionFormValues,
  ReviewsAdminPage,
} from './admin.tsx';
export { BreakdownTable, Meter, Stars } from './components.tsx';
export { ReviewFormPage, type ReviewFormView } from './review-form.tsx';
export {
  type ListingPromotions,
  type ListingReviews,
  MembershipSection,
  type MembershipView,
} from './storefront.tsx';
