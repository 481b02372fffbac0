import type { ServerType } from '@hono/node-server';
import { serve } from '@hono/node-server';
import { createApp } from '../../api/index.ts';
import { CrawlRuns } from '../../catalog/index.ts';
import { syncPermissions } from '../../commerce/accounts/index.ts';

/** Serves the API and storefront; resolves with the server and its base URL once listening. */
export async function serveApi(port: number, hostname: string): Promise<{ server: ServerType; url: string }> {
  // The permission table follows the code (new permissions, new descriptions) before anyone asks.
  await syncPermissions();
  const app = createApp({ runs: CrawlRuns.forRequests() });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
      const host = hostname === '0.0.0.0' ? '127.0.0.1' : hostname;
      resolve({ server, url: `http://${host}:${info.port}` });
    });
    server.once('error', reject);
  });
}
