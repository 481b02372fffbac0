import { z } from 'zod';
import { db, Prisma } from '../core/db/index.ts';
import { availabilitySchema } from '../core/product.ts';
import { correctable, nearSpellings, osaDistance, rankCorrections, typoBudget } from './typos.ts';

const csv = z
  .union([z.string(), z.array(z.string())])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(',')).map((v) => v.trim()).filter(Boolean),
  )
  .pipe(z.array(z.string().max(200)).max(50));

const decimal = z.coerce.number().min(0).max(1e10);

export const searchQuerySchema = z
  .object({
    q: z.string().max(200).default(''),
    category: z.string().max(200).optional(),
    brand: csv.optional(),
    minPrice: decimal.optional(),
    maxPrice: decimal.optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional(),
    inStock: z
      .enum(['true', 'false', '1', '0'])
      .transform((v) => v === 'true' || v === '1')
      .optional(),
    site: z.string().max(100).optional(),
    /** Products rated at least this many stars on average (reviews of all their offers). */
    minRating: z.coerce.number().min(1).max(5).optional(),
    sort: z.enum(['relevance', 'price_asc', 'price_desc', 'newest', 'rating']).default('relevance'),
    page: z.coerce.number().int().min(1).max(1000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(24),
  })
  .refine((v) => v.minPrice === undefined || v.maxPrice === undefined || v.minPrice <= v.maxPrice, {
    message: 'minPrice must not exceed maxPrice',
    path: ['minPrice'],
  });
export type SearchQuery = z.output<typeof searchQuerySchema>;

export const productSummarySchema = z.object({
  /** The offer (listing) shown: what a cart takes. */
  id: z.uuid(),
  /** The catalog product: its page compares every offer. */
  productId: z.uuid(),
  title: z.string(),
  brand: z.string().nullable(),
  price: z.string().nullable(),
  currency: z.string().nullable(),
  availability: availabilitySchema,
  image: z.string().nullable(),
  category: z.string().nullable(),
  /** The shop of the offer shown (the best one: in stock, then cheapest). */
  url: z.string(),
  site: z.string(),
  /** How many shops' offers this product has; `price` is the lowest of them. */
  offers: z.number().int(),
  /** Average stars of the reviews of its offers ("4.50"), and how many there are. */
  rating: z.string().nullable(),
  ratingCount: z.number().int(),
});
export type ProductSummary = z.infer<typeof productSummarySchema>;

const facetValueSchema = z.object({ value: z.string(), count: z.number().int() });
export const searchResultSchema = z.object({
  query: z.string(),
  /** Words of the query replaced by catalog words because they were misspelt. */
  corrections: z.record(z.string(), z.array(z.string())),
  /** Matches, counted up to TOTAL_CAP: past it `totalExact` is false and pages stop there ("10,000+"). */
  total: z.number().int(),
  totalExact: z.boolean(),
  page: z.number().int(),
  pageSize: z.number().int(),
  items: z.array(productSummarySchema),
  facets: z.object({
    category: z.array(facetValueSchema),
    brand: z.array(facetValueSchema),
    availability: z.array(facetValueSchema),
    price: z.array(z.object({ min: z.number(), max: z.number().nullable(), count: z.number().int() })),
  }),
  /** False when a facet was counted over the first TOTAL_CAP + 1 matches only. */
  facetsExhaustive: z.boolean(),
});
export type SearchResult = z.infer<typeof searchResultSchema>;

/** Matches are counted, faceted and paged up to this many, as the big engines do. */
export const TOTAL_CAP = 10_000;

/** Price facet buckets (upper bound exclusive). */
const priceBuckets: Array<[number, number | null]> = [
  [0, 25],
  [25, 50],
  [50, 100],
  [100, 250],
  [250, 500],
  [500, 1000],
  [1000, null],
];

/** Lower-case, accent-folded words of a query, as the search documents hold them. */
export function queryTokens(q: string): string[] {
  const folded = q.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  return [...new Set(folded.match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, 10);
}

/**
 * For each query word the catalog does not know, the catalog words it may be a misspelling of
 * (see typos.ts). Known words, numbers and model numbers are never corrected.
 */
async function corrections(tokens: string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  const candidates = tokens.filter(correctable);
  if (candidates.length === 0) return result;
  const known = await db().$queryRaw<Array<{ word: string }>>`
    SELECT word FROM search_word WHERE word = ANY(${candidates}::text[])`;
  const unknown = candidates.filter((t) => !known.some((k) => k.word === t));
  if (unknown.length === 0) return result;
  const variants = unknown.flatMap((token) => nearSpellings(token));
  const rows = await db().$queryRaw<Array<{ token: string | null; near: string[] | null }>>`
    SELECT t.token, ARRAY(SELECT word FROM search_word ORDER BY word <-> t.token LIMIT 30) AS near
    FROM unnest(${unknown}::text[]) AS t(token)
    UNION ALL
    SELECT NULL, array_agg(word) FROM search_word WHERE word = ANY(${variants}::text[])`;
  const exact = rows.find((r) => r.token === null)?.near ?? [];
  for (const row of rows) {
    if (row.token === null) continue;
    const fixes = rankCorrections(row.token, [...(row.near ?? []), ...exact]);
    if (fixes.length > 0) result.set(row.token, fixes);
  }
  // Between corrections as near as each other, the one more titles use is the likelier meaning
  // ("expresso": espresso before express). Counted up to 1,000 titles each.
  const words = [...new Set([...result.values()].flat())];
  if (words.length > 1) {
    const counts = await db().$queryRaw<Array<{ word: string; n: number }>>`
      SELECT w.word, (SELECT count(*)::int FROM (
        SELECT 1 FROM search_document d WHERE d.title_vector @@ quote_literal(w.word)::tsquery LIMIT 1000) x) AS n
      FROM unnest(${words}::text[]) AS w(word)`;
    const uses = new Map(counts.map((c) => [c.word, c.n]));
    for (const [token, fixes] of result) {
      const budget = typoBudget(token.length);
      fixes.sort(
        (a, b) =>
          osaDistance(token, a, budget) - osaDistance(token, b, budget) ||
          (uses.get(b) ?? 0) - (uses.get(a) ?? 0) ||
          (a < b ? -1 : a > b ? 1 : 0),
      );
    }
  }
  return result;
}

/** A tsquery lexeme; tokens are letters and digits only, the quotes are belt and braces. */
function lexeme(word: string, prefix = false): string {
  return `'${word.replace(/['\\]/g, '')}'${prefix ? ':*' : ''}`;
}

interface TextQueries {
  /** Every word exactly; null when a misspelt word makes it match nothing. */
  exact: string | null;
  /** The last word also as a prefix and misspelt words as their corrections; null if same as exact. */
  loose: string | null;
}

function textQueries(tokens: string[], fixes: Map<string, string[]>): TextQueries | null {
  if (tokens.length === 0) return null;
  const exact = fixes.size > 0 ? null : tokens.map((t) => lexeme(t)).join(' & ');
  let widened = fixes.size > 0;
  const loose = tokens
    .map((token, i) => {
      const prefix = i === tokens.length - 1 && token.length >= 2;
      if (prefix) widened = true;
      const options = [lexeme(token, prefix), ...(fixes.get(token) ?? []).map((w) => lexeme(w))];
      return options.length === 1 ? options[0]! : `(${options.join(' | ')})`;
    })
    .join(' & ');
  return { exact, loose: widened ? loose : null };
}

/**
 * Relevance, best first: every word exactly in the title or brand (tier 0), then in the title
 * or brand with the last word as a prefix or a misspelt word corrected (tier 1), then matches
 * elsewhere in the document (tier 2). Within a tier: in stock first, then newest, then id, so
 * the order is total. Tiers 0 and 1 are read in one bitmap scan of the title index, whose rows
 * are narrow (the big document vector is stored out of line); tier 2 only when a page reaches it.
 */
interface Ranking {
  /** Matches anywhere (the widest query). */
  match: Prisma.Sql;
  /** Matches in the title or brand (tiers 0 and 1). */
  title: Prisma.Sql;
  /** 0 for tier 0, 1 for tier 1, per row of the title scan. */
  tier: Prisma.Sql;
  /** 0, 1 or 2 for any matching row (the title vector is stored inline: cheap to test). */
  fullTier: Prisma.Sql;
}

function ranking(text: TextQueries): Ranking {
  const widest = Prisma.sql`${text.loose ?? text.exact!}::tsquery`;
  const tier =
    text.exact !== null && text.loose !== null
      ? Prisma.sql`CASE WHEN d.title_vector @@ ${text.exact}::tsquery THEN 0 ELSE 1 END`
      : Prisma.sql`${text.exact !== null ? 0 : 1}::int`;
  return {
    match: Prisma.sql`d.document @@ ${widest}`,
    title: Prisma.sql`d.title_vector @@ ${widest}`,
    tier,
    fullTier: Prisma.sql`CASE WHEN d.title_vector @@ ${widest} THEN ${tier} ELSE 2 END`,
  };
}

const relevanceOrder = Prisma.sql`boost DESC, first_seen_at DESC, id`;
const sortOrders = {
  relevance: relevanceOrder,
  price_asc: Prisma.sql`price ASC NULLS LAST, id`,
  price_desc: Prisma.sql`price DESC NULLS LAST, id`,
  newest: Prisma.sql`first_seen_at DESC, id`,
  rating: Prisma.sql`rating DESC NULLS LAST, rating_count DESC, id`,
} as const;

type FacetName = 'category' | 'brand' | 'availability' | 'price';
const facetNames: FacetName[] = ['category', 'brand', 'availability', 'price'];

interface Filters {
  /** Filters that are not facets: always applied. */
  base: Prisma.Sql;
  /** Each facet's own filter, when active (a facet's counts ignore its own filter). */
  facet: Partial<Record<FacetName, Prisma.Sql>>;
}

function filtersOf(query: SearchQuery): Filters {
  const base: Prisma.Sql[] = [];
  if (query.site) base.push(Prisma.sql`d.sites @> ARRAY[${query.site}]::text[]`);
  if (query.currency) base.push(Prisma.sql`d.currency = ${query.currency}`);
  if (query.minRating !== undefined) base.push(Prisma.sql`d.rating >= ${query.minRating}`);
  const facet: Filters['facet'] = {};
  if (query.category) facet.category = Prisma.sql`d.category_path @> ARRAY[${query.category}]::text[]`;
  if (query.brand?.length) facet.brand = Prisma.sql`d.brand = ANY(${query.brand}::text[])`;
  if (query.minPrice !== undefined || query.maxPrice !== undefined) {
    const parts: Prisma.Sql[] = [];
    if (query.minPrice !== undefined) parts.push(Prisma.sql`d.price >= ${String(query.minPrice)}::numeric`);
    if (query.maxPrice !== undefined) parts.push(Prisma.sql`d.price <= ${String(query.maxPrice)}::numeric`);
    facet.price = Prisma.join(parts, ' AND ');
  }
  if (query.inStock) facet.availability = Prisma.sql`d.in_stock`;
  return { base: base.length ? Prisma.join(base, ' AND ') : Prisma.sql`TRUE`, facet };
}

function and(parts: Prisma.Sql[]): Prisma.Sql {
  return parts.length ? Prisma.join(parts, ' AND ') : Prisma.sql`TRUE`;
}

type HitRow = Omit<ProductSummary, 'price' | 'rating'> & {
  price: Prisma.Decimal | null;
  rating: Prisma.Decimal | string | null;
};

const hitColumns = Prisma.sql`d.offer_id AS id, d.id AS "productId", d.title, d.brand, d.price, rtrim(d.currency) AS currency,
  d.availability::text AS availability, d.image, d.category, d.url, d.site, d.offers, d.rating,
  d.rating_count AS "ratingCount"`;

async function hitsByIds(ids: string[]): Promise<HitRow[]> {
  if (ids.length === 0) return [];
  const rows = await db().$queryRaw<HitRow[]>`
    SELECT ${hitColumns} FROM search_document d WHERE d.id = ANY(${ids}::uuid[])`;
  const byId = new Map(rows.map((r) => [r.productId, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** A page in an index order (no words typed, or a sort other than relevance). */
async function sortedPage(predicate: Prisma.Sql, query: SearchQuery, offset: number): Promise<HitRow[]> {
  return db().$queryRaw<HitRow[]>`
    SELECT ${hitColumns} FROM search_document d WHERE ${predicate}
    ORDER BY ${sortOrders[query.sort]} OFFSET ${offset} LIMIT ${query.pageSize}`;
}

/**
 * A page by relevance. The title tiers come from one bitmap scan sorted top-N; the rest tier is
 * read only when the page reaches past them. Its plan depends on how many documents match,
 * which the aggregates tell: a few (up to the cap) are read by bitmap and sorted; more than the
 * cap means the matches are dense, and walking the relevance index finds a page quickly.
 */
async function relevancePage(
  rank: Ranking,
  where: Prisma.Sql,
  query: SearchQuery,
  offset: number,
  matched: Promise<Aggregates>,
): Promise<HitRow[]> {
  const limit = query.pageSize;
  const reach = offset + limit;
  const titled = await db().$queryRaw<Array<{ id: string }>>`
    SELECT d.id FROM search_document d WHERE ${rank.title} AND ${where}
    ORDER BY ${rank.tier}, d.boost DESC, d.first_seen_at DESC, d.id LIMIT ${reach}`;
  const ids = titled.slice(offset).map((r) => r.id);
  if (titled.length < reach) {
    const { total, totalExact } = await matched;
    const rest = total - titled.length;
    if (rest > 0 || !totalExact) {
      const restOffset = Math.max(0, offset - titled.length);
      const need = limit - ids.length;
      // "+ 0" keeps the planner off the relevance index when the rest is sparse.
      const order = totalExact
        ? Prisma.sql`d.boost + 0 DESC, d.first_seen_at DESC, d.id`
        : Prisma.sql`d.boost DESC, d.first_seen_at DESC, d.id`;
      const more = await db().$queryRaw<Array<{ id: string }>>`
        SELECT d.id FROM search_document d WHERE ${rank.match} AND NOT ${rank.title} AND ${where}
        ORDER BY ${order} OFFSET ${restOffset} LIMIT ${need}`;
      ids.push(...more.map((r) => r.id));
    }
  }
  return hitsByIds(ids);
}

const pageOrders = {
  relevance: Prisma.sql`tier, boost DESC, first_seen_at DESC, id`,
  price_asc: Prisma.sql`price ASC NULLS LAST, id`,
  price_desc: Prisma.sql`price DESC NULLS LAST, id`,
  newest: Prisma.sql`first_seen_at DESC, id`,
  rating: Prisma.sql`rating DESC NULLS LAST, rating_count DESC, id`,
} as const;

interface SinglePass {
  /** Rows of match ∧ non-facet filters read, at most cap + 1. */
  read: number;
  /** Of those, the rows every filter accepts. */
  matched: number;
  facets: SearchResult['facets'];
  items: HitRow[];
}

/**
 * Words typed: one scan reads the matches (at most cap + 1 narrow rows) with their tier, sort
 * keys, facet values and each filter's verdict, then counts, facets and the page come from that
 * one set. When the scan reaches the cap the page and total are not known from it, and the
 * caller reads them with bounded queries instead.
 */
async function singlePass(rank: Ranking, filters: Filters, query: SearchQuery, offset: number, cap: number) {
  const ok = (name: FacetName) => filters.facet[name] ?? Prisma.sql`TRUE`;
  const bounds = priceBuckets.map(([min]) => min).slice(1);
  const order = pageOrders[query.sort];
  const [row] = await db().$queryRaw<
    Array<{
      read: number;
      matched: number;
      facets: Array<{ facet: FacetName; value: string | null; bucket: number | null; count: number }>;
      items: Array<Omit<HitRow, 'price'> & { price: string | null }>;
    }>
  >`
    WITH m AS MATERIALIZED (
      SELECT d.id, ${rank.fullTier} AS tier, d.boost, d.first_seen_at, d.price, d.rating, d.rating_count,
        d.category, d.brand,
        d.availability, ${ok('category')} AS cat_ok, ${ok('brand')} AS brand_ok, ${ok('price')} AS price_ok,
        ${ok('availability')} AS stock_ok
      FROM search_document d WHERE ${rank.match} AND ${filters.base} LIMIT ${cap + 1}
    ),
    f AS (
      SELECT 'category' AS facet, category AS value, NULL::int AS bucket, count(*)::int AS count
        FROM m WHERE brand_ok AND price_ok AND stock_ok AND category IS NOT NULL GROUP BY category
      UNION ALL
      SELECT 'brand', brand, NULL, count(*)::int
        FROM m WHERE cat_ok AND price_ok AND stock_ok AND brand IS NOT NULL GROUP BY brand
      UNION ALL
      SELECT 'availability', availability::text, NULL, count(*)::int
        FROM m WHERE cat_ok AND brand_ok AND price_ok GROUP BY availability
      UNION ALL
      SELECT 'price', NULL, width_bucket(price, ${bounds}::numeric[]), count(*)::int
        FROM m WHERE cat_ok AND brand_ok AND stock_ok AND price IS NOT NULL GROUP BY 3
    ),
    page AS (
      SELECT id, tier, boost, first_seen_at, price, rating, rating_count FROM m
      WHERE cat_ok AND brand_ok AND price_ok AND stock_ok
      ORDER BY ${order} OFFSET ${offset} LIMIT ${query.pageSize}
    ),
    items AS (
      SELECT ${hitColumns}, page.tier, page.boost, page.first_seen_at AS seen, page.id AS doc_id
      FROM page JOIN search_document d ON d.id = page.id
    )
    SELECT (SELECT count(*) FROM m)::int AS read,
      (SELECT count(*) FROM m WHERE cat_ok AND brand_ok AND price_ok AND stock_ok)::int AS matched,
      (SELECT coalesce(json_agg(f), '[]') FROM f) AS facets,
      (SELECT coalesce(json_agg(json_build_object('id', id, 'productId', "productId", 'title', title, 'brand', brand,
          'price', price::text, 'currency', currency, 'availability', availability, 'image', image,
          'category', category, 'url', url, 'site', site, 'offers', offers, 'rating', rating::text,
          'ratingCount', "ratingCount") ORDER BY ${pageOrdersForItems[query.sort]}), '[]')
        FROM items) AS items`;
  const result: SinglePass = {
    read: row!.read,
    matched: row!.matched,
    facets: facetsFromRows(row!.facets),
    items: row!.items.map((i) => ({ ...i, price: i.price === null ? null : new Prisma.Decimal(i.price) })),
  };
  return result;
}

const pageOrdersForItems = {
  relevance: Prisma.sql`tier, boost DESC, seen DESC, doc_id`,
  price_asc: Prisma.sql`price ASC NULLS LAST, doc_id`,
  price_desc: Prisma.sql`price DESC NULLS LAST, doc_id`,
  newest: Prisma.sql`seen DESC, doc_id`,
  rating: Prisma.sql`rating DESC NULLS LAST, "ratingCount" DESC, doc_id`,
} as const;

function facetsFromRows(
  rows: Array<{ facet: FacetName; value: string | null; bucket: number | null; count: number }>,
): SearchResult['facets'] {
  const byCount = (a: { count: number; value: string }, b: { count: number; value: string }) =>
    b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
  const values = (name: FacetName) =>
    rows
      .filter((r) => r.facet === name && r.value !== null)
      .map((r) => ({ value: r.value!, count: r.count }))
      .sort(byCount);
  return {
    category: values('category'),
    brand: values('brand').slice(0, 50),
    availability: values('availability'),
    price: rows
      .filter((r) => r.facet === 'price' && r.bucket !== null)
      .map((r) => {
        const [min, max] = priceBuckets[r.bucket!]!;
        return { min, max, count: r.count };
      })
      .sort((a, b) => a.min - b.min),
  };
}

interface FacetPass {
  facets: FacetName[];
  rows: number;
  counts: Array<{
    g: number;
    category: string | null;
    brand: string | null;
    availability: string | null;
    bucket: number | null;
    count: number;
  }>;
}

/**
 * Counts facet values over at most TOTAL_CAP + 1 matches in one scan of narrow rows. Facets
 * whose own filter is inactive share one pass (whose size is also the total); a facet with an
 * active filter gets its own pass without it, so shoppers see what choosing another value gives.
 */
async function facetPass(facets: FacetName[], predicate: Prisma.Sql, cap: number): Promise<FacetPass> {
  const bounds = priceBuckets.map(([min]) => min).slice(1);
  const counts = await db().$queryRaw<FacetPass['counts']>`
    SELECT GROUPING(category, brand, availability, bucket)::int AS g, category, brand,
      availability::text AS availability, bucket, count(*)::int AS count
    FROM (
      SELECT d.category, d.brand, d.availability, width_bucket(d.price, ${bounds}::numeric[]) AS bucket
      FROM search_document d WHERE ${predicate} LIMIT ${cap + 1}
    ) s
    GROUP BY GROUPING SETS ((category), (brand), (availability), (bucket), ())`;
  const all = counts.find((c) => c.g === 15);
  return { facets, rows: all?.count ?? 0, counts };
}

interface Aggregates {
  total: number;
  totalExact: boolean;
  facets: SearchResult['facets'];
  facetsExhaustive: boolean;
}

async function aggregates(match: Prisma.Sql, filters: Filters, cap: number): Promise<Aggregates> {
  const active = facetNames.filter((f) => filters.facet[f]);
  const allActive = and(active.map((f) => filters.facet[f]!));
  const shared = facetNames.filter((f) => !filters.facet[f]);
  const passes: Array<Promise<FacetPass>> = [
    facetPass(shared, Prisma.sql`${match} AND ${filters.base} AND ${allActive}`, cap),
    ...active.map((f) =>
      facetPass(
        [f],
        Prisma.sql`${match} AND ${filters.base} AND ${and(active.filter((g) => g !== f).map((g) => filters.facet[g]!))}`,
        cap,
      ),
    ),
  ];
  const results = await Promise.all(passes);
  const matched = results[0]!.rows;
  const pick = (name: FacetName) => results.find((r) => r.facets.includes(name))!.counts;
  const byCount = (a: { count: number; value: string }, b: { count: number; value: string }) =>
    b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
  const values = (name: 'category' | 'brand' | 'availability', bit: number) =>
    pick(name)
      .filter((c) => c.g === 15 - bit && c[name] !== null)
      .map((c) => ({ value: c[name]!, count: c.count }))
      .sort(byCount);
  return {
    total: Math.min(matched, cap),
    totalExact: matched <= cap,
    facetsExhaustive: results.every((r) => r.rows <= cap),
    facets: {
      category: values('category', 8),
      brand: values('brand', 4).slice(0, 50),
      availability: values('availability', 2),
      price: pick('price')
        .filter((c) => c.g === 14 && c.bucket !== null)
        .map((c) => {
          const [min, max] = priceBuckets[c.bucket!]!;
          return { min, max, count: c.count };
        })
        .sort((a, b) => a.min - b.min),
    },
  };
}

/**
 * Whole-catalog and category aggregates (no words typed) are the same for every shopper: they
 * are kept per process until a document changes (search_version_seq moves) or for at most
 * BROWSE_CACHE_MS, so a write racing a read cannot leave a stale entry for long.
 */
const BROWSE_CACHE_MS = 10_000;
const BROWSE_CACHE_SIZE = 500;
const browseCache = new Map<string, { version: bigint; at: number; value: Aggregates }>();

async function searchVersion(): Promise<bigint> {
  const [row] = await db().$queryRaw<Array<{ v: bigint }>>`SELECT last_value AS v FROM search_version_seq`;
  return row?.v ?? 0n;
}

async function browseAggregates(
  key: string,
  compute: () => Promise<Aggregates>,
  cap: number,
): Promise<Aggregates> {
  const version = await searchVersion();
  key = `${cap} ${key}`;
  const hit = browseCache.get(key);
  if (hit && hit.version === version && Date.now() - hit.at < BROWSE_CACHE_MS) return hit.value;
  const value = await compute();
  browseCache.delete(key);
  browseCache.set(key, { version, at: Date.now(), value });
  if (browseCache.size > BROWSE_CACHE_SIZE) browseCache.delete(browseCache.keys().next().value!);
  return value;
}

/** Forgets cached browse aggregates (tests that write and read within one process). */
export function clearSearchCache(): void {
  browseCache.clear();
  estimates.clear();
}

const ESTIMATES_SIZE = 1000;
const ESTIMATES_MS = 60_000;
const estimates = new Map<string, { at: number; rows: number }>();

/**
 * Whether Postgres expects more than `rows` documents to match (its planner's estimate, from the
 * statistics of the document vectors). A word in a third of the catalog would fill the single
 * pass past the cap and be read again by the capped passes; such queries go to those passes
 * directly. An estimate only picks a strategy: either way the answer is the same, so it is kept
 * per process for a minute. With no statistics (never analyzed) Postgres expects few matches,
 * and the single pass is tried as before.
 */
async function plannedBeyond(match: Prisma.Sql, base: Prisma.Sql, rows: number): Promise<boolean> {
  const predicate = Prisma.sql`${match} AND ${base}`;
  const key = `${predicate.sql}\u0000${JSON.stringify(predicate.values)}`;
  let known = estimates.get(key);
  if (!known || Date.now() - known.at > ESTIMATES_MS) {
    const [row] = await db().$queryRaw<Array<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>>`
      EXPLAIN (FORMAT JSON) SELECT 1 FROM search_document d WHERE ${predicate}`;
    known = { at: Date.now(), rows: row?.['QUERY PLAN'][0]?.Plan['Plan Rows'] ?? 0 };
    estimates.delete(key);
    estimates.set(key, known);
    if (estimates.size > ESTIMATES_SIZE) estimates.delete(estimates.keys().next().value!);
  }
  return known.rows > rows;
}

/**
 * Full-text search over search_document: typo tolerance, ranking tiers, filters, disjunctive
 * facets, a total order for every sort, and pages up to TOTAL_CAP that agree with `total`.
 */
export async function searchProducts(
  query: SearchQuery,
  options: { totalCap?: number } = {},
): Promise<SearchResult> {
  const cap = options.totalCap ?? TOTAL_CAP;
  const tokens = queryTokens(query.q);
  const fixes = await corrections(tokens);
  const text = textQueries(tokens, fixes);
  const filters = filtersOf(query);
  const rank = text ? ranking(text) : null;
  const match = rank?.match ?? Prisma.sql`TRUE`;
  const where = Prisma.sql`${filters.base} AND ${and(Object.values(filters.facet))}`;
  const offset = (query.page - 1) * query.pageSize;

  if (rank && offset < cap && !(await plannedBeyond(rank.match, filters.base, 1.5 * cap))) {
    const pass = await singlePass(rank, filters, query, offset, cap);
    if (pass.read <= cap) {
      return result(query, fixes, {
        total: pass.matched,
        totalExact: true,
        facets: pass.facets,
        facetsExhaustive: true,
        items: pass.items,
        offset,
      });
    }
  }

  const agg = text
    ? aggregates(match, filters, cap)
    : browseAggregates(
        JSON.stringify([
          query.category,
          query.brand,
          query.minPrice,
          query.maxPrice,
          query.currency,
          query.inStock,
          query.site,
        ]),
        () => aggregates(match, filters, cap),
        cap,
      );
  // A failure of one is the answer's failure; the other must not be left unobserved.
  agg.catch(() => undefined);
  const hits =
    offset >= cap
      ? []
      : rank && query.sort === 'relevance'
        ? await relevancePage(rank, where, query, offset, agg)
        : await sortedPage(Prisma.sql`${match} AND ${where}`, query, offset);
  return result(query, fixes, { ...(await agg), items: hits, offset });
}

function result(
  query: SearchQuery,
  fixes: Map<string, string[]>,
  found: Aggregates & { items: HitRow[]; offset: number },
): SearchResult {
  const { total, totalExact, facets, facetsExhaustive, items: hits, offset } = found;
  // Rows past the (capped) total are not shown, so every page agrees with the count.
  const visible = hits.slice(0, Math.max(0, total - offset));
  return {
    query: query.q,
    corrections: Object.fromEntries(fixes),
    total,
    totalExact,
    page: query.page,
    pageSize: query.pageSize,
    items: visible.map(({ price, rating, ...item }) => ({
      ...item,
      price: price === null ? null : formatDecimal(price),
      rating: rating === null ? null : new Prisma.Decimal(rating).toFixed(2),
    })),
    facets,
    facetsExhaustive,
  };
}

/**
 * Rewrites the search documents of the catalog products these listings are offers of. Triggers
 * on product, listing_override and site already do it for every write; call it after changing
 * anything else a document reads.
 */
export async function refreshSearchDocuments(productIds: string[]): Promise<void> {
  if (productIds.length === 0) return;
  await db().$executeRaw`SELECT trawl_refresh_search_documents(${productIds}::uuid[])`;
}

/** A stored decimal with trailing zeros trimmed to two places ("19.9000" → "19.90"). */
export function formatDecimal(value: Prisma.Decimal | string): string {
  const text = typeof value === 'string' ? value : value.toFixed(4);
  const [whole, fraction = ''] = text.split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return `${whole}.${trimmed.padEnd(2, '0')}`;
}
