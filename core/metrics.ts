import { createServer, type Server } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per process; every process kind exposes it at /metrics. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'trawl_' });

export const pagesFetched = new Counter({
  name: 'trawl_pages_fetched_total',
  help: 'Pages fetched by crawler nodes, by site, host and HTTP status.',
  labelNames: ['site', 'host', 'status'] as const,
  registers: [registry],
});

export const pagesRendered = new Counter({
  name: 'trawl_pages_rendered_total',
  help: 'Pages rendered in Chromium (browser and auto render modes), by site and HTTP status.',
  labelNames: ['site', 'status'] as const,
  registers: [registry],
});

export const pageErrors = new Counter({
  name: 'trawl_page_errors_total',
  help: 'Failed page attempts by site and kind of error (http_4xx, http_5xx, timeout, network, too_large, content_type, private_address, other).',
  labelNames: ['site', 'kind'] as const,
  registers: [registry],
});

export const fetchDuration = new Histogram({
  name: 'trawl_fetch_duration_seconds',
  help: 'Time from request start to a handled page, by site and host.',
  labelNames: ['site', 'host'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const urlsSkipped = new Counter({
  name: 'trawl_urls_skipped_total',
  help: 'Discovered URLs not crawled, by site and reason.',
  labelNames: ['site', 'reason'] as const,
  registers: [registry],
});

export const productsExtracted = new Counter({
  name: 'trawl_products_extracted_total',
  help: 'Product records extracted from pages.',
  labelNames: ['site'] as const,
  registers: [registry],
});

export const productsIngested = new Counter({
  name: 'trawl_products_ingested_total',
  help: 'Product records written by ingestion, by outcome (inserted, updated, unchanged, invalid).',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const ingestBatchDuration = new Histogram({
  name: 'trawl_ingest_batch_duration_seconds',
  help: 'Time to write one batch of products.',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const queueDepth = new Gauge({
  name: 'trawl_queue_jobs',
  help: 'Jobs in a queue by state, sampled at scrape time.',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
});

export const httpRequestDuration = new Histogram({
  name: 'trawl_http_request_duration_seconds',
  help: 'API and storefront request duration by method, route and status.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

/** Hooks run before each scrape (e.g. sampling queue depths). */
const beforeScrape: Array<() => Promise<void>> = [];
export function onScrape(hook: () => Promise<void>): void {
  beforeScrape.push(hook);
}

export async function renderMetrics(): Promise<string> {
  await Promise.allSettled(beforeScrape.map((hook) => hook()));
  return registry.metrics();
}

/** A tiny /metrics server for worker processes (the API serves /metrics itself). */
export async function serveMetrics(
  port: number,
  host = '127.0.0.1',
): Promise<{ server: Server; port: number }> {
  const server = createServer(async (req, res) => {
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(await renderMetrics());
    } else if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : port };
}
