// End-to-end check of the WebAssembly schema-engine stand-in: runs real Prisma CLI commands through
// scripts/prisma.mjs against a throw-away database on the local Postgres.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPrisma } from '../../scripts/prisma.mjs';

const SERVER_URL = process.env.ENGINE_TEST_SERVER_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const DB_NAME = `trawl_engine_test_${randomBytes(6).toString('hex')}`;
const DB_URL = `${SERVER_URL}/${DB_NAME}`;

const SCHEMA_V1 = `datasource db {
  provider = "postgresql"
}

model Widget {
  id   Int    @id @default(autoincrement())
  name String
}

model Gadget {
  id    Int    @id @default(autoincrement())
  label String @unique
}
`;

const SCHEMA_V2 = `${SCHEMA_V1}
model Note {
  id   Int    @id @default(autoincrement())
  body String
}
`;

const INIT_MIGRATION = `-- CreateTable
CREATE TABLE "Widget" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Widget_pkey" PRIMARY KEY ("id")
);
`;

let dir: string;
let admin: pg.Client;
let shadowDbsBefore: Set<string>;

async function query<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function tables(): Promise<string[]> {
  const rows = await query<{ tablename: string }>(
    DB_URL,
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
  );
  return rows.map((r) => r.tablename);
}

async function shadowDatabases(): Promise<Set<string>> {
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE 'prisma\\_migrate\\_shadow\\_db\\_%'`,
  );
  return new Set(rows.map((r) => r.datname));
}

async function prisma(...args: string[]) {
  const result = await runPrisma([...args, '--config', path.join(dir, 'prisma.config.ts')], {
    cwd: dir,
    env: { DATABASE_URL: DB_URL },
    quiet: true,
  });
  if (result.code !== 0) {
    throw new Error(
      `prisma ${args.join(' ')} exited with ${result.code}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

beforeAll(async () => {
  admin = new pg.Client({ connectionString: `${SERVER_URL}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${DB_NAME}"`);
  shadowDbsBefore = await shadowDatabases();

  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trawl-engine-test-'));
  fs.writeFileSync(path.join(dir, 'schema.prisma'), SCHEMA_V1);
  // A plain object: the temp dir cannot resolve `prisma/config`.
  fs.writeFileSync(
    path.join(dir, 'prisma.config.ts'),
    `export default {
  schema: ${JSON.stringify(path.join(dir, 'schema.prisma'))},
  migrations: { path: ${JSON.stringify(path.join(dir, 'migrations'))} },
  datasource: { url: process.env.DATABASE_URL },
};
`,
  );
  const init = path.join(dir, 'migrations', '20240101000000_init');
  fs.mkdirSync(init, { recursive: true });
  fs.writeFileSync(path.join(init, 'migration.sql'), INIT_MIGRATION);
  fs.writeFileSync(path.join(dir, 'migrations', 'migration_lock.toml'), 'provider = "postgresql"\n');
});

afterAll(async () => {
  if (admin) {
    await admin.query(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`);
    await admin.end();
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('schema engine stand-in (prisma/engine/schema-engine.mjs)', { timeout: 60_000 }, () => {
  it('migrate deploy applies the migrations folder', async () => {
    const { stdout } = await prisma('migrate', 'deploy');
    expect(stdout).toContain('20240101000000_init');
    expect(await tables()).toEqual(['Widget', '_prisma_migrations']);
    const applied = await query<{ migration_name: string }>(
      DB_URL,
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL',
    );
    expect(applied.map((r) => r.migration_name)).toEqual(['20240101000000_init']);
  });

  it('migrate diff --from-empty --to-schema prints the SQL script', async () => {
    const { stdout } = await prisma(
      'migrate',
      'diff',
      '--from-empty',
      '--to-schema',
      path.join(dir, 'schema.prisma'),
      '--script',
    );
    expect(stdout).toContain('CREATE TABLE "Widget"');
    expect(stdout).toContain('CREATE TABLE "Gadget"');
    expect(stdout).toContain('CREATE UNIQUE INDEX "Gadget_label_key"');
  });

  it('migrate dev --create-only writes a new migration using a shadow database', async () => {
    await prisma('migrate', 'dev', '--create-only', '--name', 'x');
    const created = fs.readdirSync(path.join(dir, 'migrations')).filter((d) => d.endsWith('_x'));
    expect(created).toHaveLength(1);
    const sql = fs.readFileSync(path.join(dir, 'migrations', created[0] as string, 'migration.sql'), 'utf8');
    expect(sql).toContain('CREATE TABLE "Gadget"');
    expect(sql).not.toContain('CREATE TABLE "Widget"');
    // --create-only does not apply it
    expect(await tables()).toEqual(['Widget', '_prisma_migrations']);

    await prisma('migrate', 'deploy');
    expect(await tables()).toEqual(['Gadget', 'Widget', '_prisma_migrations']);
  });

  it('db push syncs schema changes without a migration', async () => {
    fs.writeFileSync(path.join(dir, 'schema.prisma'), SCHEMA_V2);
    const { stdout } = await prisma('db', 'push');
    expect(stdout).toContain('in sync');
    expect(await tables()).toEqual(['Gadget', 'Note', 'Widget', '_prisma_migrations']);
  });

  it('migrate status reports the database up to date', async () => {
    const { stdout } = await prisma('migrate', 'status');
    expect(stdout).toContain('2 migrations found');
    expect(stdout).toContain('Database schema is up to date!');
  });

  it('leaves no shadow databases behind', async () => {
    const leftovers = [...(await shadowDatabases())].filter((d) => !shadowDbsBefore.has(d));
    expect(leftovers).toEqual([]);
  });
});
