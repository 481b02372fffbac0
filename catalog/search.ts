import { z } from 'zod';
import { db, Prisma, searchPool } from '../core/db/index.ts';
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
  /**
   * False when a facet's counts are estimates: more documents matched than are counted (past
   * TOTAL_CAP, or past 2,000 for a facet counted without its own active filter), and the counts
   * come from a random sample of pages scaled by its rate, to two significant digits.
   */
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

/** A read-only search query, on the search pool (sequential scans off: see searchPool). */
async function read<T extends unknown[]>(query: Prisma.Sql): Promise<T> {
  return (await searchPool().query(query.text, query.values)).rows as T;
}

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
  const known = await read<Array<{ word: string }>>(Prisma.sql`
    SELECT word FROM search_word WHERE word = ANY(${candidates}::text[])`);
  const unknown = candidates.filter((t) => !known.some((k) => k.word === t));
  if (unknown.length === 0) return result;
  const variants = unknown.flatMap((token) => nearSpellings(token));
  const rows = await read<Array<{ token: string | null; near: string[] | null }>>(Prisma.sql`
    SELECT t.token, ARRAY(SELECT word FROM search_word ORDER BY word <-> t.token LIMIT 30) AS near
    FROM unnest(${unknown}::text[]) AS t(token)
    UNION ALL
    SELECT NULL, array_agg(word) FROM search_word WHERE word = ANY(${variants}::text[])`);
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
    const counts = await read<Array<{ word: string; n: number }>>(Prisma.sql`
      SELECT w.word, (SELECT count(*)::int FROM (
        SELECT 1 FROM search_document d WHERE d.title_vector @@ quote_literal(w.word)::tsquery LIMIT 1000) x) AS n
      FROM unnest(${words}::text[]) AS w(word)`);
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
  /** The rows of tier 0, 1 and 2; null for a tier this query cannot have. */
  tiers: [Prisma.Sql | null, Prisma.Sql | null, Prisma.Sql];
}

function ranking(text: TextQueries): Ranking {
  const widest = Prisma.sql`${text.loose ?? text.exact!}::tsquery`;
  const tier =
    text.exact !== null && text.loose !== null
      ? Prisma.sql`CASE WHEN d.title_vector @@ ${text.exact}::tsquery THEN 0 ELSE 1 END`
      : Prisma.sql`${text.exact !== null ? 0 : 1}::int`;
  const match = Prisma.sql`d.document @@ ${widest}`;
  const title = Prisma.sql`d.title_vector @@ ${widest}`;
  const exactTitle = text.exact === null ? null : Prisma.sql`d.title_vector @@ ${text.exact}::tsquery`;
  return {
    match,
    title,
    tier,
    fullTier: Prisma.sql`CASE WHEN ${title} THEN ${tier} ELSE 2 END`,
    tiers: [
      exactTitle,
      text.loose === null ? null : exactTitle ? Prisma.sql`${title} AND NOT ${exactTitle}` : title,
      Prisma.sql`${match} AND NOT ${title}`,
    ],
  };
}

// Qualified: a bare "id" in ORDER BY would name the output column (the offer's id), not the
// document's, and the order would neither match its index nor the other paths' order.
const relevanceOrder = Prisma.sql`d.boost DESC, d.first_seen_at DESC, d.id`;
const sortOrders = {
  relevance: relevanceOrder,
  price_asc: Prisma.sql`d.price ASC NULLS LAST, d.id`,
  price_desc: Prisma.sql`d.price DESC NULLS LAST, d.id`,
  newest: Prisma.sql`d.first_seen_at DESC, d.id`,
  rating: Prisma.sql`d.rating DESC NULLS LAST, d.rating_count DESC, d.id`,
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
  /** Decimals as Postgres prints them ("19.9000"). */
  price: string | null;
  rating: string | null;
};

