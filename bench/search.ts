/**
 * Search from the outside: loads N products through the real ingest path (writeProducts, as the
 * ingest worker calls it), each listed by one to five of five shops, starts the API in a child
 * process and runs a mixed query set of about 200 queries in six classes over HTTP.
 *
 * Prints, per class, p50/p95/p99 latency at concurrency 1 and 8, requests/s at concurrency 8,
 * nDCG@10 over the judged queries (see search-catalog.ts), and a determinism check (the same
 * query twice gives the same page). The machine is shared: the load average is printed beside
 * the figures.
 *
 *   node --import tsx bench/search.ts [--products 10000] [--runs 5] [--db trawl_bench_search] [--reuse]
 *
 * --reuse keeps a database loaded by an earlier run with the same --products (loading a million
 * products takes a while).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { recreateDatabase } from '../core/db/ensure-database.ts';
import { migrateDatabase } from '../core/db/migrate.ts';
import {
  type BenchProduct,
  type BenchQuery,
  benchProduct,
  benchQueries,
  grade,
  listingsOf,
  ndcg,
  type QueryClass,
  shopNames,
} from './search-catalog.ts';
import { commandCpuMs, machineCpu, processTreeCpuMs, table } from './support.ts';

const { values } = parseArgs({
  options: {
    products: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '8' },
    db: { type: 'string', default: 'trawl_bench_search' },
    reuse: { type: 'boolean', default: false },
  },
});
const n = Number(values.products);
const runs = Number(values.runs);
const concurrency = Number(values.concurrency);
if (!Number.isInteger(n) || n < 100) throw new Error('--products must be an integer ≥ 100');
if (!/^[a-z0-9_]+$/.test(values.db)) throw new Error('--db must be a plain database name');

const url = `postgresql://postgres@127.0.0.1:5432/${values.db}`;
process.env.DATABASE_URL = url;
process.env.QUEUE_PREFIX = `bench_${values.db}`;
process.env.LOG_LEVEL ??= 'warn';
process.env.LOG_FORMAT = 'json';

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const say = (line: string) => process.stderr.write(`${line}\n`);

const { db, closeDb } = await import('../core/db/index.ts');

async function loadedListings(): Promise<number> {
  try {
    const [row] = await db().$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM product`;
    return row?.n ?? 0;
  } catch {
    return -1;
  }
}

let expectedListings = 0;
for (let i = 0; i < n; i++) expectedListings += benchProduct(i).shops.length;

if (!values.reuse || (await loadedListings()) !== expectedListings) {
  await closeDb();
  await recreateDatabase(url);
  await migrateDatabase(url);
  const { putSite, writeProducts } = await import('../catalog/index.ts');
  const sites = await Promise.all(
    shopNames.map((name) => putSite({ name, startUrls: [`https://${name}.bench/`] })),
  );
  say(`loading ${n} products (${expectedListings} listings from ${shopNames.length} shops)…`);
  const started = performance.now();
  const batchSize = 1000;
  const pending: Array<Parameters<typeof writeProducts>[0]> = shopNames.map(() => []);
  const queue: Array<Parameters<typeof writeProducts>[0]> = [];
  for (let i = 0; i < n; i++) {
    for (const listing of listingsOf(benchProduct(i))) {
      const batch = pending[listing.shop]!;
      batch.push({
        siteId: sites[listing.shop]!.id,
        runId: null,
        product: {
          url: listing.url,
          title: listing.title,
          description: listing.description,
          brand: listing.brand,
          sku: listing.sku,
          gtin: listing.gtin,
          price: listing.price,
          currency: 'EUR',
          availability: listing.availability,
          images: [`https://${shopNames[listing.shop]}.bench/img/${i}.jpg`],
          categoryPath: listing.categoryPath,
          attributes: listing.mpn ? { mpn: listing.mpn } : {},
        },
      });
      if (batch.length >= batchSize) queue.push(pending[listing.shop]!.splice(0));
    }
  }
  for (const rest of pending) if (rest.length) queue.push(rest);
  let done = 0;
  // Statistics as the tables grow (each time they double), as autovacuum would keep them: a
  // server with autovacuum off (this machine's) otherwise plans for empty tables throughout.
  let analyzedAt = batchSize;
  let analyzing = false;
  // Two writers at once (the machine has two cores), as two ingest workers would.
  await Promise.all(
    [0, 1].map(async () => {
      for (let batch = queue.shift(); batch; batch = queue.shift()) {
        await writeProducts(batch);
        done += batch.length;
        if (done >= 2 * analyzedAt && !analyzing) {
          analyzing = true;
          analyzedAt = done;
          await db().$executeRawUnsafe('ANALYZE product, catalog_product, search_document');
          analyzing = false;
        }
        if (done % 50_000 < batchSize)
          say(`  ${done} listings, ${((performance.now() - started) / 1000).toFixed(0)} s`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  say(
    `loaded in ${seconds.toFixed(1)} s (${Math.round(expectedListings / seconds)} listings/s), load ${load()}`,
  );
  // On its own connection: at a million products it takes longer than the API's statement timeout.
  const maintenance = new pg.Client({ connectionString: url });
  await maintenance.connect();
  await maintenance.query('SET statement_timeout = 0');
  await maintenance.query('VACUUM ANALYZE');
  await maintenance.end();
}
const [docs] = await db().$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM search_document`;
await closeDb();
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
await redis.quit();

// The API in a child process, as in production.
const port = 3900 + Math.floor(Math.random() * 90);
// TRAWL_CPU_PROF_DIR=DIR writes a V8 CPU profile of the API process there when it exits.
const profile = process.env.TRAWL_CPU_PROF_DIR
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.TRAWL_CPU_PROF_DIR}/api`]
  : [];
const api: ChildProcess = spawn('node', [...profile, '--import', 'tsx', 'bin/trawl.ts', 'api'], {
  env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const base = `http://127.0.0.1:${port}/api/v1/products`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) break;
  } catch {
    if (i > 300) throw new Error('the API did not start');
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}

interface Answer {
  ms: number;
  ids: string[];
  keys: string[];
  total: number;
}

async function ask(query: BenchQuery): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(`${base}?${new URLSearchParams(query.params)}`);
  const body = (await response.json()) as { items: Array<{ id: string; url: string }>; total: number };
  const ms = performance.now() - started;
  if (!response.ok)
    throw new Error(`${response.status} for ${JSON.stringify(query.params)}: ${JSON.stringify(body)}`);
  return {
    ms,
    ids: body.items.map((i) => i.id),
    keys: body.items.map((i) => i.url.slice(i.url.lastIndexOf('/') + 1)),
    total: body.total,
  };
}

const queries = benchQueries(n);
const classes: QueryClass[] = ['broad', 'selective', 'typo', 'filters+sort', 'browse', 'page 50'];
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

say(`warming up (${queries.length} queries), load ${load()}`);
const first = new Map<number, Answer>();
for (const [i, query] of queries.entries()) first.set(i, await ask(query));

// Concurrency 1: every query `runs` times; the first measured run is compared with the warm-up.
const serial = new Map<QueryClass, number[]>(classes.map((c) => [c, []]));
let differing = 0;
const loadBefore = load();
for (let run = 0; run < runs; run++) {
  for (const [i, query] of queries.entries()) {
    const answer = await ask(query);
    serial.get(query.cls)!.push(answer.ms);
    if (run === 0 && answer.ids.join() !== first.get(i)!.ids.join()) differing++;
  }
}

// Concurrency C: the same requests, shuffled, from C clients at once.
const work = Array.from({ length: runs }, () => queries).flat();
for (let i = work.length - 1; i > 0; i--) {
  const j = (i * 7919 + 13) % (i + 1);
  [work[i], work[j]] = [work[j]!, work[i]!];
}
const parallel = new Map<QueryClass, number[]>(classes.map((c) => [c, []]));
// Where the CPU goes at concurrency C: the API process, Postgres, this client.
const cpuBefore = {
  api: processTreeCpuMs(api.pid!),
  postgres: commandCpuMs('postgres'),
  client: process.cpuUsage(),
  machine: machineCpu(),
};
const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    for (let k = next++; k < work.length; k = next++) {
      const query = work[k]!;
      parallel.get(query.cls)!.push((await ask(query)).ms);
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
const cpu = {
  api: processTreeCpuMs(api.pid!) - cpuBefore.api,
  postgres: commandCpuMs('postgres') - cpuBefore.postgres,
  client: (() => {
    const used = process.cpuUsage(cpuBefore.client);
    return (used.user + used.system) / 1000;
  })(),
  busy: machineCpu(cpuBefore.machine).busy,
};
const loadAfter = load();

// nDCG@10 over the judged queries.
const catalog: BenchProduct[] = Array.from({ length: n }, (_, i) => benchProduct(i));
const byKey = new Map(catalog.map((p) => [p.key, p]));
const ndcgByClass = new Map<QueryClass, number[]>();
for (const [i, query] of queries.entries()) {
  if (!query.intent) continue;
  const intent = query.intent;
  const ideal = catalog.map((p) => grade(p, intent)).filter((g) => g > 0);
  const score = ndcg(
    first.get(i)!.keys,
    (key) => (byKey.has(key) ? grade(byKey.get(key)!, intent) : 0),
    ideal,
  );
  ndcgByClass.set(query.cls, [...(ndcgByClass.get(query.cls) ?? []), score]);
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

api.kill('SIGTERM');

const fmt = (x: number) => x.toFixed(1);
console.log(
  `\nsearch: ${n} products, ${expectedListings} listings in ${shopNames.length} shops, ${docs?.n} search documents; ` +
    `${queries.length} queries × ${runs} runs; load average ${loadBefore} before, ${loadAfter} after\n`,
);
console.log(
  table(
    classes.map((cls) => {
      const a = [...serial.get(cls)!].sort((x, y) => x - y);
      const b = [...parallel.get(cls)!].sort((x, y) => x - y);
      const judged = ndcgByClass.get(cls);
      return {
        class: cls,
        queries: queries.filter((q) => q.cls === cls).length,
        'c1 p50': fmt(percentile(a, 50)),
        'c1 p95': fmt(percentile(a, 95)),
        'c1 p99': fmt(percentile(a, 99)),
        [`c${concurrency} p50`]: fmt(percentile(b, 50)),
        [`c${concurrency} p95`]: fmt(percentile(b, 95)),
        [`c${concurrency} p99`]: fmt(percentile(b, 99)),
        'nDCG@10': judged ? mean(judged).toFixed(3) : '-',
      };
    }),
  ),
);
const judgedAll = [...ndcgByClass.values()].flat();
console.log(
  `\nrequests/s at concurrency ${concurrency}: ${(work.length / seconds).toFixed(1)} (${work.length} requests in ${seconds.toFixed(1)} s)`,
);
const perRequest = (ms: number) => (ms / work.length).toFixed(2);
console.log(
  `CPU per request at concurrency ${concurrency}: API ${perRequest(cpu.api)} ms, Postgres ${perRequest(cpu.postgres)} ms, ` +
    `client ${perRequest(cpu.client)} ms; machine ${(cpu.busy * 100).toFixed(0)}% busy`,
);
console.log(`nDCG@10 over ${judgedAll.length} judged queries: ${mean(judgedAll).toFixed(3)}`);
console.log(`determinism: ${differing} of ${queries.length} queries gave a different page the second time`);
process.exit(differing === 0 ? 0 : 1);
