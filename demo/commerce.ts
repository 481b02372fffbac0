import { addAddress, listAddresses } from '../commerce/accounts/index.ts';
import { setPaymentConfig } from '../commerce/payments/index.ts';
import { createShippingMethod, listShippingMethods, setMerchantProfile } from '../commerce/shipping/index.ts';
import {
  type AlipaySandbox,
  startAlipaySandbox,
  startWechatPaySandbox,
  type WechatPaySandbox,
} from './sandboxes/index.ts';

export interface PaymentSandboxes {
  alipay: AlipaySandbox;
  wechat: WechatPaySandbox;
  close(): Promise<void>;
}

/**
 * Starts the Alipay and WeChat Pay sandboxes and configures Trawl to pay through them, their
 * fresh keys stored like real ones (secrets encrypted). The pay page links to each sandbox's
 * scan page, which stands in for a phone scanning the QR code.
 */
export async function startPaymentSandboxes(options: { host?: string } = {}): Promise<PaymentSandboxes> {
  const host = options.host ?? '127.0.0.1';
  const [alipay, wechat] = await Promise.all([startAlipaySandbox({ host }), startWechatPaySandbox({ host })]);
  await setPaymentConfig('alipay', { ...alipay.credentials, sandboxScanUrl: `${alipay.url}/scan` });
  await setPaymentConfig('wechat', { ...wechat.credentials, sandboxScanUrl: `${wechat.url}/scan` });
  return { alipay, wechat, close: async () => void (await Promise.all([alipay.close(), wechat.close()])) };
}

/** Shipping for a demo merchant: express, logistics and same-city in each currency it sells in. */
export async function setUpDemoMerchant(
  merchantId: string,
  options: { name?: string; currencies?: string[] } = {},
): Promise<void> {
  await setMerchantProfile(merchantId, {
    displayName: options.name ?? 'Trawl Demo Shop',
    defaultWeightG: 800,
    originCity: 'Shanghai',
    originCountry: 'CN',
    originLat: 31.2304,
    originLng: 121.4737,
  });
  if ((await listShippingMethods(merchantId)).length > 0) return;
  for (const currency of options.currencies ?? ['EUR', 'GBP', 'USD', 'CNY']) {
    await createShippingMethod(merchantId, {
      kind: 'express',
      name: 'Express courier',
      currency,
      rules: { firstWeightG: 1000, firstFee: '8.00', additionalWeightG: 500, additionalFee: '2.50' },
      freeOver: '150.00',
      sortOrder: 1,
    });
    await createShippingMethod(merchantId, {
      kind: 'logistics',
      name: 'Standard parcel',
      currency,
      rules: {
        tiers: [
          { upToG: 2000, fee: '4.90' },
          { upToG: 10000, fee: '9.90' },
          { upToG: 30000, fee: '19.90' },
        ],
      },
      sortOrder: 2,
    });
    await createShippingMethod(merchantId, {
      kind: 'same_city',
      name: 'Same-day in Shanghai',
      currency,
      rules: { radiusKm: 25, country: 'CN', baseFee: '6.00', perKmFee: '0.50' },
      sortOrder: 3,
    });
  }
}

/** A delivery address for a demo shopper, in the demo merchant's city (same-city delivery reaches it). */
export async function setUpDemoShopper(userId: string): Promise<void> {
  if ((await listAddresses(userId)).length > 0) return;
  await addAddress(userId, {
    recipient: 'Li Wei',
    phone: '+86 138 0013 8000',
    line1: '88 Nanjing East Road',
    city: 'Shanghai',
    postalCode: '200001',
    country: 'CN',
    latitude: 31.2397,
    longitude: 121.4998,
  });
}
