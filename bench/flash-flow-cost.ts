/**
 * What each step of a flash-sale winner's flow costs, one step at a time: CPU of the API (a
 * `trawl api` child process, one process) and of Postgres per request, from /proc, for the
 * winning attempt, the address, the cart line, the checkout and the balance payment, then for
 * attempts answered "sold out". Requests go one after another, so each step's CPU is its own
 * (a tick of /proc is 10 ms: the means over many flows are what to read, not single values), less
 * what the API and Postgres use while idle over the same time (measured for 5 s before).
 *
 * bench/flash-sale.ts measures the sale under load; this says where a winner's cost lies.
 *
 *   node --import tsx bench/flash-flow-cost.ts [--flows 40] [--sold-out 200]
 *
 * TRAWL_CPU_PROF_DIR=DIR writes a V8 CPU profile of the API process there when it exits.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Agent, fetch, request } from 'undici';
import { commandCpuMs, prepareBenchEnvironment, processTreeCpuMs, table } from './support.ts';

const { values } = parseArgs({
  options: {
    flows: { type: 'string', default: '40' },
    'sold-out': { type: 'string', default: '200' },
  },
});
const flows = Number(values.flows);
const soldOut = Number(values['sold-out']);
if (!Number.isInteger(flows) || flows < 1) throw new Error('--flows must be a positive integer');
if (!Number.isInteger(soldOut) || soldOut < 1) throw new Error('--sold-out must be a positive integer');
// Flows not measured first, so that the JIT and the pools are warm.
const WARM = 5;

await prepareBenchEnvironment('flowcost');
process.env.PAYMENT_SECRETS_KEY ??= Buffer.alloc(32, 7).toString('base64');
const { createToken, hashPassword, permissionsOfRole, syncPermissions } = await import(
  '../commerce/accounts/index.ts'
);
const { putSite, setSiteOwner } = await import('../catalog/index.ts');
const { fundWallets } = await import('./wallets.ts');
const { openFlashSale } = await import('./flash-world.ts');
const { db, closeDb } = await import('../core/db/index.ts');
const { closeRedis } = await import('../core/redis.ts');
const { closeQueues } = await import('../core/queues.ts');
const { setUpDemoMerchant } = await import('../demo/index.ts');

await syncPermissions();
const passwordHash = await hashPassword('bench password, never used to sign in');
const merchant = await db().user.create({
  data: { email: 'flow-merchant@bench.example', passwordHash, roleName: 'merchant' },
});
const site = await putSite({ name: 'bench-flow', startUrls: ['https://bench-flow.example/'] });
await setSiteOwner(site.name, merchant.id);
await setUpDemoMerchant(merchant.id, { name: 'Flow Bench Shop' });
const permissions = new Set(await permissionsOfRole('shopper'));
const buyers: Array<{ id: string; token: string }> = [];
for (let i = 0; i < WARM + flows + 1; i++) {
  const user = await db().user.create({
    data: { email: `flow-${i}@bench.example`, passwordHash, roleName: 'shopper' },
  });
  buyers.push({
    id: user.id,
    token: (await createToken({ id: user.id, permissions }, { name: 'bench' })).token,
  });
}
await fundWallets(
  buyers.map((b) => b.id),
  'CNY',
  '100.00',
);
await db().$executeRawUnsafe('ANALYZE');
const { listingId, promotionId } = await openFlashSale(site.id, {
  slug: 'flow',
  title: 'Flow phone',
  units: WARM + flows,
  reserveMinutes: 10,
  exclusive: true,
});

const port = 3900 + Math.floor(Math.random() * 90);
const profile = process.env.TRAWL_CPU_PROF_DIR
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.TRAWL_CPU_PROF_DIR}`]
  : [];
const api: ChildProcess = spawn('node', [...profile, 'bin/trawl.mjs', 'api'], {
  env: { ...process.env, API_PROCESSES: '1', PORT: String(port), LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
process.on('exit', () => {
  if (api.exitCode === null) api.kill('SIGKILL');
});
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  if ((await fetch(`${base}/readyz`).catch(() => undefined))?.ok) break;
  if (i > 300) throw new Error('the API did not start');
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const dispatcher = new Agent({ connections: 2 });

async function call(token: string, method: 'GET' | 'POST', path: string, body?: unknown, headers = {}) {
  const response = await request(`${base}/api/v1${path}`, {
    dispatcher,
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.body.text();
  return { status: response.statusCode, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

// What the API and Postgres use doing nothing (timers, queue polling), per ms: taken off each step.
await new Promise((resolve) => setTimeout(resolve, 1000));
const idleStart = {
  api: processTreeCpuMs(api.pid!),
  postgres: commandCpuMs('postgres'),
  at: performance.now(),
};
await new Promise((resolve) => setTimeout(resolve, 5000));
const idleMs = performance.now() - idleStart.at;
const idle = {
  api: (processTreeCpuMs(api.pid!) - idleStart.api) / idleMs,
  postgres: (commandCpuMs('postgres') - idleStart.postgres) / idleMs,
};

const cpu = new Map<string, { api: number; postgres: number; n: number }>();
/** Runs one step, then waits a moment so that its tail (timers, pool releases) is counted with it. */
async function step<T>(name: string, measured: boolean, run: () => Promise<T>): Promise<T> {
  const api0 = processTreeCpuMs(api.pid!);
  const pg0 = commandCpuMs('postgres');
  const started = performance.now();
  const result = await run();
  await new Promise((resolve) => setTimeout(resolve, 20));
  if (measured) {
    const ms = performance.now() - started;
    const sum = cpu.get(name) ?? { api: 0, postgres: 0, n: 0 };
    sum.api += processTreeCpuMs(api.pid!) - api0 - idle.api * ms;
    sum.postgres += commandCpuMs('postgres') - pg0 - idle.postgres * ms;
    sum.n++;
    cpu.set(name, sum);
  }
  return result;
}

