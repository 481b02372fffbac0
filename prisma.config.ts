import { defineConfig } from 'prisma/config';

// The Prisma CLI does not read .env; the URL comes from the environment or the default.
export default defineConfig({
  schema: 'prisma/schema',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/trawl' },
});
