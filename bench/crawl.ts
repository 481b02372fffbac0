/**
 * Crawls the demo shop with the full Trawl pipeline (frontier in Redis, crawler node, extraction,
 * ingestion into Postgres, searchable) and with a plain Crawlee CheerioCrawler that only follows
 * the same links, in the same run, and prints pages and products per second with the ratio.
 *
 *   npm run bench -- [--products N] [--concurrency N] [--nodes N]
 */
import { parseArgs } from 'node:util';
import { CheerioCrawler } from '@crawlee/cheerio';
import { Configuration, log as crawleeLog, LogLevel, RequestQueue } from '@crawlee/core';
import { prepareBenchEnvironment, table } from './support.ts';

const { values } = parseArgs({
  options: {
    products: { type: 'string', default: '540' },
    concurrency: { type: 'string', default: '10' },
    nodes: { type: 'string', default: '1' },
  },
});
const productCount = Number(values.products);
const concurrency = Number(values.concurrency);
const nodeCount = Number(values.nodes);

await prepareBenchEnvironment('crawl');
const { startDemoShop, demoSite, generateCatalog } = await import('../demo/index.ts');
const { putSite, searchProducts, searchQuerySchema } = await import('../catalog/index.ts');
const { startPipeline, waitForRun, closeConnections } = await import('../test/support.ts');

const shop = await startDemoShop({ catalog: generateCatalog({ products: productCount }) });
const rules = demoSite(shop.url);
await putSite({ ...rules, maxPages: 1_000_000 });

async function plainCrawlee(): Promise<{ seconds: number; pages: number }> {
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
  const started = performance.now();
  await crawler.run([`${shop.url}/`]);
  const seconds = (performance.now() - started) / 1000;
  await requestQueue.drop();
  return { seconds, pages };
}

async function trawl(): Promise<{ seconds: number; pages: number; products: number }> {
  const pipeline = await startPipeline({ crawlers: nodeCount, concurrency });
  const started = performance.now();
  const run = await pipeline.runs.start(rules.name);
  const finished = await waitForRun(pipeline.runs, run.id, 600_000);
  const seconds = (performance.now() - started) / 1000;
  const searchable = await searchProducts(searchQuerySchema.parse({ site: rules.name, pageSize: '1' }));
  await pipeline.close();
  if (finished.status !== 'completed') throw new Error(`run ${finished.status}: ${finished.failureReason}`);
  return { seconds, pages: finished.fetched, products: searchable.total };
}

const plain = await plainCrawlee();
shop.resetRequests();
const full = await trawl();

const rate = (n: number, s: number) => (n / s).toFixed(1);
process.stdout.write(
  `demo shop: ${shop.catalog.products.length} products; concurrency ${concurrency}; ${nodeCount} Trawl node(s)\n\n`,
);
process.stdout.write(
  `${table([
    {
      crawler: 'plain Crawlee CheerioCrawler (links only)',
      pages: plain.pages,
      seconds: plain.seconds.toFixed(2),
      'pages/s': rate(plain.pages, plain.seconds),
      'products/s': '-',
    },
    {
      crawler: 'Trawl full pipeline (crawl, extract, ingest, searchable)',
      pages: full.pages,
      seconds: full.seconds.toFixed(2),
      'pages/s': rate(full.pages, full.seconds),
      'products/s': rate(full.products, full.seconds),
    },
  ])}\n\n`,
);
process.stdout.write(
  `ratio Trawl / plain Crawlee (pages per second): ${(full.pages / full.seconds / (plain.pages / plain.seconds)).toFixed(2)}\n`,
);
await shop.close();
await closeConnections();
process.exit(0);
