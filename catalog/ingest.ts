import { createHash } from 'node:crypto';
import { db } from '../core/db/index.ts';
import type { NormalisedProduct } from '../core/product.ts';

export interface ProductWrite {
  siteId: string;
  runId: string | null;
  product: NormalisedProduct;
}

export interface WriteOutcome {
  inserted: number;
  updated: number;
  unchanged: number;
  observations: number;
  /** New and changed products per crawl run, for run counters. */
  byRun: Map<string, { inserted: number; updated: number }>;
}

/** Hash of everything stored about a product: equal hashes mean nothing changed. */
export function contentHash(product: NormalisedProduct): string {
  return createHash('sha1').update(JSON.stringify(product)).digest('base64url');
}

/**
 * Upserts a batch of products in one statement and appends a price observation for every
 * product that is new or whose price, currency or availability changed. Idempotent: the
 * same batch twice inserts nothing and observes nothing. A per-site advisory lock makes
 * concurrent batches of one site take turns, so "changed" is judged against committed data.
 */
export async function writeProducts(writes: ProductWrite[]): Promise<WriteOutcome> {
  if (writes.length === 0)
    return { inserted: 0, updated: 0, unchanged: 0, observations: 0, byRun: new Map() };
  // The same page twice in one batch: keep the last (ON CONFLICT cannot touch a row twice).
  const byKey = new Map<string, ProductWrite>();
  for (const write of writes) byKey.set(`${write.siteId} ${write.product.url}`, write);
  const rows = [...byKey.values()].map(({ siteId, runId, product }) => ({
    site_id: siteId,
    run_id: runId,
    url: product.url,
    title: product.title,
    description: product.description,
    brand: product.brand,
    sku: product.sku,
    gtin: product.gtin,
    images: product.images,
    category_path: product.categoryPath,
    attributes: product.attributes,
    availability: product.availability,
    price: product.price,
    currency: product.currency,
    content_hash: contentHash(product),
  }));
  const siteIds = [...new Set(rows.map((r) => r.site_id))].sort();
  const payload = JSON.stringify(rows);

  return retryOnDeadlock(() => writeBatch(siteIds, payload));
}

/** Postgres's deadlock and serialization failures: the transaction did nothing and may run again. */
function isRetryable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 'P2034' || code === '40P01' || code === '40001') return true;
    if (/deadlock detected|TransactionWriteConflict|could not serialize/i.test(e.message)) return true;
    const meta = (e as { meta?: { driverAdapterError?: unknown } }).meta;
    if (meta?.driverAdapterError && isRetryable(meta.driverAdapterError)) return true;
  }
  return false;
}

/**
 * Concurrent batches of different shops share catalog products and words; locks are taken in one
 * order to avoid deadlocks, and the rare one left (Postgres picks a victim) is retried.
 */
async function retryOnDeadlock<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 50));
    }
  }
}

