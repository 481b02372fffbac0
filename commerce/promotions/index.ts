export {
  type CouponCodeView,
  claimableCoupons,
  claimCoupon,
  couponCodeSchema,
  couponIssueSchema,
  issueCoupons,
  listCouponCodes,
  type MyCoupon,
  myCoupons,
  normaliseCode,
} from './coupons.ts';
export {
  type AppliedSource,
  type Breakdown,
  type BreakdownLine,
  type EngineInput,
  type EngineLine,
  type EnginePromotion,
  evaluate,
  type NotApplied,
} from './engine.ts';
export {
  type FlashReservationView,
  type FlashSaleState,
  flashSaleState,
  heldReservations,
  lapseDueReservations,
  lapseReservation,
  loadFlashSale,
  releaseFlashUnits,
  releaseOrderFlashUnits,
  reserveFlash,
  sweepFlashSales,
} from './flash.ts';
export {
  dueGroups,
  failGroupIfDue,
  type GroupBuyView,
  groupOfOrder,
  groupView,
  joinGroupBuy,
  openGroups,
} from './groups.ts';
export { type PricingContext, pricingContext } from './pricing.ts';
export {
  changePromotionStatus,
  createPromotion,
  getPromotion,
  listPromotions,
  type PromotionListQuery,
  type PromotionStats,
  type PromotionView,
  promotionListSchema,
  promotionsForListing,
  type StatusAction,
  syncPromotionStatuses,
  updatePromotion,
} from './promotions.ts';
export {
  type PromotionInput,
  type PromotionStatus,
  type PromotionType,
  promotionInputSchema,
  promotionStatuses,
  promotionTypes,
  typeNames,
} from './terms.ts';
export { schedulePromotionSweep } from './timers.ts';
export {
  claimForCheckout,
  type OrderClaim,
  promotionsOnCancelled,
  promotionsOnPaid,
  shipmentHold,
} from './usage.ts';
export { statusAt } from './window.ts';
