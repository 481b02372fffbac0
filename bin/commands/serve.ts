import type { ServerType } from '@hono/node-server';
import { serve } from '@hono/node-server';
import { closeLiveStreams, createApp } from '../../api/index.ts';
import { CrawlRuns, exportActiveRuns } from '../../catalog/index.ts';
import { syncPermissions } from '../../commerce/accounts/index.ts';
import { exportQueueDepths } from '../../core/queues.ts';
import { onShutdown } from '../shutdown.ts';

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

/**
 * serveApi for a process that runs until shutdown: its /metrics also report queue depths and
 * active runs, and on shutdown open live streams end first (they would hold the server open).
 */
export async function serveApiUntilShutdown(port: number, hostname: string): Promise<{ url: string }> {
  exportQueueDepths();
  exportActiveRuns();
  const { server, url } = await serveApi(port, hostname);
  onShutdown(() => new Promise((resolve) => server.close(() => resolve(undefined))));
  // Hooks run newest first: this one before the server closes.
  onShutdown(closeLiveStreams);
  return { url };
}
