import { type Availability, db, type Prisma } from '../core/db/index.ts';
import { applyOverride, listedPrice } from './overrides.ts';

/** A crawled product as something to sell: what cart and checkout need to know about it. */
export interface Listing {
  id: string;
  siteId: string;
  siteName: string;
  /** The merchant who owns the site and fulfils its orders; null when no merchant has claimed it. */
  merchantId: string | null;
  title: string;
  sku: string | null;
  url: string;
  image: string | null;
  price: Prisma.Decimal | null;
  currency: string | null;
  availability: Availability;
  goneAt: Date | null;
  lastSeenAt: Date;
  /** Shipping weight in grams: the back office's, else the page's; null when neither says. */
  weightG: number | null;
  /** Withdrawn from sale in the back office. */
  hidden: boolean;
  /** A merchant-created product no crawl confirms: it never goes stale. */
  origin: 'crawled' | 'manual';
}

export type PurchaseProblem =
  | 'hidden'
  | 'gone'
  | 'out_of_stock'
  | 'unknown_availability'
  | 'stale'
  | 'no_price'
  | 'no_merchant';

const BUYABLE: ReadonlySet<Availability> = new Set(['InStock', 'PreOrder', 'BackOrder']);

/**
 * Why a listing cannot be bought now, or null. A listing the last crawl did not find, one out of
 * stock or of unknown availability, one not seen by a crawl for longer than `maxAgeMs`, one
 * without a price, and one no merchant fulfils cannot be.
 */
export function purchaseProblem(
  listing: Listing,
  maxAgeMs: number,
  now = Date.now(),
): PurchaseProblem | null {
  if (!listing.merchantId) return 'no_merchant';
  if (listing.hidden) return 'hidden';
  if (listing.goneAt) return 'gone';
  if (listing.price === null || listing.currency === null) return 'no_price';
  if (listing.availability === 'OutOfStock' || listing.availability === 'Discontinued') return 'out_of_stock';
  if (!BUYABLE.has(listing.availability)) return 'unknown_availability';
  if (listing.origin === 'crawled' && now - listing.lastSeenAt.getTime() > maxAgeMs) return 'stale';
  return null;
}

export const purchaseProblemText: Record<PurchaseProblem, string> = {
  hidden: 'withdrawn from sale',
  gone: 'no longer listed by the shop',
  out_of_stock: 'out of stock',
  unknown_availability: 'availability unknown',
  stale: 'not checked by a crawl recently enough to sell',
  no_price: 'no price',
  no_merchant: 'not sold on Trawl (no merchant)',
};

const UNIT_GRAMS: Record<string, number> = {
  g: 1,
  gr: 1,
  gram: 1,
  grams: 1,
  kg: 1000,
  kgs: 1000,
  lb: 453.592,
  lbs: 453.592,
  oz: 28.3495,
};
const WEIGHT_KEY = /^(shipping[ _-]?)?weight$|^gewicht$|^poids$|^peso$|^重量$|^毛重$|^净重$/i;

/** A weight in grams from the product's attributes ("Weight: 1.2 kg", "Gewicht 850 g"), or null. */
export function weightFromAttributes(attributes: unknown): number | null {
  if (!attributes || typeof attributes !== 'object') return null;
  for (const [key, value] of Object.entries(attributes as Record<string, unknown>)) {
    if (!WEIGHT_KEY.test(key.trim()) || typeof value !== 'string') continue;
    const match = /(\d+(?:[.,]\d+)?)\s*(kgs?|grams?|gr?|lbs?|oz)\b/i.exec(value);
    if (!match) continue;
    const grams = Number(match[1]!.replace(',', '.')) * UNIT_GRAMS[match[2]!.toLowerCase()]!;
    if (Number.isFinite(grams) && grams > 0 && grams < 1_000_000) return Math.round(grams);
  }
  return null;
}

/** The listings with these ids (missing ids are simply absent from the map). */
export async function getListings(ids: readonly string[]): Promise<Map<string, Listing>> {
  if (ids.length === 0) return new Map();
  const rows = await db().product.findMany({
    where: { id: { in: [...new Set(ids)] } },
    select: {
      id: true,
      siteId: true,
      title: true,
      sku: true,
      url: true,
      images: true,
      price: true,
      currency: true,
      availability: true,
      goneAt: true,
      lastSeenAt: true,
      attributes: true,
      categoryPath: true,
      origin: true,
      site: { select: { name: true, ownerId: true } },
      override: true,
    },
  });
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        siteId: row.siteId,
        siteName: row.site.name,
        merchantId: row.site.ownerId,
        title: applyOverride(row, row.override).title,
        sku: row.sku,
        url: row.url,
        image: row.images[0] ?? null,
        price: listedPrice(row.price, row.currency, row.override),
        currency: row.currency,
        availability: row.availability,
        goneAt: row.goneAt,
        lastSeenAt: row.lastSeenAt,
        weightG: row.override?.weightG ?? weightFromAttributes(row.attributes),
        hidden: row.override?.hidden ?? false,
        origin: row.origin,
      },
    ]),
  );
}