const hitColumns = Prisma.sql`d.offer_id AS id, d.id AS "productId", d.title, d.brand, d.price, rtrim(d.currency) AS currency,
  d.availability::text AS availability, d.image, d.category, d.url, d.site, d.offers, d.rating,
  d.rating_count AS "ratingCount"`;

async function hitsByIds(ids: string[]): Promise<HitRow[]> {
  if (ids.length === 0) return [];
  const rows = await read<HitRow[]>(Prisma.sql`
    SELECT ${hitColumns} FROM search_document d WHERE d.id = ANY(${ids}::uuid[])`);
  const byId = new Map(rows.map((r) => [r.productId, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** A page in an index order (no words typed, or a sort other than relevance). */
async function sortedPage(predicate: Prisma.Sql, query: SearchQuery, offset: number): Promise<HitRow[]> {
  return read<HitRow[]>(Prisma.sql`
    SELECT ${hitColumns} FROM search_document d WHERE ${predicate}
    ORDER BY ${sortOrders[query.sort]} OFFSET ${offset} LIMIT ${query.pageSize}`);
}

/**
 * The first page by relevance, read tier by tier in the relevance order within a tier, until it
 * is full: the best tier alone usually fills it, from the relevance index, without counting or
 * ranking the other matches.
 */
async function firstTierPage(rank: Ranking, where: Prisma.Sql, query: SearchQuery): Promise<HitRow[]> {
  const rows: HitRow[] = [];
  for (const predicate of rank.tiers) {
    if (predicate === null) continue;
    rows.push(
      ...(await read<HitRow[]>(Prisma.sql`
        SELECT ${hitColumns} FROM search_document d WHERE ${predicate} AND ${where}
        ORDER BY ${relevanceOrder} LIMIT ${query.pageSize - rows.length}`)),
    );
    if (rows.length === query.pageSize) break;
  }
  return rows;
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
  const titled = await read<Array<{ id: string }>>(Prisma.sql`
    SELECT d.id FROM search_document d WHERE ${rank.title} AND ${where}
    ORDER BY ${rank.tier}, d.boost DESC, d.first_seen_at DESC, d.id LIMIT ${reach}`);
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
      const more = await read<Array<{ id: string }>>(Prisma.sql`
        SELECT d.id FROM search_document d WHERE ${rank.match} AND NOT ${rank.title} AND ${where}
        ORDER BY ${order} OFFSET ${restOffset} LIMIT ${need}`);
      ids.push(...more.map((r) => r.id));
    }
  }
  return hitsByIds(ids);
}

/** Matches counted by their facet values and each facet filter's verdict: a few hundred rows. */
interface Combo {
  category: string | null;
  brand: string | null;
  availability: string;
  bucket: number | null;
  cat_ok: boolean;
  brand_ok: boolean;
  price_ok: boolean;
  stock_ok: boolean;
  n: number;
}

const facetFilter: Record<FacetName, keyof Combo> = {
  category: 'cat_ok',
  brand: 'brand_ok',
  price: 'price_ok',
  availability: 'stock_ok',
};

/** Every filter but `except`'s own accepts the combination (`except` undefined: every filter). */
function accepted(combo: Combo, except?: FacetName): boolean {
  return facetNames.every((name) => name === except || combo[facetFilter[name]] === true);
}

const byCount = (a: { count: number; value: string }, b: { count: number; value: string }) =>
  b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);

/** Combinations counted for a facet; `estimated` when a sample's counts were scaled (see `sampled`). */
interface FacetSource {
  combos: Combo[];
  estimated: boolean;
}

/** One facet's counts: over the combinations every other filter accepts. */
function facetCounts(source: FacetSource, name: FacetName): Array<{ key: string | number; count: number }> {
  const counts = new Map<string | number, number>();
  for (const combo of source.combos) {
    const key = name === 'price' ? combo.bucket : combo[name];
    if (key === null || !accepted(combo, name)) continue;
    counts.set(key, (counts.get(key) ?? 0) + combo.n);
  }
  return [...counts].map(([key, count]) => ({ key, count: source.estimated ? roughly(count) : count }));
}

function facetsOf(sources: { [F in FacetName]: FacetSource }): SearchResult['facets'] {
  const values = (name: 'category' | 'brand' | 'availability') =>
    facetCounts(sources[name], name)
      .map(({ key, count }) => ({ value: String(key), count }))
      .sort(byCount);
  return {
    category: values('category'),
    brand: values('brand').slice(0, 50),
    availability: values('availability'),
    price: facetCounts(sources.price, 'price')
      .map(({ key, count }) => {
        const [min, max] = priceBuckets[Number(key)]!;
        return { min, max, count };
      })
      .sort((a, b) => a.min - b.min),
  };
}

const bucketBounds = priceBuckets.map(([min]) => min).slice(1);

/**
 * Reads at most `cap` + 1 rows of `predicate` and counts them by facet values and each facet
 * filter's verdict in one hash aggregate, without keeping the rows: the total and the disjunctive
 * facets both come from these few hundred combinations.
 */
async function combos(
  predicate: Prisma.Sql,
  cap: number,
  filters: Filters['facet'] = {},
  samplePercent?: number,
): Promise<{ read: number; combos: Combo[] }> {
  const ok = (name: FacetName) => filters[name] ?? Prisma.sql`TRUE`;
  const sample =
    samplePercent === undefined
      ? Prisma.empty
      : Prisma.sql`TABLESAMPLE SYSTEM (${samplePercent}::float4) REPEATABLE (0)`;
  const rows = await read<Combo[]>(Prisma.sql`
    SELECT category, brand, availability::text AS availability, width_bucket(price, ${bucketBounds}::numeric[]) AS bucket,
      cat_ok, brand_ok, price_ok, stock_ok, count(*)::int AS n
    FROM (
      SELECT d.category, d.brand, d.availability, d.price, ${ok('category')} AS cat_ok,
        ${ok('brand')} AS brand_ok, ${ok('price')} AS price_ok, ${ok('availability')} AS stock_ok
      FROM search_document d ${sample} WHERE ${predicate} LIMIT ${cap + 1}
    ) s
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`);
  return { read: rows.reduce((sum, r) => sum + r.n, 0), combos: rows };
}

/** Orders of the single pass's page, over its rows (m.id is the document's id). */
const pageOrders = {
  relevance: Prisma.sql`tier, boost DESC, first_seen_at DESC, id`,
  price_asc: Prisma.sql`price ASC NULLS LAST, id`,
  price_desc: Prisma.sql`price DESC NULLS LAST, id`,
  newest: Prisma.sql`first_seen_at DESC, id`,
  rating: Prisma.sql`rating DESC NULLS LAST, rating_count DESC, id`,
} as const;

const itemOrders = {
  relevance: Prisma.sql`tier, boost DESC, seen DESC, doc_id`,
  price_asc: Prisma.sql`price ASC NULLS LAST, doc_id`,
  price_desc: Prisma.sql`price DESC NULLS LAST, doc_id`,
  newest: Prisma.sql`seen DESC, doc_id`,
  rating: Prisma.sql`rating DESC NULLS LAST, "ratingCount" DESC, doc_id`,
} as const;

/**
 * Words typed, a page that needs the matches ranked (a sort, or past the first page): one scan
 * reads the matches (at most cap + 1 narrow rows) with their sort keys, facet values and each
 * filter's verdict (and tier, for relevance) into one set, and the combinations and the page come
 * from it. When the scan reaches the cap the page and total are not known from it, and the caller
 * reads them with bounded queries instead.
 */
async function singlePass(
  rank: Ranking,
  filters: Filters,
  query: SearchQuery,
  offset: number,
  cap: number,
): Promise<{ read: number; combos: Combo[]; items: HitRow[] }> {
  const ok = (name: FacetName) => filters.facet[name] ?? Prisma.sql`TRUE`;
  const tier = query.sort === 'relevance' ? rank.fullTier : Prisma.sql`0`;
  const [row] = await read<Array<{ combos: Combo[]; items: HitRow[] }>>(Prisma.sql`
    WITH m AS MATERIALIZED (
      SELECT d.id, ${tier} AS tier, d.boost, d.first_seen_at, d.price, d.rating, d.rating_count,
        d.category, d.brand, d.availability, ${ok('category')} AS cat_ok, ${ok('brand')} AS brand_ok,
        ${ok('price')} AS price_ok, ${ok('availability')} AS stock_ok
      FROM search_document d WHERE ${rank.match} AND ${filters.base} LIMIT ${cap + 1}
    ),
    c AS (
      SELECT category, brand, availability::text AS availability,
        width_bucket(price, ${bucketBounds}::numeric[]) AS bucket, cat_ok, brand_ok, price_ok, stock_ok,
        count(*)::int AS n
      FROM m GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
    ),
    page AS (
      SELECT id, tier, boost, first_seen_at, price, rating, rating_count FROM m
      WHERE cat_ok AND brand_ok AND price_ok AND stock_ok
      ORDER BY ${pageOrders[query.sort]} OFFSET ${offset} LIMIT ${query.pageSize}
    ),
    items AS (
      SELECT ${hitColumns}, page.tier, page.boost, page.first_seen_at AS seen, page.id AS doc_id
      FROM page JOIN search_document d ON d.id = page.id
    )
    SELECT (SELECT coalesce(json_agg(c), '[]') FROM c) AS combos,
      (SELECT coalesce(json_agg(json_build_object('id', id, 'productId', "productId", 'title', title, 'brand', brand,
          'price', price::text, 'currency', currency, 'availability', availability, 'image', image,
          'category', category, 'url', url, 'site', site, 'offers', offers, 'rating', rating::text,
          'ratingCount', "ratingCount") ORDER BY ${itemOrders[query.sort]}), '[]')
        FROM items) AS items`);
  return {
    read: row!.combos.reduce((sum, c) => sum + c.n, 0),
    combos: row!.combos,
    items: row!.items,
  };
}

interface Aggregates {
  total: number;
  totalExact: boolean;
  facets: SearchResult['facets'];
  facetsExhaustive: boolean;
}

/**
 * A facet whose own filter is active is counted without it by a pass of its own; when more than
 * this many documents match that pass, its counts are estimated from a sample (see `sampled`).
 */
const FACET_SAMPLE = 2_000;
/** A pass the planner expects to match more than this many times its limit is not run capped first. */
const SURELY_BEYOND = 1;

/** Two significant digits: what an estimated count can claim ("about 4,700"). */
function roughly(n: number): number {
  if (n < 100) return Math.round(n);
  const unit = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.round(n / unit) * unit;
}

/**
 * A pass that stopped at its limit counted the first rows it met: in the table's order, which
 * groups a shop's or a category's products together, so their counts say little about the rest
 * (one brand's first 2,000 matches may hold no other brand). Such a pass is counted again on a
 * random sample of the table's pages sized for about FACET_SAMPLE matches (from the planner's
 * estimate), and its counts are scaled by the sampling rate; each facet value's sum is then
 * rounded to what an estimate can claim, and `facetsExhaustive: false` says so. The sample is
 * the same for the same query (REPEATABLE), so repeated searches show the same counts.
 */
async function sampled(
  pass: { read: number; combos: Combo[] } | undefined,
  limit: number,
  predicate: Prisma.Sql,
): Promise<FacetSource> {
  if (pass && pass.read <= limit) return { combos: pass.combos, estimated: false };
  const [expected, table] = await Promise.all([plannedRows(predicate), plannedRows(Prisma.sql`TRUE`)]);
  const matches = Math.max(expected, pass?.read ?? 0);
  // A sample reads table × FACET_SAMPLE / matches rows, counting all of them reads the matches:
  // a few thousand matches in a big table are cheaper counted whole (up to a bound).
  if (matches * matches <= table * FACET_SAMPLE) {
    const all = await combos(predicate, 10 * FACET_SAMPLE);
    if (all.read <= 10 * FACET_SAMPLE) return { combos: all.combos, estimated: false };
  }
  const percent = Math.min(100, (100 * FACET_SAMPLE) / matches);
  // Bounded in case the estimate was far too low: a short sample still beats none.
  const sample = await combos(predicate, 10 * FACET_SAMPLE, {}, percent);
  return { combos: sample.combos.map((c) => ({ ...c, n: (c.n * 100) / percent })), estimated: true };
}

/**
 * Total and facets with bounded passes: facets whose own filter is inactive share one pass of at
 * most cap + 1 rows (whose size is also the total); a facet with an active filter gets its own
 * pass without it, so shoppers see what choosing another value gives. Counts of a pass that
 * reached its limit are estimates.
 */
async function aggregates(match: Prisma.Sql, filters: Filters, cap: number): Promise<Aggregates> {
  const active = facetNames.filter((f) => filters.facet[f]);
  const shared = facetNames.filter((f) => !filters.facet[f]);
  const passes = [
    {
      facets: shared,
      limit: cap,
      predicate: and([match, filters.base, ...active.map((f) => filters.facet[f]!)]),
    },
    ...active.map((f) => ({
      facets: [f],
      limit: Math.min(cap, FACET_SAMPLE),
      predicate: and([match, filters.base, ...active.filter((g) => g !== f).map((g) => filters.facet[g]!)]),
    })),
  ];
  // A facet's own pass that the planner expects to match far past its limit would stop there and
  // be counted again whole or on a sample (see `sampled`): it goes there directly. Each such
  // pass costs a scan of the words' index, the cost of a query with a broad word.
  const beyond = await Promise.all(
    passes.map(async (pass, i) => i > 0 && (await plannedRows(pass.predicate)) > SURELY_BEYOND * pass.limit),
  );
  const results = await Promise.all(
    passes.map((pass, i) => (beyond[i] ? undefined : combos(pass.predicate, pass.limit))),
  );
  const counted = await Promise.all(
    results.map((r, i) => sampled(r, passes[i]!.limit, passes[i]!.predicate)),
  );
  const pick = (name: FacetName) => counted[passes.findIndex((pass) => pass.facets.includes(name))]!;
  const matched = results[0]!.read;
  return {
    total: Math.min(matched, cap),
    totalExact: matched <= cap,
    // A total past the cap is no exact count, and its facets are not called exhaustive either.
    facetsExhaustive: matched <= cap && counted.every((c) => !c.estimated),
    facets: facetsOf({
      category: pick('category'),
      brand: pick('brand'),
      availability: pick('availability'),
      price: pick('price'),
    }),
  };
}

/**
 * Whole-catalog and category aggregates (no words typed) are the same for every shopper: they
 * are kept per process while no document changes (search_version_seq stays put). A change means
 * they are computed again before answering, once for all the requests waiting on them. An entry
 * older than BROWSE_REFRESH_MS is still served but computed again in the background: the version
 * is read before a write commits, so a read racing a write could have cached counts without it,
 * and this bounds how long. Past BROWSE_MAX_AGE_MS (a refresh kept failing) it is not served.
 */
const BROWSE_REFRESH_MS = 10_000;
const BROWSE_MAX_AGE_MS = 60_000;
const BROWSE_CACHE_SIZE = 500;
interface BrowseEntry {
  version: string;
  at: number;
  value: Promise<Aggregates>;
  refreshing: boolean;
}
const browseCache = new Map<string, BrowseEntry>();

/** The sequence's value, as Postgres prints a bigint. */
async function searchVersion(): Promise<string> {
  const [row] = await read<Array<{ v: string }>>(
    Prisma.sql`SELECT coalesce(pg_sequence_last_value('search_version_seq'), 0)::text AS v`,
  );
  return row?.v ?? '0';
}

function cacheBrowse(key: string, version: string, compute: () => Promise<Aggregates>): BrowseEntry {
  const entry: BrowseEntry = { version, at: Date.now(), value: compute(), refreshing: false };
  browseCache.delete(key);
  browseCache.set(key, entry);
  if (browseCache.size > BROWSE_CACHE_SIZE) browseCache.delete(browseCache.keys().next().value!);
  // A failed computation is not kept: the next request tries again.
  entry.value.catch(() => {
    if (browseCache.get(key) === entry) browseCache.delete(key);
  });
  return entry;
}

async function browseAggregates(
  key: string,
  compute: () => Promise<Aggregates>,
  cap: number,
): Promise<Aggregates> {
  const version = await searchVersion();
  key = `${cap} ${key}`;
  const hit = browseCache.get(key);
  const age = hit ? Date.now() - hit.at : Number.POSITIVE_INFINITY;
  if (!hit || hit.version !== version || age > BROWSE_MAX_AGE_MS)
    return cacheBrowse(key, version, compute).value;
  if (age > BROWSE_REFRESH_MS && !hit.refreshing) {
    hit.refreshing = true;
    const fresh = compute();
    fresh.then(
      () => {
        // Only replaces what it was computed for: a newer version's entry stays.
        if (browseCache.get(key) === hit) {
          browseCache.set(key, { version, at: Date.now(), value: fresh, refreshing: false });
        }
      },
      () => {
        hit.refreshing = false;
      },
    );
  }
  return hit.value;
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
 * How many documents Postgres expects `predicate` to match (its planner's estimate, from the
 * statistics of the document vectors and columns), kept per process for a minute: an estimate
 * only picks a strategy or scales a sample's counts. With no statistics (never analyzed)
 * Postgres expects few matches.
 */
async function plannedRows(predicate: Prisma.Sql): Promise<number> {
  const key = `${predicate.sql}\u0000${JSON.stringify(predicate.values)}`;
  let known = estimates.get(key);
  if (!known || Date.now() - known.at > ESTIMATES_MS) {
    const [row] = await read<Array<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>>(Prisma.sql`
      EXPLAIN (FORMAT JSON) SELECT 1 FROM search_document d WHERE ${predicate}`);
    known = { at: Date.now(), rows: row?.['QUERY PLAN'][0]?.Plan['Plan Rows'] ?? 0 };
    estimates.delete(key);
    estimates.set(key, known);
    if (estimates.size > ESTIMATES_SIZE) estimates.delete(estimates.keys().next().value!);
  }
  return known.rows;
}

/**
 * Whether Postgres expects more than `rows` documents to match. A word in a third of the catalog
 * would fill the single pass past the cap and be read again by the capped passes; such queries
 * go to those passes directly. Either way the answer is the same.
 */
async function plannedBeyond(match: Prisma.Sql, base: Prisma.Sql, rows: number): Promise<boolean> {
  return (await plannedRows(Prisma.sql`${match} AND ${base}`)) > rows;
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

  // The first page by relevance needs no ranking of the matches: it is read while they are counted.
  const firstPage =
    rank && offset === 0 && query.sort === 'relevance' ? firstTierPage(rank, where, query) : null;
  firstPage?.catch(() => undefined);
  if (rank && offset < cap && !(await plannedBeyond(rank.match, filters.base, 1.5 * cap))) {
    const pass: { read: number; combos: Combo[]; items?: HitRow[] } = firstPage
      ? await combos(Prisma.sql`${rank.match} AND ${filters.base}`, cap, filters.facet)
      : await singlePass(rank, filters, query, offset, cap);
    if (pass.read <= cap) {
      const every: FacetSource = { combos: pass.combos, estimated: false };
      return result(query, fixes, {
        total: pass.combos.reduce((sum, c) => sum + (accepted(c) ? c.n : 0), 0),
        totalExact: true,
        facets: facetsOf({ category: every, brand: every, availability: every, price: every }),
        facetsExhaustive: true,
        items: pass.items ?? (await firstPage!),
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
      : firstPage
        ? await firstPage
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
