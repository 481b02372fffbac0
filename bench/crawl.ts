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
 * A shared 2-core machine drifts (plain Crawlee measured 235 then 201 pages/s in rounds a minute
 * apart), so the two crawlers take turns in rounds ordered A B B A …, each over the whole shop,
 * and the ratio is of their totals: drift and warm-up then weigh on both alike. Each Trawl round
 * crawls as a new site, so no round profits from an earlier one's ETags.
 *
 *   npm run bench -- [--products N] [--concurrency N] [--nodes N] [--rounds N]
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
    rounds: { type: 'string', default: '2' },
  },
});
const productCount = Number(values.products);
const concurrency = Number(values.concurrency);
const nodeCount = Number(values.nodes);
const rounds = Number(values.rounds);
for (const [name, value] of Object.entries({ products: productCount, concurrency, nodes: nodeCount, rounds }))
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);

await prepareBenchEnvironment('crawl');
const { demoSite } = await import('../demo/index.ts');
const { CrawlRuns, putSite, searchProducts, searchQuerySchema } = await import('../catalog/index.ts');
const { waitForRun, closeConnections, startWorkerProcess } = await import('../test/support.ts');

const shop = await startShopProcess({ products: productCount });
const rules = demoSite(shop.url);

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

async function trawl(round: number): Promise<Measured> {
  const site = { ...rules, name: `${rules.name}-bench-${round}`, maxPages: 1_000_000 };
  await putSite(site);
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
  const run = await runs.start(site.name);
  const finished = await waitForRun(runs, run.id, 900_000);
  const seconds = (performance.now() - started) / 1000;
  const { busy } = machineCpu(machine);
  const cpuSeconds = children.reduce((sum, child, i) => sum + cpuSecondsOf(child) - before[i]!, 0);
  const searchable = await searchProducts(searchQuerySchema.parse({ site: site.name, pageSize: '1' }));
  await Promise.all(
    children.map((child) => {
      child.kill('SIGTERM');
      return new Promise((resolve) => child.once('exit', resolve));
    }),
  );
  if (finished.status !== 'completed') throw new Error(`run ${finished.status}: ${finished.failureReason}`);
  return { seconds, pages: finished.fetched, products: searchable.total, cpuSeconds, machineBusy: busy };
}

const plainRounds: Measured[] = [];
const trawlRounds: Measured[] = [];
for (let round = 1; round <= rounds; round++) {
  // A B B A A B …: whichever goes first in a round goes second in the next.
  const order = round % 2 === 1 ? ['plain', 'trawl'] : ['trawl', 'plain'];
  for (const which of order) {
    if (which === 'plain') plainRounds.push(await plainCrawlee());
    else trawlRounds.push(await trawl(round));
    process.stderr.write(`round ${round}: ${which} done\n`);
  }
}

const total = (rows: Measured[]): Measured => ({
  pages: rows.reduce((sum, r) => sum + r.pages, 0),
  seconds: rows.reduce((sum, r) => sum + r.seconds, 0),
  cpuSeconds: rows.reduce((sum, r) => sum + r.cpuSeconds, 0),
  machineBusy:
    rows.reduce((sum, r) => sum + r.machineBusy * r.seconds, 0) / rows.reduce((sum, r) => sum + r.seconds, 0),
  products: rows.reduce((sum, r) => sum + (r.products ?? 0), 0),
});
const rate = (n: number, s: number) => (n / s).toFixed(1);
const row = (crawler: string, m: Measured, products: boolean) => ({
  crawler,
  pages: m.pages,
  seconds: m.seconds.toFixed(2),
  'pages/s': rate(m.pages, m.seconds),
  'products/s': products ? rate(m.products ?? 0, m.seconds) : '-',
  'CPU ms/page': ((m.cpuSeconds * 1000) / m.pages).toFixed(2),
  'machine CPU busy': `${(m.machineBusy * 100).toFixed(0)}%`,
});
const plainName = 'plain Crawlee CheerioCrawler (links only)';
const trawlName = 'Trawl full pipeline (crawl, extract, ingest, searchable)';
const plain = total(plainRounds);
const full = total(trawlRounds);
process.stdout.write(
  `demo shop: ${shop.products} products (own process); ${concurrency} requests in flight per crawler; ` +
    `${nodeCount} Trawl crawler node(s) and 1 ingest worker; ${rounds} round(s) each, alternating\n\n`,
);
process.stdout.write(
  `${table([
    ...plainRounds.flatMap((p, i) => [
      row(`round ${i + 1}: ${plainName}`, p, false),
      row(`round ${i + 1}: ${trawlName}`, trawlRounds[i]!, true),
    ]),
    row(`all rounds: ${plainName}`, plain, false),
    row(`all rounds: ${trawlName}`, full, true),
  ])}\n\n`,
);
process.stdout.write("CPU ms/page: the crawler's own processes only (Trawl: nodes and ingest worker).\n");
process.stdout.write(
  `ratio Trawl / plain Crawlee (pages per second, all rounds): ${(full.pages / full.seconds / (plain.pages / plain.seconds)).toFixed(2)}\n`,
);
await shop.close();
await closeConnections();
process.exit(0);
