/**
 * Memory of a long-lived crawler node: crawls a demo shop of about 50,000 pages with one
 * `trawl worker crawl` process and prints its resident memory (RSS, from /proc) every
 * 10,000 pages. The goal: flat, not growing with the pages crawled.
 *
 *   node --import tsx bench/memory.ts [--products N] [--concurrency N]
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { prepareBenchEnvironment, table } from './support.ts';

const { values } = parseArgs({
  options: {
    products: { type: 'string', default: '48000' },
    concurrency: { type: 'string', default: '16' },
    every: { type: 'string', default: '10000' },
  },
});

await prepareBenchEnvironment('memory');
const { startDemoShop, demoSite, generateCatalog } = await import('../demo/index.ts');
const { CrawlRuns, putSite } = await import('../catalog/index.ts');
const { IngestWorker } = await import('../workers/index.ts');
const { logger } = await import('../core/logger.ts');
const { closeConnections, startWorkerProcess } = await import('../test/support.ts');

const shop = await startDemoShop({ catalog: generateCatalog({ products: Number(values.products) }) });
const rules = demoSite(shop.url);
await putSite({ ...rules, maxPages: 10_000_000 });
const runs = new CrawlRuns();
const ingest = new IngestWorker(runs, logger());
await ingest.ready();

const node = await startWorkerProcess('crawl', { CRAWL_CONCURRENCY: values.concurrency! });

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const every = Number(values.every);
const samples: Array<Record<string, string | number>> = [];
const started = performance.now();
const run = await runs.start(rules.name);
let next = every;
let peak = 0;
for (;;) {
  const view = await runs.get(run.id);
  const rss = await rssMiB(node.pid!);
  peak = Math.max(peak, rss);
  const pages = (view?.fetched ?? 0) + (view?.failed ?? 0);
  if (pages >= next || (view && view.status !== 'running')) {
    samples.push({
      pages,
      'RSS MiB': rss.toFixed(0),
      'peak RSS MiB': peak.toFixed(0),
      'pages/s': (pages / ((performance.now() - started) / 1000)).toFixed(0),
    });
    process.stderr.write(`${pages} pages, RSS ${rss.toFixed(0)} MiB\n`);
    while (next <= pages) next += every;
  }
  if (view && view.status !== 'running') break;
  await new Promise((resolve) => setTimeout(resolve, 500));
}

process.stdout.write(
  `crawler node memory while crawling ${shop.catalog.products.length} products\n\n${table(samples)}\n`,
);
const first = Number(samples[0]?.['RSS MiB'] ?? 0);
const last = Number(samples.at(-1)?.['RSS MiB'] ?? 0);
process.stdout.write(`\nRSS growth from the first to the last sample: ${(last - first).toFixed(0)} MiB\n`);
node.kill('SIGTERM');
await ingest.close();
await shop.close();
await closeConnections();
process.exit(0);
