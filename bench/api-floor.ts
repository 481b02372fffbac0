/**
 * What one API process can answer on this machine, for the flash sale's question: requests/s
 * of a trivial route (/healthz, no authentication), of a token-authenticated route that reads
 * nothing (GET /api/v1/auth/session), and of a flash-sale attempt answered "sold out" (token,
 * Lua script, 409), each for a few seconds at a fixed number of requests in flight, from this
 * process (whose own CPU counts: it shares the machine's cores with the API, Postgres and Redis).
 *
 *   node --import tsx bench/api-floor.ts [--seconds 5] [--in-flight 64] [--rate N] [--users 500] [--processes 1] [--only TEXT]
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { Agent, fetch, request } from 'undici';
import { machineCpu, prepareBenchEnvironment, processTreeCpuMs, table } from './support.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    'in-flight': { type: 'string', default: '64' },
    users: { type: 'string', default: '500' },
    /** API processes (`API_PROCESSES`). */
    processes: { type: 'string', default: '1' },
    /** Measure only the routes whose name holds this text (to profile one of them). */
    only: { type: 'string', default: '' },
    /** Open loop: requests start at this rate per second, each on its own, whatever is in flight (0: closed loop). */
    rate: { type: 'string', default: '0' },
  },
});
const seconds = Number(values.seconds);
const inFlight = Number(values['in-flight']);
const rate = Number(values.rate);

await prepareBenchEnvironment('floor');
process.env.PAYMENT_SECRETS_KEY ??= Buffer.alloc(32, 7).toString('base64');
const { createToken, hashPassword, permissionsOfRole, syncPermissions } = await import(
  '../commerce/accounts/index.ts'
);
const { putSite } = await import('../catalog/index.ts');
const { openFlashSale } = await import('./flash-world.ts');
const { db, closeDb } = await import('../core/db/index.ts');
const { closeRedis } = await import('../core/redis.ts');

await syncPermissions();
const passwordHash = await hashPassword('bench password, never used to sign in');
const permissions = new Set(await permissionsOfRole('shopper'));
const tokens: string[] = [];
for (let i = 0; i < Number(values.users); i++) {
  const user = await db().user.create({
    data: { email: `floor-${i}@bench.example`, passwordHash, roleName: 'shopper' },
  });
  tokens.push((await createToken({ id: user.id, permissions }, { name: 'bench' })).token);
}
const site = await putSite({ name: 'bench-floor', startUrls: ['https://bench-floor.example/'] });
// A sale of one unit, taken at once: every attempt measured below is answered "sold out".
const { promotionId } = await openFlashSale(site.id, {
  slug: 'floor',
  title: 'Sold-out phone',
  units: 1,
  reserveMinutes: 10,
});

const port = 3900 + Math.floor(Math.random() * 90);
const profile = process.env.TRAWL_CPU_PROF_DIR
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.TRAWL_CPU_PROF_DIR}/api`]
  : [];
const api: ChildProcess = spawn('node', [...profile, 'bin/trawl.mjs', 'api'], {
  env: {
    ...process.env,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DB_POOL_SIZE: '20',
    API_PROCESSES: values.processes,
  },
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
const dispatcher = new Agent({ connections: inFlight, keepAliveTimeout: 3000 });

async function measure(
  name: string,
  send: (n: number) => Promise<number>,
  expected: number,
): Promise<Record<string, string | number>> {
  // Warm up (and, for tokens, let the API verify each once).
  for (let i = 0; i < tokens.length; i += inFlight)
    await Promise.all(tokens.slice(i, i + inFlight).map((_, j) => send(i + j)));
  const latencies: number[] = [];
  let unexpected = 0;
  let n = 0;
  const machine = machineCpu();
  const apiCpu = processTreeCpuMs(api.pid!);
  const clientCpu = process.cpuUsage();
  const started = performance.now();
  const end = started + seconds * 1000;
  const one = async () => {
    const t = performance.now();
    const status = await send(n++);
    latencies.push(performance.now() - t);
    if (status !== expected) unexpected++;
  };
  if (rate > 0) {
    // Arrivals as shoppers make them: one every 1/rate s, answered or not (timers fire late under
    // load; the requests due by then are sent together).
    const pending: Promise<void>[] = [];
    for (let sent = 0; performance.now() < end; ) {
      const due = Math.floor(((performance.now() - started) / 1000) * rate);
      for (; sent < due; sent++) pending.push(one());
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(pending);
  } else
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (performance.now() < end) await one();
      }),
    );
  const elapsed = (performance.now() - started) / 1000;
  const { busy } = machineCpu(machine);
  const apiCpuUs = ((processTreeCpuMs(api.pid!) - apiCpu) * 1000) / latencies.length;
  const client = process.cpuUsage(clientCpu);
  const clientCpuUs = (client.user + client.system) / latencies.length;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  return {
    route: name,
    'requests/s': (latencies.length / elapsed).toFixed(0),
    'p50 ms': pct(0.5).toFixed(1),
    'p99 ms': pct(0.99).toFixed(1),
    'other answers': unexpected,
    'machine busy': `${(busy * 100).toFixed(0)}%`,
    'API CPU µs/req': apiCpuUs.toFixed(0),
    'client CPU µs/req': clientCpuUs.toFixed(0),
  };
}

// undici's request, not fetch: a third of the client's CPU per request or less (133 to 161 against
// 469 to 1,033 µs here), which leaves the API more.
const get = async (path: string, token?: string, method: 'GET' | 'POST' = 'GET') => {
  const response = await request(`${base}${path}`, {
    dispatcher,
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
    },
    ...(method === 'POST' ? { body: '{"quantity":1}' } : {}),
  });
  await response.body.arrayBuffer();
  return response.statusCode;
};
// Take the one unit.
await get(`/api/v1/flash-sales/${promotionId}/reservations`, tokens[0], 'POST');

const routes: Array<[string, (n: number) => Promise<number>, number]> = [
  ['GET /healthz (no auth)', () => get('/healthz'), 200],
  ['GET /api/v1/auth/session (token)', (n) => get('/api/v1/auth/session', tokens[n % tokens.length]), 200],
  [
    'POST /api/v1/flash-sales/{id}/reservations (token, sold out)',
    (n) => get(`/api/v1/flash-sales/${promotionId}/reservations`, tokens[n % tokens.length], 'POST'),
    409,
  ],
];
const rows: Array<Record<string, string | number>> = [];
for (const [name, send, expected] of routes)
  if (name.includes(values.only)) rows.push(await measure(name, send, expected));
api.kill('SIGINT');
await new Promise((resolve) => api.once('exit', resolve));
await closeRedis();
await closeDb();
process.stdout.write(
  `${table(rows)}\n${rate > 0 ? `${rate} requests/s offered (open loop)` : `${inFlight} requests in flight`}, ${seconds} s each, ${tokens.length} users, ${values.processes} API process(es); CPU µs/req: the API's processes' and this client's CPU time over the requests answered\n`,
);
process.exit(0);
