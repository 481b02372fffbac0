/**
 * Where the tests keep their data. Test files run in TEST_WORKERS processes at once (default 2);
 * each process has its own database and Redis prefix, so files never see each other's rows,
 * queues or throttles. TEST_DATABASE_URL and TEST_QUEUE_PREFIX name the first process's; the
 * others append `_w<k>`, so concurrent runs of the suite can still be kept apart by those two.
 */
export function testWorkers(): number {
  const workers = Number(process.env.TEST_WORKERS ?? 2);
  if (!Number.isInteger(workers) || workers < 1 || workers > 8)
    throw new Error(`TEST_WORKERS must be a whole number from 1 to 8, not "${process.env.TEST_WORKERS}"`);
  return workers;
}

const BASE_DATABASE = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/trawl_test';
const BASE_PREFIX = process.env.TEST_QUEUE_PREFIX ?? 'trawltest';

/** The database of test worker `worker` (1-based). */
export function testDatabaseUrl(worker: number): string {
  if (worker <= 1) return BASE_DATABASE;
  const url = new URL(BASE_DATABASE);
  url.pathname = `${url.pathname}_w${worker}`;
  return url.href;
}

/** The Redis key prefix of test worker `worker` (1-based). */
export function testQueuePrefix(worker: number): string {
  return worker <= 1 ? BASE_PREFIX : `${BASE_PREFIX}_w${worker}`;
}
