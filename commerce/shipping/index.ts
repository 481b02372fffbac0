export {
  createShippingMethod,
  deleteShippingMethod,
  getMerchantProfile,
  listShippingMethods,
  type MerchantProfileView,
  methodInputSchema,
  profileInputSchema,
  type ShippingMethodView,
  type ShippingOption,
  setMerchantProfile,
  shippingOptions,
  updateShippingMethod,
} from './methods.ts';
export {
  distanceKm,
  feeFor,
  type Parcel,
  type ShippingKindName,
  shippingFee,
  shippingKinds,
} from './rules.ts';
