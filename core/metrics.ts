import { createServer, type Server } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per process; every process kind exposes it at /metrics. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'trawl_' });
// prom-client exports these three as gauges named `_total`, which Prometheus reserves for
// counters (`promtool check metrics` flags them). Each is the sum of its per-type gauge
// (trawl_nodejs_active_handles{type} and so on), so nothing is lost without them.
for (const name of ['active_handles', 'active_requests', 'active_resources'])
  registry.removeSingleMetric(`trawl_nodejs_${name}_total`);

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
  // Every process samples the same Redis or Postgres: API processes added up would count it twice.
  aggregator: 'max',
  help: 'Jobs in a queue by state, sampled at scrape time.',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
});

/**
 * Age of the oldest job ready to run in a queue, sampled at scrape time (0 when none waits).
 * For the ingest queue this is the ingest lag: how long ago the oldest product still waiting
 * to be written was extracted. It stays right when no ingest worker runs at all, where a
 * histogram of processed jobs would go silent.
 */
export const queueOldestJobAge = new Gauge({
  name: 'trawl_queue_oldest_job_age_seconds',
  aggregator: 'max',
  help: 'Age of the oldest job waiting in a queue (0 when none waits), sampled at scrape time.',
  labelNames: ['queue'] as const,
  registers: [registry],
});

/**
 * Active crawl runs by site and status (queued, running, paused), sampled from Postgres at
 * scrape time. It lets an alert tell "a run is on and nothing moves" from "nothing to do".
 * Bounded like every site label: one series per site with an active run.
 */
export const crawlRunsActive = new Gauge({
  name: 'trawl_crawl_runs',
  aggregator: 'max',
  help: 'Active crawl runs by site and status (queued, running, paused), sampled at scrape time.',
  labelNames: ['site', 'status'] as const,
  registers: [registry],
});

export const httpRequestDuration = new Histogram({
  name: 'trawl_http_request_duration_seconds',
  help: 'API and storefront request duration by method, route and status.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

export const costlyWritesWaiting = new Gauge({
  name: 'trawl_http_costly_writes_waiting',
  help: 'Requests placing an order or paying that wait for their turn in this API process (api/admission.ts).',
  registers: [registry],
});

export const costlyWritesRefused = new Counter({
  name: 'trawl_http_costly_writes_refused_total',
  help: 'Requests placing an order or paying answered 503 because too many were waiting already, or for too long.',
  registers: [registry],
});

export const authCacheLookups = new Counter({
  name: 'trawl_auth_cache_lookups_total',
  help: 'Sessions and API tokens looked up by the API: answered from its memory (hit), from an entry another process shared through Redis (shared), or from Postgres (miss).',
  labelNames: ['result'] as const,
  registers: [registry],
});

/** Hooks run before each scrape (e.g. sampling queue depths). */
const beforeScrape: Array<() => Promise<void>> = [];
export function onScrape(hook: () => Promise<void>): void {
  beforeScrape.push(hook);
}

/** Runs the hooks that sample gauges at scrape time. */
export async function sampleBeforeScrape(): Promise<void> {
  await Promise.allSettled(beforeScrape.map((hook) => hook()));
}

export async function renderMetrics(): Promise<string> {
  await sampleBeforeScrape();
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
