/**
 * One search interface, two engines: Postgres (the default: search_document, no extra server)
 * and Meilisearch (chosen by MEILI_URL, for installs that outgrow Postgres). Both answer the
 * same query with the same result shape; the contract suite (test/search-engine-contract.ts) holds
 * them to the same behaviour.
 */
import { config } from '../core/config.ts';
import { db } from '../core/db/index.ts';
import { MeiliEngine } from './meili.ts';
import { type SearchQuery, type SearchResult, searchProducts } from './search.ts';

export interface SearchEngine {
  readonly name: 'postgres' | 'meilisearch';
  search(query: SearchQuery): Promise<SearchResult>;
  /**
   * Brings the engine up to date with every committed document change; returns how many
   * products it sent. Batched and idempotent: running it twice, or in two processes, is safe.
   */
  sync(): Promise<number>;
  /** Rebuilds the engine's index from search_document; returns the number of documents. */
  reindex(): Promise<number>;
}

/** Postgres reads search_document directly: triggers keep it current, nothing to sync. */
export class PostgresEngine implements SearchEngine {
  readonly name = 'postgres' as const;

  search(query: SearchQuery): Promise<SearchResult> {
    return searchProducts(query);
  }

  async sync(): Promise<number> {
    return 0;
  }

  /** Rewrites every document from the listings (after a change of how documents are built). */
  async reindex(): Promise<number> {
    await db().$executeRaw`SELECT trawl_refresh_catalog_documents(ARRAY(SELECT id FROM catalog_product))`;
    const [row] = await db().$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM search_document`;
    return row?.n ?? 0;
  }
}

let engine: SearchEngine | undefined;
let engineUrl: string | undefined;

/** The configured engine: Meilisearch when MEILI_URL is set, Postgres otherwise. */
export function searchEngine(): SearchEngine {
  const { MEILI_URL, MEILI_KEY } = config();
  if (!engine || engineUrl !== MEILI_URL) {
    engine = MEILI_URL ? new MeiliEngine({ host: MEILI_URL, apiKey: MEILI_KEY }) : new PostgresEngine();
    engineUrl = MEILI_URL;
  }
  return engine;
}
