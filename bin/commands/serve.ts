import type { ServerType } from '@hono/node-server';
import { serve } from '@hono/node-server';
import { createApp } from '../../api/index.ts';
import { CrawlRuns } from '../../catalog/index.ts';
import { syncPermissions } from '../../commerce/accounts/index.ts';
import { queue } from '../../core/queues.ts';
import { redisFailFast } from '../../core/redis.ts';

/**
 * The CrawlRuns an API process uses: its Redis commands fail within about a second when Redis
 * is down, so a request answers 503 instead of hanging.
 */
export function apiRuns(): CrawlRuns {
  return new CrawlRuns(redisFailFast(), queue('crawl', { failFast: true }));
}

/** Serves the API and storefront; resolves with the server and its base URL once listening. */
export async function serveApi(port: number, hostname: string): Promise<{ server: ServerType; url: string }> {
  // The permission table follows the code (new permissions, new descriptions) before anyone asks.
  await syncPermissions();
  const app = createApp({ runs: apiRuns() });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
      const host = hostname === '0.0.0.0' ? '127.0.0.1' : hostname;
      resolve({ server, url: `http://${host}:${info.port}` });
    });
    server.once('error', reject);
  });
}
