import { PrismaPg } from '@prisma/adapter-pg';
import { closeAtExit } from '../closers.ts';
import { config } from '../config.ts';
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

export async function closeDb(): Promise<void> {
  const current = client;
  client = undefined;
  await current?.$disconnect();
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
