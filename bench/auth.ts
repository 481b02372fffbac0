/**
 * Accounts: what one argon2id hash costs with the installation's settings (the issue asks for
 * 50–250 ms), and how many sign-ins per second the API answers end to end (HTTP, throttle
 * check in Redis, user lookup, argon2 verify, session insert), plus requests per second for a
 * signed-in session (cookie → session, user and permissions in one query).
 *
 * The API runs in a child process (`trawl api`), as in production; clients run here.
 *
 *   node --import tsx bench/auth.ts [--seconds N] [--concurrency N] [--users N]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { prepareBenchEnvironment, table } from './support.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '8' },
    users: { type: 'string', default: '50' },
    hashes: { type: 'string', default: '20' },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const userCount = Number(values.users);
const hashCount = Number(values.hashes);
for (const [name, value] of Object.entries({ seconds, concurrency, users: userCount, hashes: hashCount }))
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);

await prepareBenchEnvironment('auth');
const { config } = await import('../core/config.ts');
const { hashPassword, insertUser, syncPermissions } = await import('../commerce/accounts/index.ts');
const { closeDb } = await import('../core/db/index.ts');
const { closeRedis } = await import('../core/redis.ts');

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const ms = (n: number) => n.toFixed(1);

// 1. The hash, as the service computes it (libuv thread pool, one at a time).
const hashTimes: number[] = [];
for (let i = 0; i < hashCount; i++) {
  const started = performance.now();
  await hashPassword(`benchmark password ${i}`);
  hashTimes.push(performance.now() - started);
}
hashTimes.sort((a, b) => a - b);

// 2. Users to sign in as: distinct accounts, so no account's throttle is what is measured.
await syncPermissions();
const password = 'correct horse battery staple';
const emails: string[] = [];
for (let i = 0; i < userCount; i++) {
  const email = `bench-${i}@auth.bench`;
  await insertUser({ email, password, role: 'shopper' });
  emails.push(email);
}

const port = 3900 + Math.floor(Math.random() * 90);
const api: ChildProcess = spawn('node', ['--import', 'tsx', 'bin/trawl.ts', 'api'], {
  env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/healthz`)).ok) break;
  } catch {
    if (i > 300) throw new Error('the API did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function load(request: (worker: number, n: number) => Promise<Response>) {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let n = 0; performance.now() < deadline; n++) {
        const started = performance.now();
        const response = await request(worker, n);
        await response.arrayBuffer();
        latencies.push(performance.now() - started);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { latencies, statuses, perSecond: latencies.length / seconds };
}

// Sign-ins: every worker cycles through its share of the accounts.
const logins = await load((worker, n) =>
  fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: emails[(worker + n * concurrency) % emails.length], password }),
  }),
);

// Signed-in reads: one session per worker.
const cookies: string[] = [];
for (let worker = 0; worker < concurrency; worker++) {
  const response = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: emails[worker % emails.length], password }),
  });
  cookies.push((response.headers.get('set-cookie') ?? '').split(';')[0]!);
}
const sessions = await load((worker) =>
  fetch(`${base}/api/v1/account`, { headers: { cookie: cookies[worker]! } }),
);

api.kill('SIGTERM');
await closeDb();
await closeRedis();

const settings = config();
const only = (statuses: Map<number, number>, expected: number) =>
  [...statuses].every(([status]) => status === expected)
    ? 'all'
    : JSON.stringify(Object.fromEntries(statuses));
process.stdout.write(
  `argon2id m=${settings.ARGON2_MEMORY_KIB} KiB, t=${settings.ARGON2_TIME_COST}, p=1 on ${cpus().length} cores (${cpus()[0]?.model.trim()}):\n` +
    `  one hash: median ${ms(percentile(hashTimes, 0.5))} ms, p95 ${ms(percentile(hashTimes, 0.95))} ms over ${hashCount} hashes (goal 50–250 ms)\n\n` +
    `${table([
      {
        what: 'sign-in (POST /auth/login)',
        'requests/s': logins.perSecond.toFixed(1),
        'p50 ms': ms(percentile(logins.latencies, 0.5)),
        'p95 ms': ms(percentile(logins.latencies, 0.95)),
        '2xx': only(logins.statuses, 200),
      },
      {
        what: 'signed-in read (GET /account)',
        'requests/s': sessions.perSecond.toFixed(1),
        'p50 ms': ms(percentile(sessions.latencies, 0.5)),
        'p95 ms': ms(percentile(sessions.latencies, 0.95)),
        '2xx': only(sessions.statuses, 200),
      },
    ])}\n` +
    `concurrency ${concurrency}, ${seconds} s each, ${userCount} accounts; API in its own process, on the same machine as Postgres and Redis.\n`,
);
process.exit(0);
