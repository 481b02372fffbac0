import { type ServerType, serve } from '@hono/node-server';
import { createApp } from '../api/index.ts';
import { CrawlRuns } from '../catalog/index.ts';

/** The real app on a loopback port. */
export async function startApi(): Promise<{ url: string; close(): Promise<void> }> {
  const app = createApp({ runs: CrawlRuns.forRequests() });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
