// The orders context's types for views (dashboard/): types only.
export type { Quote, QuoteGroup } from './checkout.ts';
export type { OrderDetail, OrderListQuery, OrderSummary } from './orders.ts';
export type { ActorKind, OrderAction } from './state.ts';
