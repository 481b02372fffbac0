// The shipping context's types for views (dashboard/): types only.
export type { MerchantProfileView, ShippingMethodView } from './methods.ts';