function writeBatch(siteIds: string[], payload: string): Promise<WriteOutcome> {
  return db().$transaction(async (tx) => {
    for (const siteId of siteIds) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${siteId}))`;
    }
    const results = await tx.$queryRaw<
      Array<{
        run_id: string | null;
        inserted: number;
        updated: number;
        unchanged: number;
        observations: number;
      }>
    >`
      WITH input AS (
        SELECT * FROM jsonb_to_recordset(${payload}::jsonb) AS x(
          site_id uuid, run_id uuid, url text, title text, description text, brand text, sku text,
          gtin text, images text[], category_path text[], attributes jsonb, availability "Availability",
          price numeric, currency text, content_hash text)
      ),
      old AS (
        SELECT p.id, p.site_id, p.url, p.price, p.currency, p.availability, p.content_hash, p.gone_at
        FROM product p JOIN input i ON p.site_id = i.site_id AND p.url = i.url
      ),
      up AS (
        INSERT INTO product AS p (
          id, site_id, url, title, description, brand, sku, gtin, images, category_path, category,
          attributes, availability, price, currency, content_hash, first_seen_at, last_seen_at,
          updated_at, last_run_id)
        SELECT gen_random_uuid(), site_id, url, title, description, brand, sku, gtin,
          coalesce(images, '{}'), coalesce(category_path, '{}'), category_path[1],
          coalesce(attributes, '{}'), availability, price, currency, content_hash, now(), now(), now(), run_id
        FROM input
        ON CONFLICT (site_id, url) DO UPDATE SET
          title = EXCLUDED.title, description = EXCLUDED.description, brand = EXCLUDED.brand,
          sku = EXCLUDED.sku, gtin = EXCLUDED.gtin, images = EXCLUDED.images,
          category_path = EXCLUDED.category_path, category = EXCLUDED.category,
          attributes = EXCLUDED.attributes, availability = EXCLUDED.availability,
          price = EXCLUDED.price, currency = EXCLUDED.currency, content_hash = EXCLUDED.content_hash,
          updated_at = CASE WHEN p.content_hash = EXCLUDED.content_hash THEN p.updated_at ELSE now() END,
          last_seen_at = now(), last_run_id = EXCLUDED.last_run_id, gone_at = NULL
        RETURNING p.id, p.site_id, p.url, p.price, p.currency, p.availability, p.content_hash
      ),
      judged AS (
        SELECT up.*, i.run_id, old.id IS NULL AS is_new,
          old.price AS old_price, old.currency AS old_currency, old.availability AS old_availability,
          old.gone_at IS NOT NULL AS is_returned,
          old.id IS NOT NULL AND old.content_hash <> up.content_hash AS is_changed,
          old.id IS NULL OR old.price IS DISTINCT FROM up.price OR old.currency IS DISTINCT FROM up.currency
            OR old.availability IS DISTINCT FROM up.availability AS observe
        FROM up
        JOIN input i ON i.site_id = up.site_id AND i.url = up.url
        LEFT JOIN old ON old.site_id = up.site_id AND old.url = up.url
      ),
      obs AS (
        INSERT INTO price_observation (product_id, price, currency, availability, run_id, observed_at)
        SELECT id, price, currency, availability, run_id, now() FROM judged WHERE observe
        RETURNING 1
      ),
      events AS (
        INSERT INTO product_event (
          product_id, run_id, kind, old_price, new_price, old_currency, new_currency, old_availability, new_availability)
        SELECT id, run_id, kind::"ProductEventKind", old_price, price, old_currency, currency, old_availability, availability
        FROM judged, LATERAL (VALUES
          (CASE WHEN is_new THEN 'new' END),
          (CASE WHEN NOT is_new AND (old_price IS DISTINCT FROM price OR old_currency IS DISTINCT FROM currency)
            THEN 'price_changed' END),
          (CASE WHEN NOT is_new AND old_availability IS DISTINCT FROM availability THEN 'availability_changed' END),
          (CASE WHEN is_returned THEN 'returned' END)
        ) AS e(kind)
        WHERE kind IS NOT NULL
        RETURNING 1
      )
      SELECT run_id::text AS run_id,
        count(*) FILTER (WHERE is_new)::int AS inserted,
        count(*) FILTER (WHERE is_changed)::int AS updated,
        count(*) FILTER (WHERE NOT is_new AND NOT is_changed)::int AS unchanged,
        (SELECT count(*) FROM obs)::int AS observations,
        (SELECT count(*) FROM events)::int AS events
      FROM judged GROUP BY run_id`;
    const byRun = new Map<string, { inserted: number; updated: number }>();
    const outcome = { inserted: 0, updated: 0, unchanged: 0, observations: 0 };
    for (const row of results) {
      if (row.run_id) byRun.set(row.run_id, { inserted: row.inserted, updated: row.updated });
      outcome.inserted += row.inserted;
      outcome.updated += row.updated;
      outcome.unchanged += row.unchanged;
      outcome.observations = row.observations;
    }
    // Search documents and catalog words follow through the product triggers (search_documents migration).
    return {
      inserted: outcome.inserted,
      updated: outcome.updated,
      unchanged: outcome.unchanged,
      observations: outcome.observations,
      byRun,
    };
  });
}

/** Marks products whose pages answered 304 Not Modified as seen in the run (nothing else changes). */
export async function touchProducts(
  touches: Array<{ siteId: string; runId: string; productUrls: string[] }>,
): Promise<number> {
  if (touches.length === 0) return 0;
  const payload = JSON.stringify(
    touches.map((t) => ({ site_id: t.siteId, run_id: t.runId, urls: t.productUrls })),
  );
  const [row] = await db().$queryRaw<Array<{ touched: number }>>`
    WITH t AS (SELECT * FROM jsonb_to_recordset(${payload}::jsonb) AS t(site_id uuid, run_id uuid, urls text[])),
    before AS (
      SELECT p.id, p.gone_at FROM product p JOIN t ON p.site_id = t.site_id AND p.url = ANY(t.urls)
    ),
    touched AS (
      UPDATE product p SET last_seen_at = now(), last_run_id = t.run_id, gone_at = NULL
      FROM t WHERE p.site_id = t.site_id AND p.url = ANY(t.urls)
      RETURNING p.id, t.run_id, p.price, p.currency, p.availability
    ),
    returned AS (
      INSERT INTO product_event (product_id, run_id, kind, new_price, new_currency, new_availability)
      SELECT touched.id, touched.run_id, 'returned', touched.price, touched.currency, touched.availability
      FROM touched JOIN before ON before.id = touched.id WHERE before.gone_at IS NOT NULL
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM touched)::int AS touched`;
  return row?.touched ?? 0;
}
