import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { closeAtExit } from '../closers.ts';
import { config } from '../config.ts';
import { logger } from '../logger.ts';
import { PrismaClient } from './generated/client.ts';

let client: PrismaClient | undefined;

/**
 * The process's Prisma client (driver adapter, no engine binary). Connecting gives up after
 * DB_CONNECT_TIMEOUT_MS and a statement after DB_STATEMENT_TIMEOUT_MS, so an unreachable or
 * stuck Postgres turns into an error a request can answer with, not a hang.
 */
export function db(): PrismaClient {
  const settings = config();
  client ??= new PrismaClient({
    // Under a burst, a transaction waits for a pooled connection rather than failing after 2 s.
    transactionOptions: { maxWait: settings.DB_CONNECT_TIMEOUT_MS, timeout: 15_000 },
    adapter: new PrismaPg({
      connectionString: settings.DATABASE_URL,
      max: settings.DB_POOL_SIZE,
      connectionTimeoutMillis: settings.DB_CONNECT_TIMEOUT_MS,
      ...(settings.DB_STATEMENT_TIMEOUT_MS > 0
        ? { statement_timeout: settings.DB_STATEMENT_TIMEOUT_MS }
        : {}),
    }),
  });
  return client;
}

let reads: pg.Pool | undefined;

/**
 * A plain pg pool for search's read-only queries, which need neither Prisma's typing nor its
 * per-query cost, with sequential scans off: a search query caps its matches with LIMIT, and the
 * planner then expects a sequential scan to meet them early, as if matches were spread evenly
 * through the table. They are not (a shop's products are written together), and such a scan read
 * 46,000 rows to find 2,000 where the text index reads the matches only. Same timeouts as db().
 */
export function searchPool(): pg.Pool {
  if (!reads) {
    const settings = config();
    reads = new pg.Pool({
      connectionString: settings.DATABASE_URL,
      max: settings.DB_SEARCH_POOL_SIZE,
      connectionTimeoutMillis: settings.DB_CONNECT_TIMEOUT_MS,
      // JIT too: a disabled scan's cost puts any plan that keeps one past jit_above_cost, and
      // compiling it took 90 ms for a query that runs in 0.1.
      options: '-c enable_seqscan=off -c jit=off',
      // Searches come in bursts: a connection closed after pg's default 10 idle seconds costs
      // Postgres a new backend (several ms of CPU) at the next burst.
      idleTimeoutMillis: 120_000,
      ...(settings.DB_STATEMENT_TIMEOUT_MS > 0
        ? { statement_timeout: settings.DB_STATEMENT_TIMEOUT_MS }
        : {}),
    });
    // An idle connection Postgres dropped is replaced on the next query; it must not crash us.
    reads.on('error', (error) => logger().warn({ err: error }, 'an idle search connection failed'));
  }
  return reads;
}

export async function closeDb(): Promise<void> {
  const current = client;
  const pool = reads;
  client = undefined;
  reads = undefined;
  await Promise.all([current?.$disconnect(), pool?.end()]);
}
closeAtExit('db', closeDb);

/**
 * True for the errors Prisma and pg raise when Postgres cannot be reached or a connection
 * cannot be had in time: the request should answer 503.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (
      typeof code === 'string' &&
      ['P1001', 'P1002', 'P1017', 'P2024', 'ECONNREFUSED', 'ETIMEDOUT', '57P01', '57P03'].includes(code)
    )
      return true;
    if (
      /ECONNREFUSED|Can't reach database|connection timeout|Connection terminated|timeout exceeded when trying to connect/i.test(
        e.message,
      )
    )
      return true;
  }
  return false;
}
