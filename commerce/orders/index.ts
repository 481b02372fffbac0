export {
  groupKey,
  type PlacedCheckout,
  placeInputSchema,
  placeOrders,
  type Quote,
  type QuoteGroup,
  quoteCheckout,
  quoteInputSchema,
} from './checkout.ts';
export { lineRefundSchema, refundLines } from './effects.ts';
export { orderEventStream, relayOrderEvents } from './events.ts';
export {
  actOnOrder,
  cancelIfUnpaid,
  completeIfDelivered,
  handlePaymentNotification,
  type PayOutcome,
  payInputSchema,
  payOrder,
  settleDueGroupBuys,
  settleGroupBuy,
  settleProviderPayment,
  sweepOrders,
  syncOpenTopUps,
  syncPayment,
} from './flow.ts';
export {
  actionInputSchema,
  actorKindFor,
  checkoutSiblingAwaitingPayment,
  getOrderByNumber,
  getOrderFor,
  listOrders,
  type OrderDetail,
  type OrderListQuery,
  type OrderSummary,
  orderListSchema,
  orderNumberOf,
} from './orders.ts';
export {
  type ActorKind,
  allowedActions,
  type OrderAction,
  orderActions,
  transitionFor,
  transitions,
} from './state.ts';
export { scheduleOrderSweep } from './timers.ts';
