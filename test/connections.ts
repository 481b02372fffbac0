import { closeDb } from '../core/db/index.ts';
import { closeQueues } from '../core/queues.ts';
import { closeRedis } from '../core/redis.ts';

/** Closes the process-wide connections a test file opened. */
export async function closeConnections(): Promise<void> {
  await closeQueues();
  await closeRedis();
  await closeDb();
}
