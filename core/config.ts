import { join } from 'node:path';
import { z } from 'zod';
import { projectRoot } from './root.ts';
import { displayValue, registerSecretsFromEnv } from './secrets.ts';

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
const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const commaList = z.string().transform((v) =>
  v
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

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
  /** Processes `trawl api` serves with, on the same port (one per core the API may use). */
  API_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
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

  // Extractor plugins the installation's owner allows.
  /**
   * Folders (comma-separated) whose extractor plugins site rules may name; relative ones are
   * resolved against the working directory. Default: the repository's plugins/ folder.
   */
  PLUGIN_DIRS: z.string().default(join(projectRoot, 'plugins')).transform(list),
  /** npm packages (comma-separated names) that site rules may name as extractor plugins. Default: none. */
  PLUGIN_PACKAGES: z
    .string()
    .default('')
    .transform(list)
    .refine(
      (names) => names.every((name) => PACKAGE_NAME.test(name)),
      'must be npm package names, comma-separated',
    ),

  // Accounts and the HTTP surface.
  /** argon2id memory in KiB and passes: one hash takes about 80 ms on a 2-core machine (bench/auth.ts). */
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(8192).max(1_048_576).default(65_536),
  ARGON2_TIME_COST: z.coerce.number().int().min(1).max(20).default(3),
  /** A session ends after this many hours unused, and after SESSION_MAX_DAYS whatever happens. */
  SESSION_IDLE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 7),
  SESSION_MAX_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /**
   * An API instance keeps a verified session or token this long (ms; 0: off), at most this many,
   * so that a request costs no Postgres query to authenticate. Revocations, password, role and
   * permission changes reach every instance at once over Redis; the TTL bounds a lost message.
   */
  AUTH_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
  AUTH_CACHE_MAX_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(20_000),
  /**
   * Placing orders and paying, per API process: at most this many at once (each is dozens of
   * statements), at most COSTLY_WRITES_QUEUE more waiting, none waiting longer than
   * COSTLY_WRITES_MAX_WAIT_MS (then 503); the cheap requests of a rush go first. See
   * api/admission.ts.
   */
  COSTLY_WRITES_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(2),
  COSTLY_WRITES_QUEUE: z.coerce.number().int().min(0).max(100_000).default(1000),
  COSTLY_WRITES_MAX_WAIT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** While the process's event loop is in use more than this share (saturated), they wait up to COSTLY_WRITES_DEFER_MS for it to calm. */
  COSTLY_WRITES_BUSY_SHARE: z.coerce.number().min(0.05).max(1).default(0.85),
  COSTLY_WRITES_DEFER_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  /** Secure cookies (https only); default: on when PUBLIC_URL is https. */
  COOKIE_SECURE: booleanFlag.optional(),
  /** Proxies in front of the API whose X-Forwarded-For is believed (0: the socket's address is the client). */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** Host names the API answers to (comma-separated); default: HOST, PUBLIC_URL's host, localhost, 127.0.0.1, ::1. */
  ALLOWED_HOSTS: commaList.optional(),
  /** Origins allowed to call the API from a browser (CORS), comma-separated; default none. */
  CORS_ORIGINS: commaList.default([]),
  /** Bearer token Prometheus sends to scrape the API's /metrics; without it /metrics needs metrics:read. */
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /** Address the worker processes' /metrics servers listen on. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** Largest request body the API reads, in bytes (routes that take page HTML allow more). */
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(100_000_000).default(1_048_576),
  /** Postgres: how long to wait for a connection, and the longest a statement may run. */
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  /**
   * Connections each process keeps to Postgres. 200 shoppers checking out at once waited past
   * DB_CONNECT_TIMEOUT_MS for one of 10 (more than half answered 503); with 20, up to 40 did;
   * 30 served them all (bench/checkout.ts). Size it for the bursts expected, within
   * max_connections.
   */
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  /** Connections each process keeps for search's read-only queries (their own pool). */
  DB_SEARCH_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),

  // Shop defaults: the back office's settings (core/settings.ts) override these once saved.
  /** The shop's name in the header, page titles and e-mails. */
  SHOP_NAME: z.string().trim().min(1).max(60).default('Trawl'),
  /** The currency preselected for new products and in reports. */
  DEFAULT_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR')
    .default('EUR'),

  // Buying.
  /** A listing not seen by a crawl for longer than this cannot be bought. */
  LISTING_MAX_AGE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .default(24 * 7),
  /** An unpaid order cancels itself after this many minutes. */
  ORDER_PAYMENT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(30),
  /** A delivered order completes itself after this many days without a return request. */
  ORDER_COMPLETE_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  /**
   * Key (32 bytes, base64) that encrypts payment providers' secrets at rest. Without it a key is
   * derived for development and the API refuses to store real providers' keys.
   */
  PAYMENT_SECRETS_KEY: z
    .string()
    .refine(
      (v) => Buffer.from(v, 'base64').length === 32,
      'must be 32 bytes, base64-encoded (openssl rand -base64 32)',
    )
    .optional(),

  // Politeness floors: rules of users without politeness:override may not go below them.
  FLOOR_MIN_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(250),
  FLOOR_MAX_IN_FLIGHT_PER_HOST: z.coerce.number().int().min(1).max(64).default(4),
  FLOOR_SCHEDULE_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
  // Live run views (Server-Sent Events) open at once per API process; more are refused with 503.
  LIVE_MAX_STREAMS: z.coerce.number().int().min(1).max(100_000).default(500),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses `env`; a bad value throws one ConfigError line per variable that names the variable and the fix. */
export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  registerSecretsFromEnv(env);
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? 'environment');
    // Never the whole value: DATABASE_URL carries a password, METRICS_TOKEN is one.
    return `${name}=${displayValue(name, env[name])} is invalid: ${issue.message}`;
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
