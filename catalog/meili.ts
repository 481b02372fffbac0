/**
 * The Meilisearch engine (official `meilisearch` client). Documents are search_document rows:
 * one per catalog product, with the effective values shoppers see. Ingestion keeps them current
 * through search_outbox (filled by a trigger in the same transaction as every document change);
 * `sync` drains it in batches and `reindex` rebuilds the index beside the live one and swaps.
 */
import { type Index, Meilisearch, type MultiSearchParams, type SearchParams } from 'meilisearch';
import { db, Prisma } from '../core/db/index.ts';
import type { SearchEngine } from './engine.ts';
import { formatDecimal, type SearchQuery, type SearchResult, TOTAL_CAP } from './search.ts';

const INDEX = 'products';
const TARGET = 'meilisearch';
const BATCH = 1000;

/** Price facet buckets, as Postgres counts them (upper bound exclusive). */
const priceBuckets: Array<[number, number | null]> = [
  [0, 25],
  [25, 50],
  [50, 100],
  [100, 250],
  [250, 500],
  [500, 1000],
  [1000, null],
];

interface MeiliDocument {
  id: string;
  offer_id: string;
  title: string;
  brand: string | null;
  category_path: string[];
  category: string | null;
  /** For filters and sorting; the exact decimal is price_text (money is never a float here). */
  price: number | null;
  price_text: string | null;
  price_bucket: number | null;
  currency: string | null;
  availability: string;
  in_stock: boolean;
  sites: string[];
  site: string;
  url: string;
  image: string | null;
  first_seen_at: number;
  boost: number;
  offers: number;
  /** Average stars for filters and sorting (0: no reviews); rating_text is the exact one shown. */
  rating: number;
  rating_text: string | null;
  rating_count: number;
  /** The document's words as Postgres indexes them (title, brand, codes, category, description). */
  words: string;
}

const settings = {
  searchableAttributes: ['title', 'brand', 'category_path', 'words'],
  filterableAttributes: [
    'category_path',
    'category',
    'brand',
    'price',
    'price_bucket',
    'currency',
    'in_stock',
    'sites',
    'availability',
    'rating',
  ],
  sortableAttributes: ['price', 'first_seen_at', 'id', 'rating', 'rating_count'],
  // Relevance first, then in stock and more offers, then newest; Meilisearch breaks the last ties
  // by its internal document order, the same for the same index.
  rankingRules: [
    'words',
    'typo',
    'proximity',
    'attribute',
    'sort',
    'exactness',
    'boost:desc',
    'first_seen_at:desc',
  ],
  typoTolerance: { minWordSizeForTypos: { oneTypo: 4, twoTypos: 9 } },
  pagination: { maxTotalHits: TOTAL_CAP },
  faceting: { maxValuesPerFacet: 100 },
};

/** A Meilisearch filter string literal. */
const quote = (value: string) => JSON.stringify(value);

async function documents(where: Prisma.Sql, limit: number): Promise<MeiliDocument[]> {
  const bounds = priceBuckets.map(([min]) => min).slice(1);
  const rows = await db().$queryRaw<
    Array<
      Omit<MeiliDocument, 'price' | 'rating'> & {
        price: Prisma.Decimal | null;
        rating: Prisma.Decimal | null;
      }
    >
  >`
    SELECT d.id::text, d.offer_id::text, d.title, d.brand, d.category_path, d.category, d.price,
      d.price::text AS price_text, width_bucket(d.price, ${bounds}::numeric[]) AS price_bucket,
      rtrim(d.currency) AS currency, d.availability::text AS availability, d.in_stock, d.sites, d.site,
      d.url, d.image, (extract(epoch FROM d.first_seen_at) * 1000)::bigint::float8 AS first_seen_at,
      d.boost, d.offers, d.rating, d.rating::text AS rating_text, d.rating_count, array_to_string(tsvector_to_array(d.document), ' ') AS words
    FROM search_document d WHERE ${where} ORDER BY d.id LIMIT ${limit}`;
  return rows.map((r) => ({
    ...r,
    price: r.price === null ? null : r.price.toNumber(),
    price_text: r.price_text === null ? null : formatDecimal(r.price_text),
    rating: r.rating === null ? 0 : r.rating.toNumber(),
  }));
}

export class MeiliEngine implements SearchEngine {
  readonly name = 'meilisearch' as const;
  readonly #client: Meilisearch;

