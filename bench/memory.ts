/**
 * Memory of a long-lived crawler node: crawls a demo shop of about 50,000 pages with one
 * `trawl worker crawl` process and prints its resident memory (RSS, from /proc) every
 * 10,000 pages. The issue's goal: flat, not growing with the pages crawled.
 *
 * V8 sizes a process's heap from the machine's memory and grows it lazily, so on a large machine
 * RSS climbs for a long while without anything leaking. So the node runs as the README
 * recommends, with its old space capped (--max-old-space-size, `--heap-mib`, default 256): a
 * leak then ends in an out-of-memory crash or a climbing RSS, while a node that keeps nothing per
 * page stays flat under the cap. `--heap-mib 0` runs it uncapped.
 *
 *   node --import tsx bench/memory.ts [--products N] [--concurrency N] [--heap-mib N]
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { prepareBenchEnvironment, table } from './support.ts';

const { values } = parseArgs({
  options: {
    products: { type: 'string', default: '48000' },
    concurrency: { type: 'string', default: '16' },
    every: { type: 'string', default: '10000' },
    'heap-mib': { type: 'string', default: '256' },
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

const heapMiB = Number(values['heap-mib']);
if (!(Number.isInteger(heapMiB) && (heapMiB === 0 || heapMiB >= 64)))
  throw new Error('--heap-mib must be 0 (uncapped) or a whole number of MiB, at least 64');
const node = await startWorkerProcess('crawl', {
  CRAWL_CONCURRENCY: values.concurrency!,
  ...(heapMiB
    ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${heapMiB}`.trim() }
    : {}),
});
let exited: number | null | undefined;
node.once('exit', (code) => {
  exited = code;
});

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
  if (exited !== undefined) throw new Error(`the crawler node exited with ${exited} (out of memory?)`);
  await new Promise((resolve) => setTimeout(resolve, 500));
}

process.stdout.write(
  `crawler node memory while crawling ${shop.catalog.products.length} products` +
    `${heapMiB ? ` (old space capped at ${heapMiB} MiB)` : ' (heap not capped)'}\n\n${table(samples)}\n`,
);
const first = Number(samples[0]?.['RSS MiB'] ?? 0);
const last = Number(samples.at(-1)?.['RSS MiB'] ?? 0);
process.stdout.write(`\nRSS growth from the first to the last sample: ${(last - first).toFixed(0)} MiB\n`);
node.kill('SIGTERM');
await ingest.close();
await shop.close();
await closeConnections();
process.exit(0);
