// The promotions context's types for views (dashboard/): types only.
export type { CouponCodeView, MyCoupon } from './coupons.ts';
export type { AppliedSource, Breakdown, BreakdownLine, NotApplied } from './engine.ts';
export type { FlashSaleState } from './flash.ts';
export type { GroupBuyView } from './groups.ts';
export type { PromotionListQuery, PromotionStats, PromotionView } from './promotions.ts';
export type { PromotionStatus, PromotionType } from './terms.ts';
