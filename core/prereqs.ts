import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { config } from './config.ts';
import { ensureDatabase } from './db/ensure-database.ts';
import { migrateDatabase } from './db/migrate.ts';

const run = promisify(execFile);

/** A prerequisite that is not met, with the one line that says how to fix it. */
export class PrerequisiteError extends Error {
  override name = 'PrerequisiteError';
}

export interface CheckReport {
  name: string;
  detail: string;
}

export function checkNode(version = process.versions.node): CheckReport {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    throw new PrerequisiteError(
      `Node ${version} is too old: install Node 20.19 or newer (https://nodejs.org).`,
    );
  }
  return { name: 'node', detail: `v${version}` };
}

export async function checkPostgres(url = config().DATABASE_URL): Promise<CheckReport> {
  let created: string;
  try {
    created = await ensureDatabase(url);
  } catch (error) {
    const where = new URL(url);
    throw new PrerequisiteError(
      `Postgres at ${where.host} is not reachable (${(error as Error).message}): start it ` +
        `(e.g. \`pg_ctlcluster 15 main start\` or \`docker compose up -d postgres\`) or set DATABASE_URL.`,
    );
  }
  const detail = created === 'created' ? 'database created' : 'reachable';
  return { name: 'postgres', detail: `${detail}${await postgresWarnings(url)}` };
}

/**
 * Not fatal, but worth a line each:
 * - without autovacuum no table is ever analyzed, so as the catalog grows the planner keeps plans
 *   made for empty tables (ingest slowed 20-fold at 15,000 products on such a server);
 * - search reads the documents and their indexes at random: when they do not fit in
 *   shared_buffers every search copies pages in from the OS cache.
 */
async function postgresWarnings(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ autovacuum: string; buffers: string; search: string }>(
      `SELECT current_setting('autovacuum') AS autovacuum, pg_size_bytes(current_setting('shared_buffers')) AS buffers,
         coalesce(pg_total_relation_size(to_regclass('search_document')), 0) AS search`,
    );
    const row = rows[0]!;
    return [
      row.autovacuum === 'off'
        ? ' (warning: autovacuum is off, so table statistics go stale: set autovacuum = on, or run ANALYZE after large loads)'
        : '',
      searchCacheWarning(Number(row.buffers), Number(row.search)),
    ].join('');
  } catch {
    return '';
  } finally {
    await client.end().catch(() => {});
  }
}

const megabytes = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;

/** The warning when the search documents with their indexes outgrow Postgres's buffer cache. */
export function searchCacheWarning(sharedBuffers: number, searchBytes: number): string {
  return searchBytes > sharedBuffers
    ? ` (warning: the search documents and their indexes (${megabytes(searchBytes)}) outgrow shared_buffers ` +
        `(${megabytes(sharedBuffers)}), so searches copy pages in from the OS cache: set shared_buffers to ` +
        'about a quarter of RAM)'
    : '';
}

export async function checkMigrations(url = config().DATABASE_URL): Promise<CheckReport> {
  try {
    await migrateDatabase(url);
  } catch (error) {
    throw new PrerequisiteError(
      `Database migrations failed: ${(error as Error).message.split('\n').slice(-3).join(' ')} — see \`npm run db:migrate\`.`,
    );
  }
  return { name: 'migrations', detail: 'applied' };
}

export async function checkRedis(url = config().REDIS_URL): Promise<CheckReport> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 3000,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    const pong = await redis.ping();
    const info = await redis.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
    const major = Number(version.split('.')[0]);
    if (major && major < 6)
      throw new PrerequisiteError(`Redis ${version} is too old: BullMQ needs Redis 6.2 or newer.`);
    return { name: 'redis', detail: `${pong.toLowerCase()} (v${version})` };
  } catch (error) {
    if (error instanceof PrerequisiteError) throw error;
    throw new PrerequisiteError(
      `Redis at ${new URL(url).host} is not reachable: start it (e.g. \`redis-server --daemonize yes\` or ` +
        '`docker compose up -d redis`) or set REDIS_URL.',
    );
  } finally {
    redis.disconnect();
  }
}

export async function checkChromium(path = config().CHROMIUM_PATH): Promise<CheckReport> {
  if (await isExecutable(path)) return { name: 'chromium', detail: path };
  const canInstall = process.getuid?.() === 0 && (await isExecutable('/usr/bin/apt-get'));
  if (canInstall && path === '/usr/bin/chromium') {
    process.stderr.write(
      'trawl: Chromium is missing; installing the Debian package "chromium" (a minute or two)...\n',
    );
    try {
      await run('apt-get', ['update', '-qq'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
      await run('apt-get', ['install', '-y', '-qq', 'chromium'], {
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (error) {
      throw new PrerequisiteError(
        `Installing Chromium failed (${(error as Error).message.split('\n')[0]}): run \`apt-get install -y chromium\`.`,
      );
    }
    if (await isExecutable(path)) return { name: 'chromium', detail: `${path} (installed)` };
  }
  throw new PrerequisiteError(
    `Chromium not found at ${path}: install it (\`apt-get install -y chromium\` on Debian) or set CHROMIUM_PATH.`,
  );
}

/**
 * Prometheus and promtool, which test/prometheus.test.ts runs against the real processes (only
 * `npm test` needs them). Debian's package "prometheus" brings both; its service is not started.
 */
export async function checkPrometheus(
  searchPath = process.env.PATH ?? '',
): Promise<CheckReport & { prometheus: string; promtool: string }> {
  const [prometheus, promtool] = await Promise.all([
    findExecutable('prometheus', searchPath),
    findExecutable('promtool', searchPath),
  ]);
  if (!prometheus || !promtool) {
    const missing = [!prometheus && 'prometheus', !promtool && 'promtool'].filter(Boolean).join(' and ');
    throw new PrerequisiteError(
      `${missing} not found on PATH (the tests run them): install them (\`apt-get install -y prometheus\` on Debian).`,
    );
  }
  return { name: 'prometheus', detail: `${prometheus}, ${promtool}`, prometheus, promtool };
}

async function findExecutable(name: string, searchPath: string): Promise<string | null> {
  for (const dir of searchPath.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return null;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
