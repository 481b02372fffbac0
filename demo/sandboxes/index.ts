export type {
  AlipayForgery,
  AlipayResponseTampering,
  AlipaySandbox,
  AlipaySandboxOptions,
  AlipaySandboxTrade,
} from './alipay.ts';
export { startAlipaySandbox } from './alipay.ts';
export type { Delivery } from './notifier.ts';
export type {
  WechatForgery,
  WechatPaySandbox,
  WechatPaySandboxOptions,
  WechatPaySandboxTrade,
  WechatResponseTampering,
} from './wechatpay.ts';
export { startWechatPaySandbox } from './wechatpay.ts';
