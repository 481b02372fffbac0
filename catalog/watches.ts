/**
 * Price watches: a shopper asks to hear when a product's best in-stock offer falls below their
 * price. The database raises the alert as the product's search document changes (whatever
 * changed it: a crawl, an override), so no price change is missed between processes; an alert
 * is shown in the shopper's account and, when they gave a webhook, POSTed there by the webhooks
 * worker (workers/webhooks.ts), which reads pending alerts as an outbox.
 */
import { z } from 'zod';
import { db, Prisma } from '../core/db/index.ts';
import { NotFoundError } from '../core/errors.ts';
import { formatDecimal } from './search.ts';

/** A webhook address as typed: https only, no credentials, a host name or address, bounded. */
export const webhookUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' && !url.username && !url.password && url.hostname.length > 0;
    } catch {
      return false;
    }
  }, 'must be an https:// URL without user name or password');

export const watchInputSchema = z.object({
  maxPrice: z
    .string()
    .trim()
    .regex(/^\d{1,10}(\.\d{1,4})?$/, 'must be an amount such as 49.90')
    .refine((v) => Number(v) > 0, 'must be more than zero'),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'must be a three-letter currency code'),
  webhookUrl: z.union([webhookUrlSchema, z.literal('').transform(() => undefined)]).optional(),
});
export type WatchInput = z.infer<typeof watchInputSchema>;

export interface WatchView {
  id: string;
  catalogProductId: string;
  title: string | null;
  maxPrice: string;
  currency: string;
  webhookUrl: string | null;
  createdAt: Date;
}

export interface AlertView {
  id: string;
  catalogProductId: string;
  productId: string;
  title: string;
  site: string;
  price: string;
  currency: string;
  createdAt: Date;
  readAt: Date | null;
  webhookStatus: string | null;
}

/**
 * Watches a product (or changes the watch). `assertWebhook` is the caller's check that the
 * webhook's host is public (the API passes the crawler's network guard); delivery checks again.
 */
export async function watchProduct(
  userId: string,
  catalogProductId: string,
  input: unknown,
  assertWebhook: (url: string) => Promise<void>,
): Promise<WatchView> {
  const parsed = watchInputSchema.parse(input);
  if (!z.uuid().safeParse(catalogProductId).success) throw new NotFoundError('no such product');
  const product = await db().catalogProduct.findUnique({
    where: { id: catalogProductId },
    select: { id: true },
  });
  if (!product) throw new NotFoundError('no such product');
  if (parsed.webhookUrl) await assertWebhook(parsed.webhookUrl);
  const data = {
    maxPrice: new Prisma.Decimal(parsed.maxPrice),
    currency: parsed.currency,
    webhookUrl: parsed.webhookUrl ?? null,
    lastAlertPrice: null,
  };
  const watch = await db().productWatch.upsert({
    where: { userId_catalogProductId: { userId, catalogProductId } },
    create: { userId, catalogProductId, ...data },
    update: data,
  });
  // An offer already below the price alerts now.
  await db().$executeRaw`SELECT trawl_check_watches(ARRAY[${catalogProductId}::uuid])`;
  return view(watch, null);
}

export async function unwatchProduct(userId: string, catalogProductId: string): Promise<void> {
  if (!z.uuid().safeParse(catalogProductId).success) return;
  await db().productWatch.deleteMany({ where: { userId, catalogProductId } });
}

export async function getWatch(userId: string, catalogProductId: string): Promise<WatchView | null> {
  if (!z.uuid().safeParse(catalogProductId).success) return null;
  const watch = await db().productWatch.findUnique({
    where: { userId_catalogProductId: { userId, catalogProductId } },
  });
  return watch ? view(watch, null) : null;
}

export async function listWatches(userId: string): Promise<WatchView[]> {
  const watches = await db().productWatch.findMany({
    where: { userId },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    include: { catalogProduct: { select: { document: { select: { title: true } } } } },
  });
  return watches.map((w) => view(w, w.catalogProduct.document?.title ?? null));
}

