import { defineConfig } from 'vitest/config';
import { testWorkers } from './test/test-env.ts';

export default defineConfig({
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['node_modules/**', 'core/db/generated/**'],
    globalSetup: ['test/global-setup.ts'],
    env: {
      DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/trawl_test',
      QUEUE_PREFIX: process.env.TEST_QUEUE_PREFIX ?? 'trawltest',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      LOG_FORMAT: 'json',
      // Payment secrets in tests are sealed with this key, not a development key file in $HOME.
      PAYMENT_SECRETS_KEY:
        process.env.TEST_PAYMENT_SECRETS_KEY ?? 'dGVzdC1wYXltZW50LXNlY3JldHMta2V5LTMyLWJ5dGU=',
    },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests need their own Postgres database and Redis prefix: each of the
    // TEST_WORKERS processes gets its own (test/worker-env.ts) and runs one file at a time.
    maxWorkers: testWorkers(),
    setupFiles: ['test/worker-env.ts'],
  },
});
