import { Redis } from 'ioredis';
import { syncPermissions } from '../commerce/accounts/index.ts';
import { resetConfig } from '../core/config.ts';
import { recreateDatabase } from '../core/db/ensure-database.ts';
import { closeDb } from '../core/db/index.ts';
import { migrateDatabase } from '../core/db/migrate.ts';
import { closeRedis } from '../core/redis.ts';
import { testDatabaseUrl, testQueuePrefix, testWorkers } from './test-env.ts';

/** A fresh, migrated database and an empty Redis prefix for every test worker of this run. */
export default async function setup(): Promise<void> {
  const workers = Array.from({ length: testWorkers() }, (_, i) => i + 1);
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    for (const worker of workers) {
      const url = testDatabaseUrl(worker);
      // A test database need not survive a machine crash.
      await recreateDatabase(url, { durable: false });
      await migrateDatabase(url);
      // The permission table, as `trawl check` and every API process keep it.
      process.env.DATABASE_URL = url;
      resetConfig();
      await syncPermissions();
      await closeDb();
      const prefix = testQueuePrefix(worker);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    }
  } finally {
    await redis.quit();
    // syncPermissions announces the change to API instances' authentication caches.
    await closeRedis();
  }
}
