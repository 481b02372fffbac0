export { GroupingPage } from './admin/Grouping.tsx';
export { AdminHomePage } from './admin/Home.tsx';
export { LiveRunPage, type LiveRunView } from './admin/LiveRun.tsx';
export { AdminLayout } from './admin/layout.tsx';
export { liveStylesheet } from './admin/live-assets.ts';
export { PaymentsAdminPage, type ProviderForm } from './admin/Payments.tsx';
export {
  type ManualProductFormValues,
  ManualProductPage,
  type Notice,
  NoticeBanner,
  overrideFormValues,
  ProductAdminPage,
  ProductsAdminPage,
} from './admin/Products.tsx';
export {
  type ChartSpec,
  chartsOf,
  groupedAmount,
  type RangePreset,
  ReportPage,
  type ReportRangeForm,
  ReportsIndexPage,
} from './admin/Reports.tsx';
export { type SettingField, type SettingGroupView, SettingsPage } from './admin/Settings.tsx';
export {
  type CommonRuleFields,
  type DiffLine,
  type PreviewView,
  type RuleIssue,
  RunStatus,
  type RunSummary,
  SitePage,
  type SiteRow,
  SitesPage,
  VersionDiffPage,
  type VersionRow,
} from './admin/Sites.tsx';
export { UsersPage, type UsersQuery } from './admin/Users.tsx';
export { anonymousPage, PageContext, type PageInfo } from './context.ts';
export { AccountPage, type AccountView } from './pages/Account.tsx';
export { AlertsPage } from './pages/Alerts.tsx';
export { ApiDocsPage } from './pages/ApiDocs.tsx';
export { type AuthFormState, LoginPage, RegisterPage } from './pages/Auth.tsx';
export { CartPage } from './pages/Cart.tsx';
export { CheckoutPage, type CheckoutView } from './pages/Checkout.tsx';
export { renderErrorPage } from './pages/Error.tsx';
export { HomePage } from './pages/Home.tsx';
export { ManageOrdersPage, MyOrdersPage, OrderPage, PayPage, TopUpQrPage } from './pages/Orders.tsx';
export { ProductPage } from './pages/Product.tsx';
export {
  type OfferExtras,
  ProductOffersPage,
  type ProductOffersView,
  WatchForm,
} from './pages/ProductOffers.tsx';
export { SearchPage } from './pages/Search.tsx';
export * from './promotions/index.ts';
export { scriptHref, scripts } from './scripts.ts';
export { favicon, stylesheet } from './style.ts';
export { searchInput } from './urls.ts';
