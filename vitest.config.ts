import { defineConfig } from 'vitest/config';
import { testWorkers } from './test/test-env.ts';

/**
 * Tests that measure time (politeness gaps, per-second telemetry, charts that must move) run in
 * a group of their own, one file at a time, with no other test file competing for the two cores
 * (vitest runs that group after the rest); everything else runs in TEST_WORKERS workers. A third
 * worker on this 2-core machine was tried twice: the browser tests timed out, then (load 10)
 * ingest transactions and a 20-way race test failed.
 */
const TIMED = [
  'crawler/politeness.test.ts',
  'test/politeness.test.ts',
  'test/live-telemetry.test.ts',
  'test/live.browser.test.ts',
];

/**
 * Tests that read their own process (its child processes, RSS, CPU time): they run in a process
 * of their own, as the rest would see other test files' threads in theirs.
 */
const OWN_PROCESS = [
  'crawler/render/browser.test.ts',
  'crawler/extract/index.test.ts',
  'test/security.test.ts',
  'test/api-processes.test.ts',
];

const shared = {
  exclude: ['node_modules/**', 'core/db/generated/**'],
  // DATABASE_URL and QUEUE_PREFIX are the worker's own, set by test/worker-env.ts.
  env: {
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    LOG_FORMAT: 'json',
    // Passwords hash at argon2id's lowest cost the configuration allows (6.5 ms a hash here, not
    // 83 ms at the default 64 MiB and 3 passes): the suite signs in and creates users hundreds of
    // times. accounts.test.ts checks the default cost on its own.
    ARGON2_MEMORY_KIB: '8192',
    ARGON2_TIME_COST: '1',
    // Payment secrets in tests are sealed with this key, not a development key file in $HOME.
    PAYMENT_SECRETS_KEY:
      process.env.TEST_PAYMENT_SECRETS_KEY ?? 'dGVzdC1wYXltZW50LXNlY3JldHMta2V5LTMyLWJ5dGU=',
  },
  testTimeout: 60_000,
  hookTimeout: 120_000,
  // Integration tests need their own Postgres database and Redis prefix: each test worker
  // process gets its own (test/worker-env.ts) and runs one file at a time.
  setupFiles: ['test/worker-env.ts'],
};

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    maxWorkers: testWorkers(),
    projects: [
      {
        test: {
          ...shared,
          name: 'timed',
          include: TIMED,
          fileParallelism: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'own-process',
          include: OWN_PROCESS,
          pool: 'forks',
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          ...shared,
          name: 'rest',
          include: ['**/*.test.ts', '**/*.test.tsx'],
          exclude: [...shared.exclude, ...TIMED, ...OWN_PROCESS],
          // Worker threads start faster than processes (about a minute less in all on this
          // machine); each test file still gets a fresh module graph and environment copy.
          pool: 'threads',
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
