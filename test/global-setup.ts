import { Redis } from 'ioredis';
import { syncPermissions } from '../commerce/accounts/index.ts';
import { resetConfig } from '../core/config.ts';
import { recreateDatabase } from '../core/db/ensure-database.ts';
import { closeDb } from '../core/db/index.ts';
import { migrateDatabase } from '../core/db/migrate.ts';

/** A fresh, migrated test database and an empty Redis prefix for every test run. */
export default async function setup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/trawl_test';
  await recreateDatabase(url);
  await migrateDatabase(url);
  // The permission table, as `trawl check` and every API process keep it.
  process.env.DATABASE_URL = url;
  resetConfig();
  await syncPermissions();
  await closeDb();
  const prefix = process.env.TEST_QUEUE_PREFIX ?? 'trawltest';
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
}
