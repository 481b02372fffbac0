import { syncPermissions } from '../../commerce/accounts/index.ts';
import { config } from '../../core/config.ts';
import {
  type CheckReport,
  checkChromium,
  checkMigrations,
  checkNode,
  checkPostgres,
  checkPrometheus,
  checkRedis,
  PrerequisiteError,
} from '../../core/prereqs.ts';

/**
 * Checks every prerequisite and prepares the database. With `test`, the test database
 * (TEST_DATABASE_URL, default trawl_test) is checked instead of the main one; the test
 * setup migrates it itself.
 */
export async function checkCommand(options: { test: boolean; quiet: boolean }): Promise<number> {
  const url = options.test
    ? (process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/trawl_test')
    : config().DATABASE_URL;
  const steps: Array<() => CheckReport | Promise<CheckReport>> = [
    () => checkNode(),
    () => checkPostgres(url),
    ...(options.test ? [] : [() => checkMigrations(url), () => syncPermissionTable()]),
    () => checkRedis(),
    () => checkChromium(),
    // Only the tests run Prometheus (test/prometheus.test.ts); a Trawl installation does not.
    ...(options.test ? [() => checkPrometheus()] : []),
  ];
  for (const step of steps) {
    try {
      const report = await step();
      if (!options.quiet) process.stderr.write(`✓ ${report.name}: ${report.detail}\n`);
    } catch (error) {
      if (error instanceof PrerequisiteError) {
        process.stderr.write(`✗ ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  }
  return 0;
}

/** After migrations: the permission table and the built-in roles' defaults follow the code. */
async function syncPermissionTable(): Promise<CheckReport> {
  const { added } = await syncPermissions();
  return { name: 'permissions', detail: added.length > 0 ? `${added.length} added` : 'up to date' };
}
