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
