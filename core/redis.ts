import { Redis } from 'ioredis';
import { config } from './config.ts';

const connections = new Set<Redis>();

/**
 * A new Redis connection. BullMQ workers need `maxRetriesPerRequest: null` so a dropped
 * connection is retried forever instead of failing jobs.
 */
export function createRedis(options: { forWorker?: boolean; autoPipelining?: boolean } = {}): Redis {
  const redis = new Redis(config().REDIS_URL, {
    maxRetriesPerRequest: options.forWorker ? null : 20,
    enableAutoPipelining: options.autoPipelining ?? false,
    enableReadyCheck: true,
    // Named so operators (and tests) can tell this install's connections apart in CLIENT LIST.
    connectionName: `${config().QUEUE_PREFIX}-${process.pid}`,
    lazyConnect: false,
  });
  connections.add(redis);
  redis.on('end', () => connections.delete(redis));
  // Errors are retried by ioredis; without a listener Node would crash the process on them.
  redis.on('error', () => {});
  return redis;
}

let shared: Redis | undefined;

/** One shared connection for plain commands. */
export function redis(): Redis {
  shared ??= createRedis();
  return shared;
}

export async function closeRedis(): Promise<void> {
  shared = undefined;
  await Promise.all([...connections].map((c) => c.quit().catch(() => c.disconnect())));
  connections.clear();
}

/** A Redis key under the install's prefix. */
export function key(...parts: string[]): string {
  return [config().QUEUE_PREFIX, ...parts].join(':');
}
