import { createPrivateKey, createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { db, type Prisma } from '../../core/db/index.ts';
import { NotFoundError } from '../../core/errors.ts';
import type { AlipayCredentials, ProviderName, WechatCredentials } from './providers/types.ts';
import { decryptSecrets, encryptSecrets } from './secrets.ts';

const privatePem = z
  .string()
  .max(10_000)
  .refine((pem) => {
    try {
      createPrivateKey(pem);
      return true;
    } catch {
      return false;
    }
  }, 'must be a PEM private key');
const publicPem = z
  .string()
  .max(10_000)
  .refine((pem) => {
    try {
      createPublicKey(pem);
      return true;
    } catch {
      return false;
    }
  }, 'must be a PEM public key');

/** Providers are reached over https; plain http only on loopback (the sandboxes). */
const httpsOrLoopback = z
  .url()
  .refine(
    (url) => /^https:\/\//.test(url) || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(url),
    'must be an https URL',
  );

export const alipayConfigSchema = z
  .object({
    appId: z.string().trim().min(1).max(64),
    gateway: httpsOrLoopback,
    alipayPublicKey: publicPem,
    privateKey: privatePem,
    /** Sandbox only: its page that stands in for scanning a QR code (the pay page links to it). */
    sandboxScanUrl: httpsOrLoopback.optional(),
  })
  .strict();

export const wechatConfigSchema = z
  .object({
    mchId: z.string().trim().min(1).max(32),
    appId: z.string().trim().min(1).max(64),
    serialNo: z.string().trim().min(1).max(64),
    baseUrl: httpsOrLoopback,
    platformPublicKey: publicPem,
    platformPublicKeyId: z.string().trim().min(1).max(100),
    privateKey: privatePem,
    apiV3Key: z.string().length(32, 'the APIv3 key is 32 characters'),
    sandboxScanUrl: httpsOrLoopback.optional(),
  })
  .strict();

/** Which fields are secrets (stored encrypted, never returned). */
const SECRET_FIELDS: Record<ProviderName, readonly string[]> = {
  alipay: ['privateKey'],
  wechat: ['privateKey', 'apiV3Key'],
};

export interface PublicPaymentConfig {
  provider: ProviderName;
  appId: string;
  settings: Record<string, string>;
  /** Names of the secrets that are set; their values never leave the service. */
  secretsSet: string[];
  updatedAt: Date;
}

export const providerNames: readonly ProviderName[] = ['alipay', 'wechat'];

function split(provider: ProviderName, input: Record<string, string>) {
  const secrets: Record<string, string> = {};
  const settings: Record<string, string> = {};
  for (const [name, value] of Object.entries(input)) {
    if (SECRET_FIELDS[provider].includes(name)) secrets[name] = value;
    else settings[name] = value;
  }
  return { secrets, settings };
}

/** Stores a provider's configuration; its secrets are encrypted before they reach the database. */
export async function setPaymentConfig(provider: ProviderName, input: unknown): Promise<PublicPaymentConfig> {
  // A secret left out (or empty) keeps the stored one: a form never has to show a key to save.
  const given =
    typeof input === 'object' && input !== null && !Array.isArray(input)
      ? { ...(input as Record<string, unknown>) }
      : input;
  if (typeof given === 'object' && given !== null && !Array.isArray(given)) {
    const fields = given as Record<string, unknown>;
    const missing = SECRET_FIELDS[provider].filter(
      (name) => fields[name] === undefined || fields[name] === '',
    );
    if (missing.length > 0) {
      const row = await db().paymentConfig.findUnique({ where: { provider }, select: { secrets: true } });
      const stored = row ? decryptSecrets(row.secrets) : {};
      for (const name of missing) {
        if (stored[name] !== undefined) fields[name] = stored[name];
        else delete fields[name];
      }
    }
  }
  const data: Record<string, string> =
    provider === 'alipay' ? alipayConfigSchema.parse(given) : wechatConfigSchema.parse(given);
  const { secrets, settings } = split(provider, data);
  const row = await db().paymentConfig.upsert({
    where: { provider },
    create: { provider, appId: data.appId!, settings, secrets: encryptSecrets(secrets) },
    update: { appId: data.appId!, settings, secrets: encryptSecrets(secrets) },
  });
  return publicView(row);
}

function publicView(row: Prisma.PaymentConfigGetPayload<object>): PublicPaymentConfig {
  return {
    provider: row.provider as ProviderName,
    appId: row.appId,
    settings: row.settings as Record<string, string>,
    secretsSet: [...SECRET_FIELDS[row.provider as ProviderName]],
    updatedAt: row.updatedAt,
  };
}

export async function listPaymentConfigs(): Promise<PublicPaymentConfig[]> {
  return (await db().paymentConfig.findMany({ orderBy: { provider: 'asc' } })).map(publicView);
}

/** The provider's credentials in the clear, for the provider client only; null when not configured. */
export async function credentialsOf(
  provider: ProviderName,
): Promise<{ credentials: AlipayCredentials | WechatCredentials; updatedAt: Date } | null> {
  const row = await db().paymentConfig.findUnique({ where: { provider } });
  if (!row) return null;
  const merged = { ...(row.settings as Record<string, string>), ...decryptSecrets(row.secrets) };
  const credentials =
    provider === 'alipay' ? alipayConfigSchema.parse(merged) : wechatConfigSchema.parse(merged);
  return { credentials, updatedAt: row.updatedAt };
}

export async function requireCredentials(provider: ProviderName) {
  const found = await credentialsOf(provider);
  if (!found) throw new NotFoundError(`${provider} is not configured`);
  return found;
}

/** The sandbox page that stands in for scanning this code, when the provider is a sandbox. */
export async function sandboxScanLink(provider: ProviderName, code: string): Promise<string | null> {
  const row = await db().paymentConfig.findUnique({ where: { provider }, select: { settings: true } });
  const base = (row?.settings as Record<string, string> | undefined)?.sandboxScanUrl;
  return base ? `${base}?code=${encodeURIComponent(code)}` : null;
}

/** Where a shopper's browser is sent to pay (Alipay's cashier), for the pay page's form-action policy. */
export async function redirectOrigins(): Promise<string[]> {
  const rows = await db().paymentConfig.findMany({ select: { provider: true, settings: true } });
  const origins: string[] = [];
  for (const row of rows) {
    const settings = row.settings as Record<string, string>;
    const url = row.provider === 'alipay' ? settings.gateway : undefined;
    if (url) origins.push(new URL(url).origin);
  }
  return origins;
}
