/**
 * Crawler nodes scale out: crawls the demo shop, answering every page in 200 ms, with one
 * crawler node and then with four (each a `trawl worker crawl` process), and prints pages
 * per second of each and the speed-up (issue goal: four nodes at least 3.5 times faster).
 *
 *   node --import tsx bench/nodes.ts [--latency MS] [--concurrency N] [--products N]
 */
import { parseArgs } from 'node:util';
import { prepareBenchEnvironment, table } from './support.ts';

const { values } = parseArgs({
  options: {
    latency: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '4' },
    products: { type: 'string', default: '540' },
  },
});

await prepareBenchEnvironment('nodes');
const { startDemoShop, demoSite, generateCatalog } = await import('../demo/index.ts');
const { CrawlRuns, putSite } = await import('../catalog/index.ts');
const { IngestWorker } = await import('../workers/index.ts');
const { logger } = await import('../core/logger.ts');
const { waitForRun, closeConnections, startCrawlerProcess } = await import('../test/support.ts');

const shop = await startDemoShop({
  catalog: generateCatalog({ products: Number(values.products) }),
  latencyMs: Number(values.latency),
});
const rules = demoSite(shop.url);
await putSite({ ...rules, maxPages: 1_000_000, politeness: { maxInFlightPerHost: 64, minDelayMs: 0 } });
const runs = new CrawlRuns();
const ingest = new IngestWorker(runs, logger());
await ingest.ready();

async function crawlWith(nodes: number): Promise<{ nodes: number; pages: number; seconds: number }> {
  const children = await Promise.all(
    Array.from({ length: nodes }, () => startCrawlerProcess({ CRAWL_CONCURRENCY: values.concurrency! })),
  );
  const started = performance.now();
  const run = await runs.start(rules.name);
  const finished = await waitForRun(runs, run.id, 900_000);
  const seconds = (performance.now() - started) / 1000;
  for (const child of children) child.kill('SIGTERM');
  if (finished.status !== 'completed') throw new Error(`run ${finished.status}: ${finished.failureReason}`);
  return { nodes, pages: finished.fetched, seconds };
}

const one = await crawlWith(1);
// The second crawl must fetch every page again, not ask "changed since?".
const { redis, key } = await import('../core/redis.ts');
const site = await (await import('../catalog/index.ts')).getSite(rules.name);
await redis().del(key('validators', site!.id));
const four = await crawlWith(4);

process.stdout.write(
  `demo shop: ${shop.catalog.products.length} products, ${values.latency} ms per page; ` +
    `${values.concurrency} requests in flight per node\n\n`,
);
process.stdout.write(
  `${table(
    [one, four].map((r) => ({
      'crawler nodes': r.nodes,
      pages: r.pages,
      seconds: r.seconds.toFixed(2),
      'pages/s': (r.pages / r.seconds).toFixed(1),
    })),
  )}\n\n`,
);
process.stdout.write(
  `speed-up of 4 nodes over 1: ${(four.pages / four.seconds / (one.pages / one.seconds)).toFixed(2)}x\n`,
);
await ingest.close();
await shop.close();
await closeConnections();
process.exit(0);