  constructor(options: { host: string; apiKey?: string | undefined; index?: string }) {
    this.#client = new Meilisearch({
      host: options.host,
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    });
    this.#index = options.index ?? INDEX;
  }

  readonly #index: string;

  #products(): Index<MeiliDocument> {
    return this.#client.index<MeiliDocument>(this.#index);
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const filters: Record<string, string | undefined> = {
      site: query.site ? `sites = ${quote(query.site)}` : undefined,
      currency: query.currency ? `currency = ${quote(query.currency)}` : undefined,
      category: query.category ? `category_path = ${quote(query.category)}` : undefined,
      brand: query.brand?.length ? `brand IN [${query.brand.map(quote).join(', ')}]` : undefined,
      price:
        query.minPrice !== undefined || query.maxPrice !== undefined
          ? [
              query.minPrice !== undefined ? `price >= ${query.minPrice}` : undefined,
              query.maxPrice !== undefined ? `price <= ${query.maxPrice}` : undefined,
            ]
              .filter(Boolean)
              .join(' AND ')
          : undefined,
      availability: query.inStock ? 'in_stock = true' : undefined,
      rating: query.minRating !== undefined ? `rating >= ${query.minRating}` : undefined,
    };
    const filterOf = (except?: string) =>
      Object.entries(filters)
        .filter(([name, f]) => f !== undefined && name !== except)
        .map(([, f]) => f!);
    const sort = {
      relevance: undefined,
      price_asc: ['price:asc', 'id:asc'],
      price_desc: ['price:desc', 'id:asc'],
      newest: ['first_seen_at:desc', 'id:asc'],
      rating: ['rating:desc', 'rating_count:desc', 'id:asc'],
    }[query.sort];
    const main: SearchParams & { indexUid: string; q: string } = {
      indexUid: this.#index,
      q: query.q,
      filter: filterOf(),
      facets: ['category', 'brand', 'availability', 'price_bucket'],
      page: query.page,
      hitsPerPage: query.pageSize,
      ...(sort ? { sort } : {}),
    };
    // Disjunctive facets: a facet with an active filter is counted without it.
    const active = ['category', 'brand', 'availability', 'price'].filter((f) => filters[f] !== undefined);
    const facetName = (f: string) => (f === 'price' ? 'price_bucket' : f);
    const queries: MultiSearchParams['queries'] = [
      main,
      ...active.map((f) => ({
        indexUid: this.#index,
        q: query.q,
        filter: filterOf(f),
        facets: [facetName(f)],
        hitsPerPage: 0,
        page: 1,
      })),
    ];
    const { results } = await this.#client.multiSearch({ queries });
    const [first, ...others] = results;
    const distribution = (name: string): Record<string, number> => {
      const i = active.findIndex((f) => facetName(f) === name);
      const source = i >= 0 ? others[i] : first;
      return (source?.facetDistribution?.[name] as Record<string, number> | undefined) ?? {};
    };
    const values = (name: string) =>
      Object.entries(distribution(name))
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    const total = Math.min((first as { totalHits?: number }).totalHits ?? 0, TOTAL_CAP);
    const hits = (first?.hits ?? []) as unknown as MeiliDocument[];
    return {
      query: query.q,
      corrections: {},
      total,
      totalExact: total < TOTAL_CAP,
      page: query.page,
      pageSize: query.pageSize,
      items: hits.map((h) => ({
        id: h.offer_id,
        productId: h.id,
        title: h.title,
        brand: h.brand,
        price: h.price_text,
        currency: h.currency,
        availability: h.availability as SearchResult['items'][number]['availability'],
        image: h.image,
        category: h.category,
        url: h.url,
        site: h.site,
        offers: h.offers,
        rating: h.rating_text,
        ratingCount: h.rating_count,
      })),
      facets: {
        category: values('category'),
        brand: values('brand').slice(0, 50),
        availability: values('availability'),
        price: Object.entries(distribution('price_bucket'))
          .map(([bucket, count]) => {
            const [min, max] = priceBuckets[Number(bucket)]!;
            return { min, max, count };
          })
          .sort((a, b) => a.min - b.min),
      },
      facetsExhaustive: total < TOTAL_CAP,
    };
  }

  async #register(): Promise<void> {
    await db().$executeRaw`INSERT INTO search_sync_target (name) VALUES (${TARGET}) ON CONFLICT DO NOTHING`;
  }

  async sync(): Promise<number> {
    await this.#register();
    let sent = 0;
    for (;;) {
      const done = await db().$transaction(
        async (tx) => {
          const claimed = await tx.$queryRaw<Array<{ id: string }>>`
            DELETE FROM search_outbox WHERE seq IN (
              SELECT seq FROM search_outbox ORDER BY seq LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
            RETURNING catalog_product_id::text AS id`;
          const ids = [...new Set(claimed.map((c) => c.id))];
          if (ids.length === 0) return 0;
          const docs = await documents(Prisma.sql`d.id = ANY(${ids}::uuid[])`, ids.length);
          const present = new Set(docs.map((d) => d.id));
          const gone = ids.filter((id) => !present.has(id));
          // Only once Meilisearch has applied them does the outbox forget them (else it rolls back).
          if (docs.length) await this.#products().addDocuments(docs, { primaryKey: 'id' }).waitTask();
          if (gone.length) await this.#products().deleteDocuments(gone).waitTask();
          return ids.length;
        },
        { timeout: 120_000 },
      );
      if (done === 0) return sent;
      sent += done;
    }
  }

  async reindex(): Promise<number> {
    // Changes from now on are queued, so none made during the rebuild is lost.
    await this.#register();
    const next = `${this.#index}_next`;
    await this.#client.deleteIndex(next).waitTask();
    await this.#client.createIndex(next, { primaryKey: 'id' }).waitTask();
    const staging = this.#client.index<MeiliDocument>(next);
    await staging.updateSettings(settings).waitTask();
    let count = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const batch = await documents(Prisma.sql`d.id > ${after}::uuid`, 5000);
      if (batch.length === 0) break;
      await staging.addDocuments(batch).waitTask();
      count += batch.length;
      after = batch.at(-1)!.id;
    }
    const existing = await this.#client.getIndexes({ limit: 1000 });
    if (!existing.results.some((i: { uid: string }) => i.uid === this.#index)) {
      await this.#client.createIndex(this.#index, { primaryKey: 'id' }).waitTask();
    }
    await this.#client.swapIndexes([{ indexes: [this.#index, next], rename: false }]).waitTask();
    await this.#client.deleteIndex(next).waitTask();
    await this.sync();
    return count;
  }
}
