import { afterAll, describe, it } from 'vitest';
import { closeConnections } from '../test/connections.ts';
import { searchEngineContract } from '../test/search-engine-contract.ts';
import { PostgresEngine } from './engine.ts';
import { MeiliEngine } from './meili.ts';

afterAll(closeConnections);

searchEngineContract('postgres', () => postgres, 'contract-pg');
const postgres = new PostgresEngine();

// Meilisearch: only against a real server (MEILI_URL); there is no fake Meilisearch. Without one,
// this says so and proves nothing about Meilisearch.
const meiliUrl = process.env.MEILI_URL;
if (meiliUrl) {
  const meili = new MeiliEngine({
    host: meiliUrl,
    apiKey: process.env.MEILI_KEY,
    index: 'trawltest_products',
  });
  describe('meilisearch index', () => {
    it('is rebuilt from the documents', async () => {
      await meili.reindex();
    });
  });
  searchEngineContract('meilisearch', () => meili, 'contract-meili');
} else {
  describe('search engine contract: meilisearch', () => {
    it.skip('needs MEILI_URL pointing at a real Meilisearch server (not run: no server here)', () => {});
  });
}
