import { requireCredentials } from './configs.ts';
import { logExchange } from './log.ts';
import { AlipayProvider, WechatPayProvider } from './providers/index.ts';
import type {
  AlipayCredentials,
  PaymentProvider,
  ProviderName,
  WechatCredentials,
} from './providers/types.ts';

/**
 * A provider client built from the stored configuration, whose every exchange with the gateway
 * goes to the payment log under the given payment order. Built per use: the configuration may
 * have changed (an admin rotated a key) and decrypting it is cheap next to a gateway call.
 */
export async function providerFor(
  name: ProviderName,
  paymentOrderId: string | null,
): Promise<PaymentProvider> {
  const { credentials } = await requireCredentials(name);
  const hook = (exchange: Parameters<typeof logExchange>[1]) => {
    void logExchange(name, exchange, { paymentOrderId });
  };
  return name === 'alipay'
    ? new AlipayProvider(credentials as AlipayCredentials, hook)
    : new WechatPayProvider(credentials as WechatCredentials, hook);
}
