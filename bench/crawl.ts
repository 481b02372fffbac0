/**
 * Crawls one large demo shop with the full Trawl pipeline (frontier in Redis, crawler node,
 * extraction, ingestion into Postgres, searchable) and with a plain Crawlee CheerioCrawler
 * that only follows the same links, in the same run, and prints pages per second of each
 * and their ratio (issue goal: Trawl at least equal).
 *
 * Every part runs as it would in production: the shop in a process of its own (a real shop
 * is on another machine), Trawl as `trawl worker crawl` and `trawl worker ingest` processes,
 * plain Crawlee in this process. All share this machine's cores with Postgres and Redis.
 *
 *   npm run bench -- [--products N] [--concurrency N] [--nodes N]
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CheerioCrawler } from '@crawlee/cheerio';
import { Configuration, log as crawleeLog, LogLevel, RequestQueue } from '@crawlee/core';
import { machineCpu, prepareBenchEnvironment, startShopProcess, table } from './support.ts';

const { values } = parseArgs({
  options: {
    products: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '10' },
    nodes: { type: 'string', default: '1' },
  },
});
const productCount = Number(values.products);
const concurrency = Number(values.concurrency);
const nodeCount = Number(values.nodes);

await prepareBenchEnvironment('crawl');
const { demoSite } = await import('../demo/index.ts');
const { CrawlRuns, putSite, searchProducts, searchQuerySchema } = await import('../catalog/index.ts');
const { waitForRun, closeConnections, startWorkerProcess } = await import('../test/support.ts');

const shop = await startShopProcess({ products: productCount });
const rules = demoSite(shop.url);
await putSite({ ...rules, maxPages: 1_000_000 });

interface Measured {
  pages: number;
  seconds: number;
  /** CPU seconds the crawler's own processes used (not the shop, Postgres or Redis). */
  cpuSeconds: number;
  /** Busy share of the whole machine while it ran. */
  machineBusy: number;
  products?: number;
}

async function plainCrawlee(): Promise<Measured> {
  crawleeLog.setLevel(LogLevel.OFF);
  const config = new Configuration({ persistStorage: false, purgeOnStart: true });
  const requestQueue = await RequestQueue.open(`bench-${Date.now()}`, { config });
  let pages = 0;
  const crawler = new CheerioCrawler(
    {
      requestQueue,
      maxConcurrency: concurrency,
      maxRequestRetries: 0,
      useSessionPool: false,
      statusMessageLoggingInterval: 3600,
      requestHandler: async ({ enqueueLinks }) => {
        pages++;
        await enqueueLinks({
          strategy: 'same-hostname',
          exclude: [`${shop.url}/cart**`, `${shop.url}/account/**`],
          transformRequestFunction: (request) => {
            const url = new URL(request.url);
            url.hash = '';
            for (const name of [...url.searchParams.keys()])
              if (name.startsWith('utm_')) url.searchParams.delete(name);
            request.url = url.href;
            return request;
          },
        });
      },
    },
    config,
  );
  const cpu = process.cpuUsage();
  const machine = machineCpu();
  const started = performance.now();
  await crawler.run([`${shop.url}/`]);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const { busy } = machineCpu(machine);
  await requestQueue.drop();
  return { seconds, pages, cpuSeconds: (used.user + used.system) / 1e6, machineBusy: busy };
}

/** User plus system CPU seconds of a child process so far (Linux /proc). */
function cpuSecondsOf(child: ChildProcess): number {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function trawl(): Promise<Measured> {
  const ingest = await startWorkerProcess('ingest');
  const nodes = await Promise.all(
    Array.from({ length: nodeCount }, () =>
      startWorkerProcess('crawl', { CRAWL_CONCURRENCY: String(concurrency) }),
    ),
  );
  const children = [ingest, ...nodes];
  const before = children.map(cpuSecondsOf);
  const runs = new CrawlRuns();
  const machine = machineCpu();
  const started = performance.now();
  const run = await runs.start(rules.name);
  const finished = await waitForRun(runs, run.id, 900_000);
  const seconds = (performance.now() - started) / 1000;
  const { busy } = machineCpu(machine);
  const cpuSeconds = children.reduce((sum, child, i) => sum + cpuSecondsOf(child) - before[i]!, 0);
  const searchable = await searchProducts(searchQuerySchema.parse({ site: rules.name, pageSize: '1' }));
  await Promise.all(
    children.map((child) => {
      child.kill('SIGTERM');
      return new Promise((resolve) => child.once('exit', resolve));
    }),
  );
  if (finished.status !== 'completed') throw new Error(`run ${finished.status}: ${finished.failureReason}`);
  return { seconds, pages: finished.fetched, products: searchable.total, cpuSeconds, machineBusy: busy };
}

const plain = await plainCrawlee();
const full = await trawl();

const rate = (n: number, s: number) => (n / s).toFixed(1);
process.stdout.write(
  `demo shop: ${shop.products} products (own process); ${concurrency} requests in flight per crawler; ` +
    `${nodeCount} Trawl crawler node(s) and 1 ingest worker\n\n`,
);
process.stdout.write(
  `${table([
    {
      crawler: 'plain Crawlee CheerioCrawler (links only)',
      pages: plain.pages,
      seconds: plain.seconds.toFixed(2),
      'pages/s': rate(plain.pages, plain.seconds),
      'products/s': '-',
      'CPU ms/page': ((plain.cpuSeconds * 1000) / plain.pages).toFixed(2),
      'machine CPU busy': `${(plain.machineBusy * 100).toFixed(0)}%`,
    },
    {
      crawler: 'Trawl full pipeline (crawl, extract, ingest, searchable)',
      pages: full.pages,
      seconds: full.seconds.toFixed(2),
      'pages/s': rate(full.pages, full.seconds),
      'products/s': rate(full.products ?? 0, full.seconds),
      'CPU ms/page': ((full.cpuSeconds * 1000) / full.pages).toFixed(2),
      'machine CPU busy': `${(full.machineBusy * 100).toFixed(0)}%`,
    },
  ])}\n\n`,
);
process.stdout.write("CPU ms/page: the crawler's own processes only (Trawl: nodes and ingest worker).\n");
process.stdout.write(
  `ratio Trawl / plain Crawlee (pages per second): ${(full.pages / full.seconds / (plain.pages / plain.seconds)).toFixed(2)}\n`,
);
await shop.close();
await closeConnections();
process.exit(0);
