/**
 * The live run view under load: four crawler nodes (`trawl worker crawl` processes) crawl the
 * demo shop while 50 clients follow the run's SSE stream from a `trawl api` process. Prints the
 * delay from a page being fetched to its counter reaching a client (p50, p95, max; goal: p95
 * under 2 s) and the CPU the API process spent.
 *
 * A page's fetch time is when the shop sent it (arrival + the shop's latency, from the shop's
 * own request log); it reaches a client with the first event whose counter (pages fetched +
 * failed) covers its rank. Both clocks are this machine's.
 *
 *   node --import tsx bench/live.ts [--clients N] [--products N] [--latency MS] [--concurrency N]
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { machineCpu, prepareBenchEnvironment, startShopProcess, table } from './support.ts';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '50' },
    products: { type: 'string', default: '2000' },
    latency: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '4' },
  },
});
const clients = Number(values.clients);
const latencyMs = Number(values.latency);

await prepareBenchEnvironment('live');
const { spawn } = await import('node:child_process');
const { demoSite } = await import('../demo/index.ts');
const { CrawlRuns, putSite } = await import('../catalog/index.ts');
const { createToken, insertUser, permissionsOfRole, syncPermissions } = await import(
  '../commerce/accounts/index.ts'
);
const { V8_FLAGS } = await import('../core/v8-flags.ts');
const { waitForRun, closeConnections, startWorkerProcess } = await import('../test/support.ts');
const { openSse } = await import('../test/sse.ts');

const requestsFile = join(tmpdir(), `trawl-bench-live-${process.pid}.json`);
const shop = await startShopProcess({ products: Number(values.products), latencyMs, requestsFile });
const rules = demoSite(shop.url);
await putSite({ ...rules, maxPages: 1_000_000, politeness: { maxInFlightPerHost: 64, minDelayMs: 0 } });

await syncPermissions();
const email = `bench-admin-${process.pid}@bench.example`;
const user = await insertUser({ email, password: `bench-${process.pid}-password`, role: 'admin' });
const { token } = await createToken(
  { id: user.id, permissions: new Set(await permissionsOfRole('admin')) },
  { name: 'bench' },
);

const port = await new Promise<number>((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    server.close(() => resolve(port));
  });
});
const api = spawn('node', [...V8_FLAGS, '--import', 'tsx', 'bin/trawl.ts', 'api'], {
  env: { ...process.env, PORT: String(port), LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise<void>((resolve, reject) => {
  api.once('exit', (code) => reject(new Error(`API exited with ${code}`)));
  api.stdout!.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('API and storefront listening')) resolve();
  });
});
const apiUrl = `http://127.0.0.1:${port}`;

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const ingest = await startWorkerProcess('ingest');
const nodes = await Promise.all(
  Array.from({ length: 4 }, () => startWorkerProcess('crawl', { CRAWL_CONCURRENCY: values.concurrency! })),
);
const runs = new CrawlRuns();
const run = await runs.start(rules.name);
const headers = { authorization: `Bearer ${token}` };
const streams = await Promise.all(
  Array.from({ length: clients }, () => openSse(`${apiUrl}/api/v1/crawls/${run.id}/live`, headers)),
);
const refused = streams.filter((s) => s.status !== 200).length;
if (refused > 0) throw new Error(`${refused} streams refused`);
const apiCpu = cpuSeconds(api.pid!);
const machine = machineCpu();
const started = performance.now();
const finished = await waitForRun(runs, run.id, 900_000);
await Promise.all(streams.map((s) => s.waitFor((m) => m.event === 'end', 30_000)));
const seconds = (performance.now() - started) / 1000;
const apiCpuUsed = cpuSeconds(api.pid!) - apiCpu;
const { busy } = machineCpu(machine);

for (const child of [...nodes, ingest]) child.kill('SIGTERM');
await shop.close();
const served = (JSON.parse(readFileSync(requestsFile, 'utf8')) as Array<{ path: string; at: number }>)
  .filter((r) => r.path !== '/robots.txt')
  .map((r) => r.at + latencyMs)
  .sort((a, b) => a - b);

interface Tick {
  snapshot: { counters: { fetched: number; failed: number } | null; buckets: Array<{ pages: number }> };
}
/** Delay of each page to one client, by the client's counter and by its per-second buckets. */
function delays(messages: Array<{ event: string; data: string; at: number }>) {
  const byCounter: number[] = [];
  const byBucket: number[] = [];
  let counted = 0;
  let bucketed = 0;
  for (const message of messages) {
    if (message.event !== 'tick') continue;
    const tick = JSON.parse(message.data) as Tick;
    const total = (tick.snapshot.counters?.fetched ?? 0) + (tick.snapshot.counters?.failed ?? 0);
    for (; counted < Math.min(total, served.length); counted++) byCounter.push(message.at - served[counted]!);
    bucketed += tick.snapshot.buckets.reduce((n, b) => n + b.pages, 0);
    for (; byBucket.length < Math.min(bucketed, served.length); )
      byBucket.push(message.at - served[byBucket.length]!);
  }
  return { byCounter, byBucket };
}
const all = streams.map((s) => delays(s.messages));
const pct = (list: number[], p: number) => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const counterDelays = all.flatMap((d) => d.byCounter);
const bucketDelays = all.flatMap((d) => d.byBucket);
const ticks = streams.reduce((n, s) => n + s.messages.filter((m) => m.event === 'tick').length, 0);

process.stdout.write(
  `demo shop: ${shop.products} products, ${latencyMs} ms per page; 4 crawler nodes × ${values.concurrency} requests in flight; ` +
    `${clients} SSE clients on one API process\n` +
    `run ${finished.status}: ${finished.fetched} pages in ${seconds.toFixed(1)} s (${(finished.fetched / seconds).toFixed(1)} pages/s); ` +
    `${ticks} events received (${(ticks / clients / seconds).toFixed(2)} per client per second)\n\n`,
);
process.stdout.write(
  `${table(
    [
      { 'page fetched → client': 'pages-fetched counter', delays: counterDelays },
      { 'page fetched → client': 'per-second chart bucket', delays: bucketDelays },
    ].map(({ delays, ...row }) => ({
      ...row,
      pages: delays.length / clients,
      'p50 ms': pct(delays, 50).toFixed(0),
      'p95 ms': pct(delays, 95).toFixed(0),
      'max ms': Math.max(...delays).toFixed(0),
    })),
  )}\n\n`,
);
process.stdout.write(
  `API process CPU: ${apiCpuUsed.toFixed(2)} s over ${seconds.toFixed(1)} s = ${((apiCpuUsed / seconds) * 100).toFixed(1)}% of one core ` +
    `(${((apiCpuUsed / seconds / clients) * 1000).toFixed(2)} ms per client-second); machine CPU busy ${(busy * 100).toFixed(0)}%\n`,
);
process.stdout.write(`goal p95 < 2000 ms: ${pct(counterDelays, 95) < 2000 ? 'met' : 'NOT met'}\n`);
for (const s of streams) s.close();
api.kill('SIGTERM');
await closeConnections();
process.exit(0);
