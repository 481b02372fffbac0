/**
 * 秒杀 under load: 2,000 shoppers press "grab" at once for a flash sale of 100 units, through
 * the API over HTTP (a `trawl api` child process, which also runs the order and promotion
 * timers). Winners buy the unit at once ("buy now": the order placed from the sale to their
 * saved address, without the cart) and pay from their balance; one in twenty winners walks away, so their reservation lapses and the unit
 * goes back to the sale. Of those told "sold out", one in ten keeps trying every few seconds
 * until every unit is paid (the rest give up, as people do).
 *
 * Before that, the reservation service is measured alone, in this process (no HTTP, no
 * authentication): the same 2,000 buyers call it at the same instant for a sale of 100 units.
 *
 * It runs three sales in one go: the first since the API started (its processes cold: code not
 * yet compiled by the JIT, connection pools still opening, as just after a deploy), then one
 * alone with the processes warm (as a shop's are after serving traffic), then one with a
 * crawler node and an ingest worker busy crawling a 5,000-product demo shop on the same
 * machine. For each it prints attempts/s and latency of the first 2,000 simultaneous attempts,
 * and fails unless the sale ends with exactly 100 paid orders, no unit sold twice, Redis and
 * Postgres agreeing, and a ledger that adds up.
 *
 *   node --import tsx bench/flash-sale.ts [--buyers N] [--units N] [--alone-only]
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { Agent, fetch, request } from 'undici';
import {
  commandCpuMs,
  machineCpu,
  prepareBenchEnvironment,
  processTreeCpuMs,
  startShopProcess,
  table,
} from './support.ts';

const { values } = parseArgs({
  options: {
    buyers: { type: 'string', default: '2000' },
    units: { type: 'string', default: '100' },
    'alone-only': { type: 'boolean', default: false },
    /** Buyers press "grab" at evenly spread moments over this many ms (0: all at the same instant). */
    'spread-ms': { type: 'string', default: '1600' },
    /** API processes (`API_PROCESSES`): one per core by default. */
    processes: { type: 'string', default: String(availableParallelism()) },
  },
});
const spreadMs = Number(values['spread-ms']);
const buyerCount = Number(values.buyers);
const units = Number(values.units);

await prepareBenchEnvironment('flash');
// This process's own queries may wait longer for a connection than the API's (5 s, then 503).
process.env.DB_CONNECT_TIMEOUT_MS = '30000';
process.env.PAYMENT_SECRETS_KEY ??= Buffer.alloc(32, 7).toString('base64');
const { createToken, hashPassword, permissionsOfRole, syncPermissions } = await import(
  '../commerce/accounts/index.ts'
);
const { putSite, setSiteOwner, CrawlRuns } = await import('../catalog/index.ts');
const { ledgerMismatches, ledgerTotals } = await import('../commerce/payments/index.ts');
const { openFlashSale } = await import('./flash-world.ts');
const { fundWallets } = await import('./wallets.ts');
const { db, closeDb } = await import('../core/db/index.ts');
const { closeRedis, key, redis } = await import('../core/redis.ts');
const { closeQueues } = await import('../core/queues.ts');
const { demoSite, setUpDemoMerchant } = await import('../demo/index.ts');
const { startWorkerProcess } = await import('../test/support.ts');

await syncPermissions();

// The merchant and its listing.
const passwordHash = await hashPassword('bench password, never used to sign in');
const merchant = await db().user.create({
  data: { email: 'flash-merchant@bench.example', passwordHash, roleName: 'merchant' },
});
const site = await putSite({ name: 'bench-flash', startUrls: ['https://bench-flash.example/'] });
await setSiteOwner(site.name, merchant.id);
await setUpDemoMerchant(merchant.id, { name: 'Flash Bench Shop' });

