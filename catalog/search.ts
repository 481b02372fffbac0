import { z } from 'zod';
import { db, Prisma } from '../core/db/index.ts';
import { availabilitySchema } from '../core/product.ts';
import { correctable, nearSpellings, rankCorrections } from './typos.ts';

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
    sort: z.enum(['relevance', 'price_asc', 'price_desc', 'newest']).default('relevance'),
    page: z.coerce.number().int().min(1).max(1000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(24),
  })
  .refine((v) => v.minPrice === undefined || v.maxPrice === undefined || v.minPrice <= v.maxPrice, {
    message: 'minPrice must not exceed maxPrice',
    path: ['minPrice'],
  });
export type SearchQuery = z.output<typeof searchQuerySchema>;

export const productSummarySchema = z.object({
  id: z.uuid(),
  title: z.string(),
  brand: z.string().nullable(),
  price: z.string().nullable(),
  currency: z.string().nullable(),
  availability: availabilitySchema,
  image: z.string().nullable(),
  category: z.string().nullable(),
  url: z.string(),
  site: z.string(),
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
  const variants = candidates.flatMap((token) => nearSpellings(token));
  const rows = await db().$queryRaw<Array<{ token: string; known: boolean; near: string[] }>>`
    SELECT t.token, EXISTS (SELECT 1 FROM search_word w WHERE w.word = t.token) AS known,
      ARRAY(SELECT word FROM search_word ORDER BY word <-> t.token LIMIT 30) AS near
    FROM unnest(${candidates}::text[]) AS t(token)
    UNION ALL
    SELECT NULL, false, array_agg(word) FROM search_word WHERE word = ANY(${variants}::text[])`;
  const exact = rows.find((r) => r.token === null)?.near ?? [];
  for (const row of rows) {
    if (row.token === null || row.known) continue;
    const fixes = rankCorrections(row.token, [...row.near, ...exact]);
    if (fixes.length > 0) result.set(row.token, fixes);
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
 * Relevance tiers, best first: every word exactly in the title or brand, exactly anywhere,
 * then with prefix or corrections in the title or brand, then anywhere. Each tier excludes the
 * ones before it; within a tier, in-stock first, then newest, then id, so the order is total.
 */
function relevanceTiers(text: TextQueries): { tiers: Prisma.Sql[]; match: Prisma.Sql } {
  const q = (s: string) => Prisma.sql`${s}::tsquery`;
  const tiers: Prisma.Sql[] = [];
  if (text.exact !== null) {
    const e = q(text.exact);
    tiers.push(Prisma.sql`d.title_vector @@ ${e}`);
    tiers.push(Prisma.sql`d.document @@ ${e} AND NOT d.title_vector @@ ${e}`);
  }
  if (text.loose !== null) {
    const l = q(text.loose);
    const notExact = text.exact !== null ? Prisma.sql` AND NOT d.document @@ ${q(text.exact)}` : Prisma.empty;
    tiers.push(Prisma.sql`d.title_vector @@ ${l}${notExact}`);
    tiers.push(Prisma.sql`d.document @@ ${l} AND NOT d.title_vector @@ ${l}${notExact}`);
  }
  const widest = text.loose ?? text.exact!;
  return { tiers, match: Prisma.sql`d.document @@ ${q(widest)}` };
}

const relevanceOrder = Prisma.sql`boost DESC, first_seen_at DESC, id`;
const sortOrders = {
  relevance: relevanceOrder,
  price_asc: Prisma.sql`price ASC NULLS LAST, id`,
  price_desc: Prisma.sql`price DESC NULLS LAST, id`,
  newest: Prisma.sql`first_seen_at DESC, id`,
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

type HitRow = Omit<ProductSummary, 'price'> & { price: Prisma.Decimal | null };

const hitColumns = Prisma.sql`d.id, d.title, d.brand, d.price, rtrim(d.currency) AS currency,
  d.availability::text AS availability, d.image, d.category, d.url, d.sites[1] AS site`;

/** One page of hits in the requested order: tiers for relevance, an index order otherwise. */
async function pageOfHits(
  tiers: Prisma.Sql[] | null,
  match: Prisma.Sql,
  where: Prisma.Sql,
  query: SearchQuery,
  offset: number,
): Promise<HitRow[]> {
  const limit = query.pageSize;
  if (query.sort === 'relevance' && tiers && tiers.length > 1) {
    // Each tier yields at most offset + limit rows in its own order, so the page is exact.
    const reach = offset + limit;
    const parts = tiers.map(
      (tier, i) => Prisma.sql`(SELECT ${i}::int AS tier, d.id, d.boost, d.first_seen_at FROM search_document d
        WHERE ${tier} AND ${where} ORDER BY ${relevanceOrder} LIMIT ${reach})`,
    );
    return db().$queryRaw<HitRow[]>`
      WITH page AS (
        SELECT tier, id, boost, first_seen_at FROM (${Prisma.join(parts, ' UNION ALL ')}) x
        ORDER BY tier, ${relevanceOrder} OFFSET ${offset} LIMIT ${limit}
      )
      SELECT ${hitColumns} FROM page JOIN search_document d ON d.id = page.id
      ORDER BY page.tier, page.boost DESC, page.first_seen_at DESC, page.id`;
  }
  const predicate = tiers?.length === 1 ? tiers[0]! : match;
  return db().$queryRaw<HitRow[]>`
    SELECT ${hitColumns} FROM search_document d WHERE ${predicate} AND ${where}
    ORDER BY ${sortOrders[query.sort]} OFFSET ${offset} LIMIT ${limit}`;
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
  const { tiers, match } = text ? relevanceTiers(text) : { tiers: null, match: Prisma.sql`TRUE` };
  const where = Prisma.sql`${filters.base} AND ${and(Object.values(filters.facet))}`;
  const offset = (query.page - 1) * query.pageSize;

  const computeAggregates = () => aggregates(match, filters, cap);
  const [hits, agg] = await Promise.all([
    offset < cap ? pageOfHits(tiers, match, where, query, offset) : Promise.resolve([]),
    text
      ? computeAggregates()
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
          computeAggregates,
          cap,
        ),
  ]);

  // Rows past the (capped) total are not shown, so every page agrees with the count.
  const visible = hits.slice(0, Math.max(0, agg.total - offset));
  return {
    query: query.q,
    corrections: Object.fromEntries(fixes),
    total: agg.total,
    totalExact: agg.totalExact,
    page: query.page,
    pageSize: query.pageSize,
    items: visible.map(({ price, ...item }) => ({
      ...item,
      price: price === null ? null : formatDecimal(price),
    })),
    facets: agg.facets,
    facetsExhaustive: agg.facetsExhaustive,
  };
}

/** Ids of listings whose search documents must be rewritten, e.g. after an override changed. */
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
