import { PrismaPg } from '@prisma/adapter-pg';
import { config } from '../config.ts';
import { PrismaClient } from './generated/client.ts';

let client: PrismaClient | undefined;

/** The process's Prisma client (driver adapter, no engine binary). */
export function db(): PrismaClient {
  client ??= new PrismaClient({
    adapter: new PrismaPg({ connectionString: config().DATABASE_URL, max: 10 }),
  });
  return client;
}

export async function closeDb(): Promise<void> {
  const current = client;
  client = undefined;
  await current?.$disconnect();
}