// The buyers: accounts (one password hash for all: argon2 would take minutes), API tokens, 100.00 CNY each.
process.stderr.write(`creating ${buyerCount} buyers…\n`);
const permissions = new Set(await permissionsOfRole('shopper'));
const buyers: Array<{ id: string; token: string }> = [];
for (let i = 0; i < buyerCount; i++) {
  const user = await db().user.create({
    data: { email: `buyer-${i}@bench.example`, passwordHash, roleName: 'shopper', name: `Buyer ${i}` },
  });
  const { token } = await createToken({ id: user.id, permissions }, { name: 'bench' });
  buyers.push({ id: user.id, token });
}
await fundWallets(
  buyers.map((b) => b.id),
  'CNY',
  '100.00',
);
// Shoppers waiting for a 秒杀 have their delivery address saved: a win goes straight to the order.
const addresses = new Map(buyers.map((b) => [b.id, randomUUID()]));
await db().address.createMany({
  data: buyers.map((b) => ({
    id: addresses.get(b.id)!,
    userId: b.id,
    recipient: 'Bench Buyer',
    phone: '+86 138 0000 0000',
    line1: '1 Bench Road',
    city: 'Shanghai',
    country: 'CN',
    isDefault: true,
  })),
});
// Statistics for the tables just filled, as autovacuum would take them (it is off on this machine).
await db().$executeRawUnsafe('ANALYZE');

const port = 3900 + Math.floor(Math.random() * 90);
const metricsToken = `bench-metrics-${randomUUID()}`;
// TRAWL_CPU_PROF_DIR=DIR writes a V8 CPU profile of the API process there when it exits.
const profile = process.env.TRAWL_CPU_PROF_DIR
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.TRAWL_CPU_PROF_DIR}/api`]
  : [];
const api: ChildProcess = spawn('node', [...profile, 'bin/trawl.mjs', 'api'], {
  env: {
    ...process.env,
    API_PROCESSES: values.processes,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DB_POOL_SIZE: '20',
    METRICS_TOKEN: metricsToken,
    DB_CONNECT_TIMEOUT_MS: '5000',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const base = `http://127.0.0.1:${port}`;
// Whatever happens, the API and any workers started here stop with the benchmark.
const children: ChildProcess[] = [api];
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/readyz`)).ok) break;
  } catch {
    if (i > 300) throw new Error('the API did not start');
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}

// Keep-alive connections, as browsers keep them (2,000 fresh connections at once overflow the
// listen backlog); idle ones are dropped before the server's 5 s keep-alive ends. A request
// waiting for a free connection counts in its latency.
const CONNECTIONS = 512;
const dispatcher = new Agent({
  connections: CONNECTIONS,
  keepAliveTimeout: 3000,
  keepAliveMaxTimeout: 3000,
});

/** As a person does when told "try again shortly" (503): a few more times, a second apart. */
async function persist(send: () => ReturnType<typeof call>): ReturnType<typeof call> {
  for (let attempt = 0; ; attempt++) {
    const result = await send();
    if (result.status !== 503 || attempt >= 5) return result;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function call(
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  // undici's request rather than fetch: a third of the client's CPU per request or less (see
  // bench/api-floor.ts), on cores it shares with the API.
  const send = () =>
    request(`${base}/api/v1${path}`, {
      dispatcher,
      method: method as 'GET' | 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  // A kept-alive connection closed by the server at that very moment: sent again on a fresh one.
  let response: Awaited<ReturnType<typeof send>> | undefined;
  for (let attempt = 0; !response; attempt++) {
    response = await send().catch(async (error: unknown) => {
      if (
        attempt >= 4 ||
        !/ECONNRESET|other side closed|socket/i.test(String((error as Error).cause ?? error))
      )
        throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)));
      return undefined;
    });
  }
  const text = await response.body.text();
  return { status: response.statusCode, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/**
 * What the API counted so far: requests authenticated from its cache (hit: its memory, or an
 * entry another process shared) or from Postgres (miss), and its own timing of reservation attempts (cumulative histogram buckets, from when
 * Hono took the request to its answer: what the client saw beyond that waited before it).
 */
async function apiCounts(): Promise<{ hit: number; miss: number; attemptBuckets: Map<number, number> }> {
  const text = await (
    await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })
  ).text();
  const count = (result: string) =>
    Number(new RegExp(`trawl_auth_cache_lookups_total\\{result="${result}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  const attemptBuckets = new Map<number, number>();
  for (const [, labels, value] of text.matchAll(
    /^trawl_http_request_duration_seconds_bucket\{([^}]*)\} (\d+)$/gm,
  )) {
    if (!/method="POST"/.test(labels!) || !/route="[^"]*\/flash-sales\/[^"/]+\/reservations"/.test(labels!))
      continue;
    const bound = /le="([^"]+)"/.exec(labels!)?.[1];
    const le = bound === '+Inf' ? Number.POSITIVE_INFINITY : Number(bound);
    attemptBuckets.set(le, (attemptBuckets.get(le) ?? 0) + Number(value));
  }
  // An entry another process shared through Redis is a cache answer too: no Postgres query.
  return { hit: count('hit') + count('shared'), miss: count('miss'), attemptBuckets };
}

