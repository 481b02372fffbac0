export {
  alipayConfigSchema,
  credentialsOf,
  listPaymentConfigs,
  type PublicPaymentConfig,
  providerNames,
  redirectOrigins,
  sandboxScanLink,
  setPaymentConfig,
  wechatConfigSchema,
} from './configs.ts';
export {
  accountCode,
  InsufficientFundsError,
  ledgerMismatches,
  ledgerTotals,
  postTransaction,
  type WalletView,
  walletBalance,
  walletsOf,
} from './ledger.ts';
export { listPaymentLogs, logExchange, type PaymentLogView } from './log.ts';
export {
  listPaymentMethods,
  methodUpdateSchema,
  type PaymentMethodView,
  updatePaymentMethod,
} from './methods.ts';
export {
  assertMethodEnabled,
  closeProviderPayment,
  completeRefund,
  findPayment,
  getPayment,
  type MethodCode,
  methodCodes,
  methodSchema,
  newTradeNo,
  type PaymentView,
  payFromBalance,
  paymentsOf,
  paymentView,
  processingRefunds,
  queryProviderPayment,
  type RefundOutcome,
  recordProviderPaid,
  refundablePaymentsOf,
  refundedForOrder,
  refundPayment,
  type SettledPayment,
  startProviderPayment,
  verifyNotification,
} from './payments.ts';
export {
  NotificationRejected,
  type PaymentAction,
  ProviderError,
  type ProviderName,
} from './providers/types.ts';
export { providerFor } from './registry.ts';
export { developmentKeyPath } from './secrets.ts';