function expect(result: { status: number; body: unknown }, status: number, what: string): void {
  if (result.status !== status) throw new Error(`${what}: ${result.status} ${JSON.stringify(result.body)}`);
}

// Every buyer has the sale's page open first (their token is known to the API).
for (const b of buyers) await call(b.token, 'GET', `/flash-sales/${promotionId}`);
for (const [i, b] of buyers.slice(0, WARM + flows).entries()) {
  const measured = i >= WARM;
  const attempt = await step('attempt (won)', measured, () =>
    call(b.token, 'POST', `/flash-sales/${promotionId}/reservations`, { quantity: 1 }),
  );
  expect(attempt, 201, 'attempt');
  const address = await step('address', measured, () =>
    call(b.token, 'POST', '/account/addresses', {
      recipient: 'Bench Buyer',
      phone: '+86 138 0000 0000',
      line1: '1 Bench Road',
      city: 'Shanghai',
      country: 'CN',
    }),
  );
  expect(address, 201, 'address');
  const line = await step('cart line', measured, () =>
    call(b.token, 'POST', '/cart/lines', { productId: listingId, quantity: 1 }),
  );
  if (line.status !== 200 && line.status !== 201) expect(line, 201, 'cart line');
  const placed = await step('checkout', measured, () =>
    call(
      b.token,
      'POST',
      '/checkout/orders',
      { addressId: address.body.id },
      { 'idempotency-key': `flow-${randomUUID()}` },
    ),
  );
  expect(placed, 201, 'checkout');
  const orderId = (placed.body.orders as Array<{ id: string }>)[0]!.id;
  const paid = await step('payment (balance)', measured, () =>
    call(b.token, 'POST', `/orders/${orderId}/pay`, { method: 'balance' }),
  );
  expect(paid, 200, 'payment');
}
const loser = buyers.at(-1)!;
for (let i = 0; i < soldOut; i++) {
  const attempt = await step('attempt (sold out)', true, () =>
    call(loser.token, 'POST', `/flash-sales/${promotionId}/reservations`, { quantity: 1 }),
  );
  expect(attempt, 409, 'sold-out attempt');
}

api.kill('SIGTERM');
await new Promise((resolve) => api.once('exit', resolve));
await closeQueues();
await closeRedis();
await closeDb();

const rows = [...cpu].map(([name, sum]) => ({
  step: name,
  requests: sum.n,
  'API CPU ms/request': (sum.api / sum.n).toFixed(1),
  'Postgres CPU ms/request': (sum.postgres / sum.n).toFixed(1),
}));
const winner = [...cpu].filter(([name]) => name !== 'attempt (sold out)');
const total = (key: 'api' | 'postgres') => winner.reduce((s, [, sum]) => s + sum[key] / sum.n, 0).toFixed(0);
process.stdout.write(
  `${table(rows)}\none winner's flow: API ${total('api')} ms, Postgres ${total('postgres')} ms of CPU (${flows} flows, one request at a time, one API process; idle use taken off: API ${(idle.api * 1000).toFixed(0)} ms/s, Postgres ${(idle.postgres * 1000).toFixed(0)} ms/s)\n`,
);
process.exit(0);