/** The smallest bucket bound holding a share `p` of the attempts counted between two scrapes. */
function bucketPercentile(before: Map<number, number>, after: Map<number, number>, p: number): string {
  const bounds = [...after.keys()].sort((x, y) => x - y);
  const total = (after.get(Number.POSITIVE_INFINITY) ?? 0) - (before.get(Number.POSITIVE_INFINITY) ?? 0);
  if (total <= 0) return '-';
  const ms = (le: number) => (le * 1000).toFixed(0);
  for (const [i, le] of bounds.entries())
    if ((after.get(le) ?? 0) - (before.get(le) ?? 0) >= p * total)
      return le === Number.POSITIVE_INFINITY ? `> ${ms(bounds[i - 1] ?? 0)}` : `≤ ${ms(le)}`;
  return '-';
}

interface Outcome {
  serverP50: string;
  serverP99: string;
  authHits: number;
  authMisses: number;
  label: string;
  firstWave: number[];
  seconds: number;
  attempts: number;
  retries: number;
  unavailable: number;
  won: number;
  abandoned: number;
  paid: number;
  failures: string[];
  machineBusy: number;
  /** While the first attempts were answered (the rest of the sale is mostly idle waiting). */
  waveBusy: number;
  /** CPU seconds each part used while the first attempts were answered. */
  waveCpu: Record<'api' | 'postgres' | 'redis' | 'client', number>;
  totalSeconds: number;
}