export async function listAlerts(userId: string, limit = 50): Promise<AlertView[]> {
  const alerts = await db().priceAlert.findMany({
    where: { userId },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: limit,
  });
  return alerts.map((a) => ({
    id: a.id,
    catalogProductId: a.catalogProductId,
    productId: a.productId,
    title: a.title,
    site: a.site,
    price: formatDecimal(a.price),
    currency: a.currency.trim(),
    createdAt: a.createdAt,
    readAt: a.readAt,
    webhookStatus: a.webhookStatus,
  }));
}

export async function markAlertsRead(userId: string): Promise<number> {
  const { count } = await db().priceAlert.updateMany({
    where: { userId, readAt: null },
    data: { readAt: new Date() },
  });
  return count;
}

function view(
  w: {
    id: string;
    catalogProductId: string;
    maxPrice: Prisma.Decimal;
    currency: string;
    webhookUrl: string | null;
    createdAt: Date;
  },
  title: string | null,
): WatchView {
  return {
    id: w.id,
    catalogProductId: w.catalogProductId,
    title,
    maxPrice: formatDecimal(w.maxPrice),
    currency: w.currency.trim(),
    webhookUrl: w.webhookUrl,
    createdAt: w.createdAt,
  };
}

/** A webhook delivery that is due: what to POST and where. */
export interface DueWebhook {
  alertId: string;
  url: string;
  attempts: number;
  body: {
    event: 'price_alert';
    alertId: string;
    productId: string;
    offerId: string;
    title: string;
    shop: string;
    price: string;
    currency: string;
    createdAt: string;
  };
}

/** After this many failed attempts an alert's webhook is given up ("failed"). */
export const WEBHOOK_ATTEMPTS = 5;

/**
 * Claims up to `limit` due webhook deliveries (other workers skip them) by pushing their next
 * attempt a minute ahead: a worker that dies mid-delivery leaves them due again then.
 */
export async function claimDueWebhooks(limit = 20): Promise<DueWebhook[]> {
  const rows = await db().$queryRaw<
    Array<{
      id: string;
      url: string;
      attempts: number;
      catalog_product_id: string;
      product_id: string;
      title: string;
      site: string;
      price: Prisma.Decimal;
      currency: string;
      created_at: Date;
    }>
  >`
    WITH due AS (
      SELECT a.id FROM price_alert a
      WHERE a.webhook_status = 'pending' AND a.webhook_next_at <= now()
      ORDER BY a.webhook_next_at, a.id LIMIT ${limit} FOR UPDATE SKIP LOCKED
    )
    UPDATE price_alert a SET webhook_next_at = now() + interval '1 minute'
    FROM due, product_watch w WHERE a.id = due.id AND w.id = a.watch_id AND w.webhook_url IS NOT NULL
    RETURNING a.id, w.webhook_url AS url, a.webhook_attempts AS attempts, a.catalog_product_id,
      a.product_id, a.title, a.site, a.price, a.currency, a.created_at`;
  return rows.map((r) => ({
    alertId: r.id,
    url: r.url,
    attempts: r.attempts,
    body: {
      event: 'price_alert',
      alertId: r.id,
      productId: r.catalog_product_id,
      offerId: r.product_id,
      title: r.title,
      shop: r.site,
      price: formatDecimal(r.price),
      currency: r.currency.trim(),
      createdAt: r.created_at.toISOString(),
    },
  }));
}

/** Records a delivery's outcome: delivered, refused (never retried), or failed (retried with backoff). */
export async function settleWebhook(
  alertId: string,
  outcome: 'delivered' | 'refused' | 'failed',
  attempts: number,
): Promise<void> {
  const tried = attempts + 1;
  if (outcome === 'failed' && tried < WEBHOOK_ATTEMPTS) {
    await db().priceAlert.update({
      where: { id: alertId },
      data: { webhookAttempts: tried, webhookNextAt: new Date(Date.now() + 2 ** tried * 15_000) },
    });
    return;
  }
  await db().priceAlert.update({
    where: { id: alertId },
    data: { webhookAttempts: tried, webhookStatus: outcome, webhookNextAt: null },
  });
}
