import { z } from 'zod';
import { db, Prisma } from '../core/db/index.ts';
import { availabilitySchema } from '../core/product.ts';

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
    /** Listings rated at least this many stars on average (reviews). */
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
  /** Average stars of its visible reviews ("4.50"), and how many there are. */
  rating: z.string().nullable(),
  ratingCount: z.number().int(),
});
export type ProductSummary = z.infer<typeof productSummarySchema>;

const facetValueSchema = z.object({ value: z.string(), count: z.number().int() });
export const searchResultSchema = z.object({
  query: z.string(),
  /** Words of the query replaced by catalog words because they were misspelt. */
  corrections: z.record(z.string(), z.array(z.string())),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  items: z.array(productSummarySchema),
  facets: z.object({
    category: z.array(facetValueSchema),
    brand: z.array(facetValueSchema),
    availability: z.array(facetValueSchema),
    price: z.array(z.object({ min: z.number(), max: z.number().nullable(), count: z.number().int() })),
  }),
});
export type SearchResult = z.infer<typeof searchResultSchema>;

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

/** Only this many best text matches are ranked: ranking every hit of a broad query is what is slow. */
const RANKED_CANDIDATES = 2000;

/** Lower-case, accent-folded words of a query, as the search_vector holds them. */
export function queryTokens(q: string): string[] {
  const folded = q.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  return [...new Set(folded.match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, 10);
}

/**
 * For each token missing from the catalog's word list, the catalog words within a small
 * edit distance, found by trigram nearest-neighbour search (which alone misses transpositions,
 * so candidates are re-checked with Levenshtein distance).
 */
async function corrections(tokens: string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  const candidates = tokens.filter((t) => t.length >= 3 && !/^\d+$/.test(t));
  if (candidates.length === 0) return result;
  const rows = await db().$queryRaw<Array<{ token: string; word: string; known: boolean }>>`
    SELECT t.token, c.word, EXISTS (SELECT 1 FROM search_word w WHERE w.word = t.token) AS known
    FROM unnest(${candidates}::text[]) AS t(token)
    CROSS JOIN LATERAL (
      SELECT word FROM search_word ORDER BY word <-> t.token LIMIT 30
    ) c
    WHERE levenshtein(c.word, t.token) <= CASE WHEN length(t.token) <= 4 THEN 1 ELSE 2 END
      AND c.word <> t.token
    ORDER BY levenshtein(c.word, t.token), c.word`;
  for (const row of rows) {
    if (row.known) continue;
    const list = result.get(row.token) ?? [];
    if (list.length < 4) list.push(row.word);
    result.set(row.token, list);
  }
  return result;
}

function lexeme(word: string, prefix = false): string {
  return `'${word.replace(/['\\]/g, '')}'${prefix ? ':*' : ''}`;
}

/** Full-text search with typo tolerance, filters, disjunctive facets, sorting and pages. */
export async function searchProducts(query: SearchQuery): Promise<SearchResult> {
  const tokens = queryTokens(query.q);
  const fixes = await corrections(tokens);
  const tsquery = tokens
    .map((token, i) => {
      const last = i === tokens.length - 1 && token.length >= 2;
      const options = [lexeme(token, last), ...(fixes.get(token) ?? []).map((w) => lexeme(w))];
      return `(${options.join(' | ')})`;
    })
    .join(' & ');

  const textMatch = tsquery
    ? Prisma.sql`p.search_vector @@ to_tsquery('simple', ${tsquery})`
    : Prisma.sql`TRUE`;
  const siteMatch = query.site ? Prisma.sql`s.name = ${query.site}` : Prisma.sql`TRUE`;
  const currencyMatch = query.currency ? Prisma.sql`p.currency = ${query.currency}` : Prisma.sql`TRUE`;
  // The back office's override wins over the crawled title, category and price (catalog/overrides.ts).
  const path = Prisma.sql`(CASE WHEN cardinality(o.category_path) > 0 THEN o.category_path ELSE p.category_path END)`;
  const listedPrice = Prisma.sql`trawl_listed_price(p.price, p.currency, o.price_mode, o.price_value)`;
  const categoryOk = query.category ? Prisma.sql`${query.category} = ANY(${path})` : Prisma.sql`TRUE`;
  const brandOk = query.brand?.length ? Prisma.sql`p.brand = ANY(${query.brand}::text[])` : Prisma.sql`TRUE`;
  const priceOk = Prisma.sql`(${query.minPrice ?? null}::numeric IS NULL OR ${listedPrice} >= ${query.minPrice ?? null}::numeric)
    AND (${query.maxPrice ?? null}::numeric IS NULL OR ${listedPrice} <= ${query.maxPrice ?? null}::numeric)`;
  const stockOk = query.inStock ? Prisma.sql`p.availability = 'InStock'` : Prisma.sql`TRUE`;
  // Ratings are the reviews context's (listing_rating): read here, never written.
  const ratingMatch =
    query.minRating !== undefined
      ? Prisma.sql`coalesce(r.average, 0) >= ${query.minRating}`
      : Prisma.sql`TRUE`;
  const rank = tsquery
    ? Prisma.sql`ts_rank_cd(p.search_vector, to_tsquery('simple', ${tsquery}))`
    : Prisma.sql`0`;

  const order = {
    relevance: tsquery ? Prisma.sql`rank DESC, first_seen_at DESC, id` : Prisma.sql`first_seen_at DESC, id`,
    price_asc: Prisma.sql`price ASC NULLS LAST, id`,
    price_desc: Prisma.sql`price DESC NULLS LAST, id`,
    newest: Prisma.sql`first_seen_at DESC, id`,
    rating: Prisma.sql`rating DESC NULLS LAST, rating_count DESC, id`,
  }[query.sort];
  const offset = (query.page - 1) * query.pageSize;

  const base = Prisma.sql`
    SELECT p.id, coalesce(o.title, p.title) AS title, p.brand, ${listedPrice} AS price, p.currency,
      p.availability, p.images[1] AS image, ${path}[cardinality(${path})] AS category, p.url, s.name AS site,
      p.first_seen_at, r.average AS rating, coalesce(r.count, 0) AS rating_count,
      ${categoryOk} AS cat_ok, ${brandOk} AS brand_ok, (${priceOk}) AS price_ok, ${stockOk} AS stock_ok
    FROM product p JOIN site s ON s.id = p.site_id
    LEFT JOIN listing_override o ON o.product_id = p.id
    LEFT JOIN listing_rating r ON r.product_id = p.id AND r.count > 0
    WHERE ${textMatch} AND ${siteMatch} AND ${currencyMatch} AND ${ratingMatch} AND o.hidden IS NOT TRUE`;

  const [hits, facets] = await Promise.all([
    db().$queryRaw<
      Array<
        Omit<ProductSummary, 'price' | 'rating' | 'ratingCount'> & {
          price: Prisma.Decimal | null;
          rating: Prisma.Decimal | null;
          rating_count: number;
          total: number;
        }
      >
    >`
      WITH base AS (${base}),
      matched AS (SELECT * FROM base WHERE cat_ok AND brand_ok AND price_ok AND stock_ok),
      candidates AS (
        SELECT m.*, ${rank} AS rank FROM (SELECT * FROM matched LIMIT ${RANKED_CANDIDATES}) m
        JOIN product p ON p.id = m.id
      )
      SELECT id, title, brand, price, currency, availability::text AS availability, image, category, url, site,
        rating, rating_count::int AS rating_count, (SELECT count(*) FROM matched)::int AS total
      FROM ${query.sort === 'relevance' ? Prisma.sql`candidates` : Prisma.sql`(SELECT *, 0 AS rank FROM matched) x`}
      ORDER BY ${order}
      LIMIT ${query.pageSize} OFFSET ${offset}`,
    db().$queryRaw<Array<{ facet: string; value: string; bucket: number | null; count: number }>>`
      WITH base AS (${base})
      SELECT 'category' AS facet, category AS value, NULL::int AS bucket, count(*)::int AS count
        FROM base WHERE brand_ok AND price_ok AND stock_ok AND category IS NOT NULL GROUP BY category
      UNION ALL
      SELECT 'brand', brand, NULL, count(*)::int
        FROM base WHERE cat_ok AND price_ok AND stock_ok AND brand IS NOT NULL GROUP BY brand
      UNION ALL
      SELECT 'availability', availability::text, NULL, count(*)::int
        FROM base WHERE cat_ok AND brand_ok AND price_ok GROUP BY availability
      UNION ALL
      SELECT 'price', NULL, width_bucket(price, ${priceBuckets.map(([min]) => min).slice(1)}::numeric[]), count(*)::int
        FROM base WHERE cat_ok AND brand_ok AND stock_ok AND price IS NOT NULL GROUP BY 3`,
  ]);

  const byCount = (a: { count: number; value: string }, b: { count: number; value: string }) =>
    b.count - a.count || a.value.localeCompare(b.value);
  const facetValues = (name: string) =>
    facets
      .filter((f) => f.facet === name)
      .map((f) => ({ value: f.value, count: f.count }))
      .sort(byCount);

  return {
    query: query.q,
    corrections: Object.fromEntries(fixes),
    total: hits[0]?.total ?? (offset > 0 ? await countMatches(base) : 0),
    page: query.page,
    pageSize: query.pageSize,
    items: hits.map(({ total: _total, price, rating, rating_count, ...item }) => ({
      ...item,
      price: price === null ? null : formatDecimal(price),
      rating: rating === null ? null : rating.toFixed(2),
      ratingCount: rating_count,
    })),
    facets: {
      category: facetValues('category'),
      brand: facetValues('brand').slice(0, 50),
      availability: facetValues('availability'),
      price: facets
        .filter((f) => f.facet === 'price' && f.bucket !== null)
        .map((f) => {
          const [min, max] = priceBuckets[f.bucket!]!;
          return { min, max, count: f.count };
        })
        .sort((a, b) => a.min - b.min),
    },
  };
}

async function countMatches(base: Prisma.Sql): Promise<number> {
  const [row] = await db().$queryRaw<Array<{ total: number }>>`
    WITH base AS (${base}) SELECT count(*)::int AS total FROM base WHERE cat_ok AND brand_ok AND price_ok AND stock_ok`;
  return row?.total ?? 0;
}

/** A stored decimal with trailing zeros trimmed to two places ("19.9000" → "19.90"). */
export function formatDecimal(value: Prisma.Decimal | string): string {
  const text = typeof value === 'string' ? value : value.toFixed(4);
  const [whole, fraction = ''] = text.split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return `${whole}.${trimmed.padEnd(2, '0')}`;
}
