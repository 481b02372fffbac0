import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { recreateDatabase } from '../core/db/ensure-database.ts';
import { migrateDatabase } from '../core/db/migrate.ts';

/**
 * Benchmarks use a database and Redis prefix of their own, recreated on each run. Call
 * before anything reads the configuration.
 */
export async function prepareBenchEnvironment(name: string): Promise<void> {
  const url = `postgresql://postgres@127.0.0.1:5432/trawl_bench_${name}`;
  process.env.DATABASE_URL = url;
  process.env.QUEUE_PREFIX = `trawlbench${name}`;
  process.env.LOG_LEVEL ??= 'warn';
  process.env.LOG_FORMAT = 'json';
  await recreateDatabase(url);
  await migrateDatabase(url);
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `trawlbench${name}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
}

export function table(rows: Array<Record<string, string | number>>): string {
  const columns = Object.keys(rows[0] ?? {});
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  return [
    line(columns),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(columns.map((c) => String(r[c])))),
  ].join('\n');
}

export interface ShopProcess {
  url: string;
  pid: number;
  products: number;
  close(): Promise<void>;
}

/** The demo shop in a child process (see shop-process.ts). */
export async function startShopProcess(options: {
  products: number;
  latencyMs?: number;
  /** File the shop writes its request log to (path, arrival ms) when it is closed. */
  requestsFile?: string;
}): Promise<ShopProcess> {
  const child = spawn(
    'node',
    [
      '--import',
      'tsx',
      'bench/shop-process.ts',
      '--products',
      String(options.products),
      '--latency',
      String(options.latencyMs ?? 0),
      ...(options.requestsFile ? ['--requests', options.requestsFile] : []),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`demo shop exited with ${code} before it started`)));
  });
  const { url, products } = JSON.parse(first) as { url: string; products: number };
  return {
    url,
    products,
    pid: child.pid!,
    async close() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * A process's command name and CPU time in ms (user + system, its own and that of its children
 * it has reaped), from /proc/PID/stat.
 */
function procStat(pid: number | string): { command: string; cpuMs: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const close = stat.lastIndexOf(')');
  const fields = stat
    .slice(close + 2)
    .split(' ')
    .map(Number);
  // utime, stime, cutime, cstime: fields 14 to 17 of the line, in clock ticks (100 a second).
  const ticks = fields[11]! + fields[12]! + fields[13]! + fields[14]!;
  return { command: stat.slice(stat.indexOf('(') + 1, close), cpuMs: (ticks * 1000) / 100 };
}

/**
 * CPU time (ms) used so far by every process whose command is `command` (such as `postgres` or
 * `redis-server`): with processTreeCpuMs, where a benchmark's CPU went. A backend that exited is
 * counted in its parent's reaped-children time, so differences between two calls hold it.
 */
export function commandCpuMs(command: string): number {
  let ms = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = procStat(entry);
      if (stat.command === command) ms += stat.cpuMs;
    } catch {
      // exited meanwhile
    }
  }
  return ms;
}

/**
 * CPU time (user + system, ms) a process and all its descendants have used so far, from /proc:
 * what a request costs the API (all its processes) is this over the requests answered, whatever
 * else the machine is doing at the time.
 */
export function processTreeCpuMs(pid: number): number {
  let ms = procStat(pid).cpuMs;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    for (const child of children ? children.split(' ') : []) {
      try {
        ms += processTreeCpuMs(Number(child));
      } catch {
        // exited meanwhile: counted in cutime once reaped
      }
    }
  }
  return ms;
}

/** Busy share of all this machine's CPUs since `since` (Linux /proc/stat); call with no argument to start. */
export function machineCpu(since?: { idle: number; total: number }): {
  idle: number;
  total: number;
  busy: number;
} {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3]! + (fields[4] ?? 0);
  const total = fields.reduce((sum, n) => sum + n, 0);
  const busy = since ? 1 - (idle - since.idle) / Math.max(1, total - since.total) : 0;
  return { idle, total, busy };
}
