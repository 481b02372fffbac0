import type { Logger } from 'pino';
import { searchEngine } from '../catalog/index.ts';

/**
 * Keeps an external search engine (Meilisearch) in step with ingestion: drains search_outbox,
 * which every document change fills in its own transaction, in batches. Idempotent, so any
 * number of these may run. With the Postgres engine there is nothing to do.
 */
export class SearchSyncWorker {
  readonly #timer: NodeJS.Timeout;
  #running: Promise<unknown> = Promise.resolve();

  constructor(log: Logger, intervalMs = 1_000) {
    this.#timer = setInterval(() => {
      this.#running = this.#running.then(async () => {
        try {
          const sent = await searchEngine().sync();
          if (sent > 0) log.debug({ sent, engine: searchEngine().name }, 'search documents synced');
        } catch (error) {
          log.error({ err: error, engine: searchEngine().name }, 'search sync failed; retrying');
        }
      });
    }, intervalMs);
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }
}
