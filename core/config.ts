import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** A comma-separated list: entries trimmed, empty ones dropped. */
const list = (value: string) =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);

/** npm's package name rules (scoped or not), which also keep out paths and URL specifiers. */
const PACKAGE_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/**
 * Every setting Trawl reads from the environment. Defaults work on a development
 * machine with Postgres and Redis on loopback.
 */
export const configSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .default('postgresql://postgres@127.0.0.1:5432/trawl'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .default('redis://127.0.0.1:6379'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Public base URL of the storefront, used in links printed by the CLI. */
  PUBLIC_URL: z.url().optional(),
  /** Port for the /metrics endpoint of worker processes (0 = pick a free port). */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Prefix of every Redis key and BullMQ queue, so several installs can share one Redis. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
    .default('trawl'),
  CRAWL_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(10),
  /** How long a node's claim on a job lasts without renewal; a dead node's jobs return after about this long. */
  CRAWL_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** Longest a page fetch may take, connection to last byte. */
  FETCH_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  INGEST_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(50),
  INGEST_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  USER_AGENT: z.string().min(1).default('TrawlBot/0.1 (+https://github.com/trawl)'),
  MEILI_URL: z.url().optional(),
  MEILI_KEY: z.string().optional(),
  DEMO_PORT: z.coerce.number().int().min(0).max(65535).default(4100),
  /**
   * Folders (comma-separated) whose extractor plugins site rules may name; relative ones are
   * resolved against the working directory. Default: the repository's plugins/ folder.
   */
  PLUGIN_DIRS: z
    .string()
    .default(fileURLToPath(new URL('../plugins', import.meta.url)))
    .transform(list),
  /** npm packages (comma-separated names) that site rules may name as extractor plugins. Default: none. */
  PLUGIN_PACKAGES: z
    .string()
    .default('')
    .transform(list)
    .refine(
      (names) => names.every((name) => PACKAGE_NAME.test(name)),
      'must be npm package names, comma-separated',
    ),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses `env`; a bad value throws one ConfigError line per variable that names the variable and the fix. */
export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? 'environment');
    return `${name}=${JSON.stringify(env[name] ?? '')} is invalid: ${issue.message}`;
  });
  throw new ConfigError(lines.join('\n'));
}

let cached: Config | undefined;

/** The process's configuration, parsed once. */
export function config(): Config {
  cached ??= parseConfig();
  return cached;
}

/** For tests that change the environment. */
export function resetConfig(): void {
  cached = undefined;
}