/** CPU ms so far of the API's processes, Postgres's, Redis's and this benchmark's own (the buyers). */
function cpuNow(): { api: number; postgres: number; redis: number; client: number } {
  const own = process.cpuUsage();
  return {
    api: processTreeCpuMs(api.pid!),
    postgres: commandCpuMs('postgres'),
    redis: commandCpuMs('redis-server'),
    client: (own.user + own.system) / 1000,
  };
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;

/** One flash sale, start to sold out. */
async function sale(label: string, round: number): Promise<Outcome> {
  const { listingId, promotionId } = await openFlashSale(site.id, {
    slug: String(round),
    title: `Flash phone ${round}`,
    units,
    reserveMinutes: 0.5,
    exclusive: true,
  });
  // Every buyer has the sale's page open before it starts: their token is known to the API, and
  // their connections are open, as a browser's are while it shows the page (as many as this
  // client keeps: CONNECTIONS in flight at once). Connections opened in the storm instead cost
  // some first attempts about a second each (a cluster of latencies at 1.0 s; docs/performance.md).
  for (let i = 0; i < buyers.length; i += CONNECTIONS)
    await Promise.all(
      buyers.slice(i, i + CONNECTIONS).map((b) => call(b.token, 'GET', `/flash-sales/${promotionId}`)),
    );

  const firstWave: number[] = [];
  const failures: string[] = [];
  let attempts = 0;
  let retries = 0;
  let unavailable = 0;
  let won = 0;
  let abandoned = 0;
  let paid = 0;
  let soldOutForGood = false;
  const deadline = Date.now() + 180_000;

  const buy = async (b: { id: string; token: string }) => {
    // "Buy now" from the sale: the won unit, to the saved address, without the cart. One
    // idempotency key for the order, however often it is sent.
    const idempotencyKey = `flash-${randomUUID()}`;
    const placed = await persist(() =>
      call(
        b.token,
        'POST',
        '/checkout/orders',
        { addressId: addresses.get(b.id), items: [{ productId: listingId, quantity: 1 }] },
        { 'idempotency-key': idempotencyKey },
      ),
    );
    if (placed.status !== 201 && placed.status !== 200)
      throw new Error(`place: ${placed.status} ${JSON.stringify(placed.body)}`);
    const orderId = (placed.body.orders as Array<{ id: string }>)[0]!.id;
    const paying = await persist(() =>
      call(b.token, 'POST', `/orders/${orderId}/pay`, { method: 'balance' }),
    );
    if (paying.status !== 200) throw new Error(`pay: ${paying.status} ${JSON.stringify(paying.body)}`);
    paid++;
  };

  const buyer = async (b: { id: string; token: string }, n: number) => {
    // Arrivals spread over the first moments of the sale, in a shuffled order.
    await new Promise((resolve) =>
      setTimeout(resolve, ((n * 7919) % buyers.length) * (spreadMs / buyers.length)),
    );
    let first = true;
    while (!soldOutForGood && Date.now() < deadline) {
      const started = performance.now();
      const attempt = await call(b.token, 'POST', `/flash-sales/${promotionId}/reservations`, {
        quantity: 1,
      });
      const ms = performance.now() - started;
      attempts++;
      if (first) firstWave.push(ms);
      else retries++;
      first = false;
      if (attempt.status === 201) {
        won++;
        // One winner in twenty walks away: the reservation lapses and the unit returns.
        if (n % 20 === 7) {
          abandoned++;
          return;
        }
        return buy(b).catch((error: unknown) => void failures.push(String(error)));
      }
      if (attempt.status === 503) {
        // Overloaded for a moment ("try again shortly"): a person presses again.
        unavailable++;
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      if (attempt.status !== 409) {
        failures.push(`attempt: ${attempt.status} ${JSON.stringify(attempt.body)}`);
        return;
      }
      if (n % 10 !== 3) return;
      await new Promise((resolve) => setTimeout(resolve, 2000 + Math.random() * 2000));
    }
  };

  const lookupsBefore = await apiCounts();
  const machine = machineCpu();
  const cpuBefore = cpuNow();
  const started = performance.now();
  const watcher = (async () => {
    while (!soldOutForGood && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      // A slow moment of the database is not the end of the sale: look again.
      const sold = await db()
        .flashReservation.count({ where: { promotionId: promotionId, status: 'paid' } })
        .catch(() => 0);
      soldOutForGood = sold >= units;
    }
  })();
  const wave = Promise.all(buyers.map((b, n) => buyer(b, n)));
  // The first wave's rate: 2,000 attempts over the time until the last of them was answered.
  while (firstWave.length < buyers.length) await new Promise((resolve) => setTimeout(resolve, 5));
  const seconds = (performance.now() - started) / 1000;
  const { busy: waveBusy } = machineCpu(machine);
  const cpuAfter = cpuNow();
  const waveCpu = Object.fromEntries(
    Object.entries(cpuAfter).map(([k, v]) => [k, (v - cpuBefore[k as keyof typeof cpuAfter]) / 1000]),
  ) as Record<keyof typeof cpuAfter, number>;
  const lookupsAfter = await apiCounts();
  await wave;
  await watcher;
  const totalSeconds = (performance.now() - started) / 1000;
  const { busy } = machineCpu(machine);

  // The record: exactly `units` paid reservations, each bound to its own paid order at the flash price.
  const paidReservations = await db().flashReservation.findMany({
    where: { promotionId: promotionId, status: 'paid' },
    select: { orderId: true, quantity: true, userId: true },
  });
  const soldUnits = paidReservations.reduce((s, r) => s + r.quantity, 0);
  const orders = await db().order.findMany({
    where: { id: { in: paidReservations.map((r) => r.orderId!) }, status: 'paid' },
    include: { lines: true },
  });
  const k = key('flash', `{${promotionId}}`);
  const left = Number(await redis().get(`${k}:stock`));
  const live = await db().flashReservation.aggregate({
    where: { promotionId: promotionId, status: { in: ['held', 'ordered', 'paid'] } },
    _sum: { quantity: true },
  });
  if (soldUnits !== units) failures.push(`sold ${soldUnits} units, not ${units}`);
  if (orders.length !== units) failures.push(`${orders.length} paid orders, not ${units}`);
  // A buyer told "paid" whose order was later cancelled (or a payment answered twice) shows here.
  if (paid !== units) failures.push(`${paid} payments answered "paid", not ${units}`);
  if (new Set(paidReservations.map((r) => r.userId)).size !== paidReservations.length)
    failures.push('a buyer was sold two units');
  if (!orders.every((o) => o.lines.length === 1 && o.total.minus(o.shippingFee).eq(9.9)))
    failures.push('an order not at the flash price');
  if (left + (live._sum.quantity ?? 0) !== units)
    failures.push(`Redis (${left} left) and Postgres (${live._sum.quantity} taken) disagree`);
  return {
    serverP50: bucketPercentile(lookupsBefore.attemptBuckets, lookupsAfter.attemptBuckets, 0.5),
    serverP99: bucketPercentile(lookupsBefore.attemptBuckets, lookupsAfter.attemptBuckets, 0.99),
    authHits: lookupsAfter.hit - lookupsBefore.hit,
    authMisses: lookupsAfter.miss - lookupsBefore.miss,
    label,
    firstWave: firstWave.sort((a, b) => a - b),
    seconds,
    attempts,
    retries,
    unavailable,
    won,
    abandoned,
    paid,
    failures,
    machineBusy: busy,
    waveBusy,
    waveCpu,
    totalSeconds,
  };
}

/** The reservation service alone: every buyer calls it at once, in this process. */
async function serviceOnly(): Promise<{
  perSecond: number;
  p50: number;
  p99: number;
  reserved: number;
  left: number;
}> {
  const { reserveFlash } = await import('../commerce/promotions/index.ts');
  const { promotionId } = await openFlashSale(site.id, {
    slug: 'service',
    title: 'Flash phone (service)',
    units,
    reserveMinutes: 10,
  });
  const latencies: number[] = [];
  let reserved = 0;
  const started = performance.now();
  await Promise.all(
    buyers.map(async (b) => {
      const t = performance.now();
      await reserveFlash(b.id, promotionId).then(
        () => reserved++,
        () => {},
      );
      latencies.push(performance.now() - t);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const left = Number(await redis().get(`${key('flash', `{${promotionId}}`)}:stock`));
  return {
    perSecond: buyers.length / seconds,
    p50: pct(latencies, 0.5),
    p99: pct(latencies, 0.99),
    reserved,
    left,
  };
}

const service = await serviceOnly();
if (service.reserved !== units || service.left !== 0)
  throw new Error(`service only: ${service.reserved} reserved, ${service.left} left of ${units}`);

const outcomes: Outcome[] = [];
process.stderr.write(`flash sale right after the API started: ${buyerCount} buyers for ${units} units…\n`);
outcomes.push(await sale('alone, cold', 1));
process.stderr.write(`flash sale alone: ${buyerCount} buyers for ${units} units…\n`);
outcomes.push(await sale('alone', 3));

if (!values['alone-only']) {
  process.stderr.write('starting a crawler node and an ingest worker on a 5,000-product shop…\n');
  const shop = await startShopProcess({ products: 5000 });
  process.on('exit', () => {
    try {
      process.kill(shop.pid, 'SIGKILL');
    } catch {
      // already stopped
    }
  });
  const crawlSite = { ...demoSite(shop.url), name: 'bench-busy-shop', maxPages: 1_000_000 };
  await putSite(crawlSite);
  const workers = [await startWorkerProcess('ingest'), await startWorkerProcess('crawl')];
  children.push(...workers);
  const runs = new CrawlRuns();
  const run = await runs.start(crawlSite.name);
  // Let the crawl get going before the sale starts.
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const before = await runs.get(run.id);
  process.stderr.write(`flash sale with the crawler busy (${before?.fetched ?? 0} pages fetched so far)…\n`);
  outcomes.push(await sale('crawler busy', 2));
  const after = await runs.get(run.id);
  process.stderr.write(
    `the crawler fetched ${(after?.fetched ?? 0) - (before?.fetched ?? 0)} pages during the sale\n`,
  );
  await runs.cancel(run.id).catch(() => {});
  for (const worker of workers) {
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker.once('exit', resolve));
  }
  await shop.close();
}

const mismatches = await ledgerMismatches();
const nonZero = [...(await ledgerTotals())].filter(([, total]) => !total.isZero());

api.kill('SIGINT');
await new Promise((resolve) => api.once('exit', resolve));
await closeQueues();
await closeRedis();
await closeDb();

process.stdout.write(
  `${table(
    outcomes.map((o) => ({
      run: o.label,
      buyers: buyerCount,
      units,
      'attempts/s': (o.firstWave.length / o.seconds).toFixed(0),
      'p50 ms': pct(o.firstWave, 0.5).toFixed(0),
      'p99 ms': pct(o.firstWave, 0.99).toFixed(0),
      'max ms': (o.firstWave.at(-1) ?? Number.NaN).toFixed(0),
      'API p50 ms': o.serverP50,
      'API p99 ms': o.serverP99,
      'won (walked away)': `${o.won} (${o.abandoned})`,
      retries: o.retries,
      '503s': o.unavailable,
      paid: o.paid,
      'sold out in s': o.totalSeconds.toFixed(1),
      'machine busy (first wave)': `${(o.machineBusy * 100).toFixed(0)}% (${(o.waveBusy * 100).toFixed(0)}%)`,
      'auth from cache': `${((100 * o.authHits) / Math.max(1, o.authHits + o.authMisses)).toFixed(0)}%`,
    })),
  )}\n` +
    `attempts/s and latencies: the first attempt of every buyer, the ${buyerCount} arriving over ${spreadMs} ms (${spreadMs ? ((buyerCount / spreadMs) * 1000).toFixed(0) : 'all at once'}/s offered); a unit reserved and not paid lapses after 30 s and is sold again\n` +
    `reservation service alone (in process, ${buyerCount} calls at the same instant): ${service.perSecond.toFixed(0)} attempts/s, p50 ${service.p50.toFixed(0)} ms, p99 ${service.p99.toFixed(0)} ms; ${service.reserved} reserved, ${service.left} left\n` +
    outcomes
      .map(
        (o) =>
          `CPU while the first attempts were answered (${o.label}, ${o.seconds.toFixed(1)} s on ${availableParallelism()} cores): ` +
          `API ${o.waveCpu.api.toFixed(1)} s, Postgres ${o.waveCpu.postgres.toFixed(1)} s, Redis ${o.waveCpu.redis.toFixed(1)} s, the buyers (this process) ${o.waveCpu.client.toFixed(1)} s\n`,
      )
      .join('') +
    `API p50/p99: the API's own timing of those attempts (histogram bucket bounds), from when it took each request to its answer\n` +
    `auth from cache: share of the requests authenticated from the API's cache rather than Postgres while the first attempts were answered\n` +
    `ledger: ${mismatches.length} account mismatches, ${nonZero.length} currencies not summing to zero\n`,
);
const failed = outcomes.flatMap((o) => o.failures.map((f) => `${o.label}: ${f}`));
// A buyer's request that failed (an Error), and the sale's own checks (oversold, disagreeing), apart.
const buyerErrors = failed.filter((f) => / (Error|attempt): /.test(f));
for (const failure of buyerErrors.slice(0, 5)) process.stderr.write(`failed: ${failure}\n`);
if (buyerErrors.length > 5) process.stderr.write(`…and ${buyerErrors.length - 5} more buyer errors\n`);
const broken = failed.filter((f) => !/ (Error|attempt): /.test(f));
for (const failure of broken) process.stderr.write(`failed: ${failure}\n`);
process.stderr.write(
  `the sale's own checks (exactly ${units} paid at the flash price, none sold twice, Redis and Postgres agreeing): ${broken.length === 0 ? 'all held' : `${broken.length} failed`}\n`,
);
if (failed.length > 0 || mismatches.length > 0 || nonZero.length > 0) {
  process.stderr.write('FAILED: oversold, undersold, or the books do not add up\n');
  process.exit(1);
}
process.exit(0);
