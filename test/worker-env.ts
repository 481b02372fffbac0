import { resetConfig } from '../core/config.ts';
import { testDatabaseUrl, testQueuePrefix } from './test-env.ts';

// Runs before every test file, in its worker process: point it at that worker's database and
// Redis prefix (see test-env.ts). Processes the tests spawn inherit them through process.env.
const worker = Number(process.env.VITEST_POOL_ID ?? 1);
process.env.DATABASE_URL = testDatabaseUrl(worker);
process.env.QUEUE_PREFIX = testQueuePrefix(worker);
resetConfig();
