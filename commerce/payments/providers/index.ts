export { AlipayProvider } from './alipay.ts';
export { fromMinorUnits, minorDigits, normaliseAmount, toMinorUnits } from './money.ts';
export type {
  AlipayCredentials,
  CreatePaymentInput,
  Exchange,
  ExchangeHook,
  NotificationAck,
  PaymentAction,
  PaymentProvider,
  PaymentQuery,
  ProviderFailure,
  ProviderName,
  RefundInput,
  RefundResult,
  VerifiedNotification,
  WechatCredentials,
} from './types.ts';
export { NotificationRejected, ProviderError } from './types.ts';
export { WechatPayProvider } from './wechatpay.ts';
