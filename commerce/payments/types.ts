// The payments context's types for views (dashboard/): types only.
export type { PublicPaymentConfig } from './configs.ts';
export type { WalletView } from './ledger.ts';
export type { PaymentLogView } from './log.ts';
export type { PaymentMethodView } from './methods.ts';
export type { PaymentView } from './payments.ts';
