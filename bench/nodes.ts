/**
 * Crawler nodes scale out: crawls the demo shop, answering every page in 200 ms, with one
 * crawler node and then with four (each a `trawl worker crawl` process), and prints pages
 * per second of each and the speed-up (issue goal: four nodes at least 3.5 times faster).
 *
 *   node --import tsx bench/nodes.ts [--latency MS] [--concurrency N] [--products N]
 */
import { parseArgs } from 'node:util';
import { machineCpu, prepareBenchEnvironment, startShopProcess, table } from './support.ts';

const { values } = parseArgs({
  options: {
    latency: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '4' },
    products: { type: 'string', default: '2000' },
  },
});

await prepareBenchEnvironment('nodes');
const { demoSite } = await import('../demo/index.ts');
const { CrawlRuns, putSite } = await import('../catalog/index.ts');
const { waitForRun, closeConnections, startWorkerProcess } = await import('../test/support.ts');

// Shop, crawler nodes and the ingest worker each run in a process of their own.
const shop = await startShopProcess({ products: Number(values.products), latencyMs: Number(values.latency) });
const rules = demoSite(shop.url);
await putSite({ ...rules, maxPages: 1_000_000, politeness: { maxInFlightPerHost: 64, minDelayMs: 0 } });
const runs = new CrawlRuns();
const ingest = await startWorkerProcess('ingest');

async function crawlWith(
  nodes: number,
): Promise<{ nodes: number; pages: number; seconds: number; cpu: number }> {
  const children = await Promise.all(
    Array.from({ length: nodes }, () =>
      startWorkerProcess('crawl', { CRAWL_CONCURRENCY: values.concurrency! }),
    ),
  );
  const cpu = machineCpu();
  const started = performance.now();
  const run = await runs.start(rules.name);
  const finished = await waitForRun(runs, run.id, 900_000);
  const seconds = (performance.now() - started) / 1000;
  const { busy } = machineCpu(cpu);
  await Promise.all(
    children.map((child) => {
      child.kill('SIGTERM');
      return new Promise((resolve) => child.once('exit', resolve));
    }),
  );
  if (finished.status !== 'completed') throw new Error(`run ${finished.status}: ${finished.failureReason}`);
  return { nodes, pages: finished.fetched, seconds, cpu: busy };
}

const one = await crawlWith(1);
// The second crawl must fetch every page again, not ask "changed since?".
const { redis, key } = await import('../core/redis.ts');
const site = await (await import('../catalog/index.ts')).getSite(rules.name);
await redis().del(key('validators', site!.id));
const four = await crawlWith(4);

process.stdout.write(
  `demo shop: ${shop.products} products, ${values.latency} ms per page; ` +
    `${values.concurrency} requests in flight per node\n\n`,
);
process.stdout.write(
  `${table(
    [one, four].map((r) => ({
      'crawler nodes': r.nodes,
      pages: r.pages,
      seconds: r.seconds.toFixed(2),
      'pages/s': (r.pages / r.seconds).toFixed(1),
      'machine CPU busy': `${(r.cpu * 100).toFixed(0)}%`,
    })),
  )}\n\n`,
);
process.stdout.write(
  `speed-up of 4 nodes over 1: ${(four.pages / four.seconds / (one.pages / one.seconds)).toFixed(2)}x\n`,
);
ingest.kill('SIGTERM');
await shop.close();
await closeConnections();
process.exit(0);
