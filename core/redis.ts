import { Redis } from 'ioredis';
import { closeAtExit } from './closers.ts';
import { config } from './config.ts';

const connections = new Set<Redis>();

/**
 * A new Redis connection. BullMQ workers need `maxRetriesPerRequest: null` so a dropped
 * connection is retried forever instead of failing jobs.
 */
export function createRedis(
  options: { forWorker?: boolean; autoPipelining?: boolean; failFast?: boolean } = {},
): Redis {
  const redis = new Redis(config().REDIS_URL, {
    maxRetriesPerRequest: options.forWorker ? null : options.failFast ? 0 : 20,
    // Fail fast: a request that needs Redis while it is down gets an error within a second (the
    // API answers 503) instead of waiting for Redis to return. The offline queue stays on, so a
    // command sent while the connection is still being made simply waits for it.
    ...(options.failFast ? { commandTimeout: 1000, connectTimeout: 1000 } : {}),
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
let sharedFailFast: Redis | undefined;
let sharedPipelined: Redis | undefined;

/** One shared connection for plain commands. */
export function redis(): Redis {
  shared ??= createRedis();
  return shared;
}

/** A shared connection for request paths: errors within about a second when Redis is down. */
export function redisFailFast(): Redis {
  sharedFailFast ??= createRedis({ failFast: true });
  return sharedFailFast;
}

/**
 * A shared connection for hot request paths (a flash sale's attempts): the commands of many
 * requests issued in the same tick leave in one socket write (auto-pipelining) rather than one
 * system call each.
 */
export function redisPipelined(): Redis {
  sharedPipelined ??= createRedis({ autoPipelining: true });
  return sharedPipelined;
}

export async function closeRedis(): Promise<void> {
  shared = undefined;
  sharedFailFast = undefined;
  sharedPipelined = undefined;
  await Promise.all([...connections].map((c) => c.quit().catch(() => c.disconnect())));
  connections.clear();
}
closeAtExit('redis', closeRedis);

/** A Redis key under the install's prefix. */
export function key(...parts: string[]): string {
  return [config().QUEUE_PREFIX, ...parts].join(':');
}

/**
 * True for the errors ioredis raises when Redis cannot be reached (refused, closed, offline
 * queue disabled, retries or command timeout exhausted): the request should answer 503.
 */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH')
    return true;
  return /Connection is closed|enableOfflineQueue|Command timed out|Reached the max retries|connect ETIMEDOUT/i.test(
    error.message,
  );
}
