export { GroupingPage } from './admin/Grouping.tsx';
export { AdminLayout } from './admin/layout.tsx';
export {
  type ManualProductFormValues,
  ManualProductPage,
  type Notice,
  NoticeBanner,
  overrideFormValues,
  ProductAdminPage,
  ProductsAdminPage,
} from './admin/Products.tsx';
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
export { scripts } from './scripts.ts';
export { favicon, stylesheet } from './style.ts';
export { searchInput } from './urls.ts';
