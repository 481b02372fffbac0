#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, built on the WebAssembly build of the same
// engine (@prisma/schema-engine-wasm) plus a Postgres driver adapter (@prisma/adapter-pg).
//
// The Prisma CLI starts whatever PRISMA_SCHEMA_ENGINE_BINARY names in one of two ways:
//   schema-engine [--datamodels <file>]... [--datasource <json>] [...]     JSON-RPC 2.0 over stdio
//   schema-engine --datasource <json> cli <can-connect-to-database|create-database|drop-database>
//   schema-engine --version
// stdout carries protocol bytes only; logs go to stderr as JSON lines (the format the CLI parses).
// Only PostgreSQL URLs are supported.

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

// Stray Node warnings on stderr would break the CLI's parsing of `cli` mode output.
process.emitWarning = () => {};

// ---------------------------------------------------------------------------------------------
// Logging (stderr, JSON lines like the native engine's tracing output)

function logLine(level, message, fields = {}, target = 'schema_engine_wasm_shim') {
  try {
    process.stderr.write(
      `${JSON.stringify({ timestamp: new Date().toISOString(), level, fields: { message, ...fields }, target })}\n`,
    );
  } catch {
    // stderr closed: nothing useful left to do
  }
}

// ---------------------------------------------------------------------------------------------
// Arguments

function parseArgs(argv) {
  const out = { datamodels: [], datasource: null, cli: null, version: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--datamodels' || a === '-d') out.datamodels.push(argv[++i]);
    else if (a === '--datasource') out.datasource = JSON.parse(argv[++i]);
    else if (a === '--enabled-preview-features' || a === '--extension-types') i++;
    else if (a === '--version' || a === '-V') out.version = true;
    else if (a === 'cli') {
      out.cli = argv.slice(i + 1);
      break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Connection strings

const DEFAULT_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

function parsePgUrl(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    throw userError('P1013', 'The provided database string is invalid. It is not a valid URL.');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw userError(
      'P1013',
      `The provided database string is invalid. This schema engine stand-in only supports postgres:// and postgresql:// URLs, got \`${u.protocol}\`.`,
    );
  }
  return u;
}

function databaseOf(url) {
  return decodeURIComponent(parsePgUrl(url).pathname.replace(/^\//, '')) || 'postgres';
}

function withDatabase(url, database) {
  const u = parsePgUrl(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

function hostOf(url) {
  const u = parsePgUrl(url);
  return `${u.hostname || 'localhost'}:${u.port || 5432}`;
}

/** pg pool config + Postgres schema for a Prisma-style URL (`?schema=` is Prisma's, not libpq's). */
function pgConfig(url, extra = {}) {
  const u = parsePgUrl(url);
  const schema = u.searchParams.get('schema') || undefined;
  u.searchParams.delete('schema');
  const config = { connectionString: u.toString(), ...extra };
  if (schema) config.options = `-c search_path="${schema.replaceAll('"', '""')}"`;
  return { config, schema };
}

function quoteIdent(name) {
  return `"${String(name).replaceAll('"', '""')}"`;
}

// ---------------------------------------------------------------------------------------------
// Errors

function userError(code, message, meta) {
  const e = new Error(message);
  e.code = code;
  if (meta) e.meta = meta;
  return e;
}

/** Map a pg connection-level error onto the Prisma error codes the CLI knows. */
function connectionError(e, url) {
  if (e && typeof e.code === 'string' && /^P\d{4}$/.test(e.code)) return e;
  const host = (() => {
    try {
      return hostOf(url);
    } catch {
      return 'unknown';
    }
  })();
  const db = (() => {
    try {
      return databaseOf(url);
    } catch {
      return 'unknown';
    }
  })();
  const code = e?.code;
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNRESET'].includes(code)) {
    return userError(
      'P1001',
      `Can't reach database server at \`${host}\`\n\nPlease make sure your database server is running at \`${host}\`.`,
    );
  }
  if (code === '3D000') {
    return userError('P1003', `Database \`${db}\` does not exist on the database server at \`${host}\`.`, {
      database_name: db,
    });
  }
  if (code === '28P01' || code === '28000') {
    const user = (() => {
      try {
        return decodeURIComponent(parsePgUrl(url).username) || 'postgres';
      } catch {
        return 'unknown';
      }
    })();
    return userError(
      'P1000',
      `Authentication failed against database server, the provided database credentials for \`${user}\` are not valid.\n\nPlease make sure to provide valid database credentials for the database server at the configured address.`,
    );
  }
  if (code === '42P04') {
    return userError('P1009', `Database \`${db}\` already exists on the database server at \`${host}\``);
  }
  return e instanceof Error ? e : new Error(String(e));
}

/** Drop the span trace the wasm engine appends to its error messages. */
function cleanMessage(message) {
  const lines = String(message ?? '').split('\n');
  const idx = lines.findIndex((l) => /^\s+\d+: \S/.test(l));
  return (idx === -1 ? lines : lines.slice(0, idx)).join('\n').trimEnd();
}

function isPanic(e) {
  return e instanceof WebAssembly.RuntimeError || /panicked at/.test(String(e?.message ?? ''));
}

function rpcError(e) {
  const message = cleanMessage(e?.message ?? String(e));
  const panic = isPanic(e);
  return {
    code: 4466,
    message: panic ? message : 'An error happened. Check the data field for details.',
    data: {
      is_panic: panic,
      message,
      backtrace: panic ? (e?.stack ?? null) : null,
      meta: e?.meta ?? null,
      error_code: typeof e?.code === 'string' && /^P\d{4}$/.test(e.code) ? e.code : null,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Small pg helpers (admin work the wasm engine can't do: create/drop databases, raw scripts)

async function withClient(url, fn) {
  const { config } = pgConfig(url);
  const client = new pg.Client(config);
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => {});
    throw connectionError(e, url);
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Run `fn` on a connection to the server of `url`, preferring its database, then the maintenance DBs. */
async function withAdminClient(url, fn) {
  let lastError;
  for (const db of [databaseOf(url), 'postgres', 'template1']) {
    try {
      return await withClient(withDatabase(url, db), fn);
    } catch (e) {
      lastError = e;
      if (e?.code !== 'P1003') throw e;
    }
  }
  throw lastError;
}

async function createDatabase(url) {
  const name = databaseOf(url);
  await withAdminClient(withDatabase(url, 'postgres'), async (c) => {
    try {
      await c.query(`CREATE DATABASE ${quoteIdent(name)}`);
    } catch (e) {
      throw connectionError(e, url);
    }
  });
  return name;
}

async function dropDatabase(url, name = databaseOf(url)) {
  await withAdminClient(withDatabase(url, 'postgres'), async (c) => {
    try {
      await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    } catch (e) {
      // WITH (FORCE) needs Postgres 13+
      if (e?.code !== '42601') throw e;
      await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
    }
  });
}

async function canConnect(url) {
  await withClient(url, (c) => c.query('SELECT 1'));
}

// ---------------------------------------------------------------------------------------------
// Driver adapter: PrismaPg, patched for what the schema engine needs.

// Column type oids adapter-pg 7.10 maps (anything else below 16384 is rejected as unsupported).
const SUPPORTED_OIDS = new Set([
  16, 17, 19, 20, 21, 23, 25, 26, 114, 142, 700, 701, 790, 650, 869, 1042, 1043, 1082, 1083, 1114, 1184, 1266,
  1560, 1562, 1700, 2950, 3802, 1000, 1001, 1002, 1005, 1007, 1009, 1014, 1015, 1016, 1021, 1022, 1028, 1041,
  1115, 1182, 1183, 1185, 1231, 143, 199, 3807, 651, 1561, 1563, 2951,
]);
const TEXT_OID = 25;
const TEXT_ARRAY_OID = 1009;

/**
 * Introspection queries return Postgres-internal types adapter-pg can't decode (notably `"char"`,
 * oid 18, e.g. pg_class.relkind). pg hands them over as strings, so report them as text.
 */
function normalizeResult(result) {
  if (!result?.fields) return result;
  result.fields.forEach((field, i) => {
    const oid = field.dataTypeID;
    if (oid >= 16384 || SUPPORTED_OIDS.has(oid)) return;
    const isArray = result.rows.length > 0 && result.rows.every((r) => r[i] === null || Array.isArray(r[i]));
    field.dataTypeID = isArray ? TEXT_ARRAY_OID : TEXT_OID;
    for (const row of result.rows) {
      const v = row[i];
      if (v === null || v === undefined) continue;
      if (isArray) row[i] = v.map((x) => (x === null || typeof x === 'string' ? x : String(x)));
      else if (typeof v !== 'string') row[i] = typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
  });
  return result;
}

function patchQueryable(q) {
  const performIO = q.performIO.bind(q);
  q.performIO = async (query) => normalizeResult(await performIO(query));
  return q;
}

function patchAdapter(adapter, onDispose) {
  patchQueryable(adapter);
  // adapter-pg splits scripts on every ';' (breaks string literals / function bodies). Send the
  // script as one simple-protocol query instead, as the native engine does.
  adapter.executeScript = async (script) => {
    try {
      await adapter.client.query(script);
    } catch (e) {
      adapter.onError(e);
    }
  };
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (...args) => patchQueryable(await startTransaction(...args));
  if (onDispose) {
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await onDispose();
    };
  }
  return adapter;
}

async function connectAdapter(url, onDispose) {
  const { config, schema } = pgConfig(url, { max: 1 });
  // One connection per database: the engine takes a session-level advisory lock it never releases.
  const factory = new PrismaPg(config, schema ? { schema } : undefined);
  return patchAdapter(await factory.connect(), onDispose);
}

const shadowDatabases = new Map(); // name -> url of the main database

async function resetDatabase(url) {
  await withClient(url, async (c) => {
    const { rows } = await c.query(
      `SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'`,
    );
    for (const { nspname } of rows) await c.query(`DROP SCHEMA ${quoteIdent(nspname)} CASCADE`);
    await c.query('CREATE SCHEMA IF NOT EXISTS "public"');
  });
}

function makeAdapterFactory(mainUrl, shadowUrl) {
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => connectAdapter(mainUrl),
    async connectToShadowDb() {
      if (shadowUrl) {
        await resetDatabase(shadowUrl);
        return connectAdapter(shadowUrl);
      }
      // adapter-pg's own shadow DB ignores the database when given a connectionString and drops it
      // while its pool is still open, so create and clean up a uniquely named database here.
      const name = `prisma_migrate_shadow_db_${randomUUID()}`;
      await withAdminClient(mainUrl, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
      shadowDatabases.set(name, mainUrl);
      const { searchParams } = parsePgUrl(mainUrl);
      const url = new URL(withDatabase(mainUrl, name));
      url.search = searchParams.toString();
      return connectAdapter(url.toString(), async () => {
        await dropDatabase(mainUrl, name);
        shadowDatabases.delete(name);
      });
    },
  };
}

// Result-wrapping binder the engine expects (same contract as @prisma/driver-adapter-utils).
class ErrorRegistry {
  registeredErrors = [];
  consumeError(id) {
    const e = this.registeredErrors[id];
    delete this.registeredErrors[id];
    return e;
  }
  registerNewError(error) {
    let i = 0;
    while (this.registeredErrors[i] !== undefined) i++;
    this.registeredErrors[i] = { error };
    return i;
  }
}

function wrap(registry, fn) {
  return async (...args) => {
    try {
      return { ok: true, value: await fn(...args) };
    } catch (error) {
      if (error?.name === 'DriverAdapterError' && typeof error.cause === 'object') {
        return { ok: false, error: error.cause };
      }
      return { ok: false, error: { kind: 'GenericJs', id: registry.registerNewError(error) } };
    }
  };
}

function bindTransaction(registry, tx) {
  const bound = {
    adapterName: tx.adapterName,
    provider: tx.provider,
    options: tx.options,
    queryRaw: wrap(registry, tx.queryRaw.bind(tx)),
    executeRaw: wrap(registry, tx.executeRaw.bind(tx)),
    commit: wrap(registry, tx.commit.bind(tx)),
    rollback: wrap(registry, tx.rollback.bind(tx)),
  };
  for (const m of ['createSavepoint', 'rollbackToSavepoint', 'releaseSavepoint']) {
    if (tx[m]) bound[m] = wrap(registry, tx[m].bind(tx));
  }
  return bound;
}

function bindAdapter(registry, adapter) {
  const bound = {
    adapterName: adapter.adapterName,
    provider: adapter.provider,
    errorRegistry: registry,
    queryRaw: wrap(registry, adapter.queryRaw.bind(adapter)),
    executeRaw: wrap(registry, adapter.executeRaw.bind(adapter)),
    executeScript: wrap(registry, adapter.executeScript.bind(adapter)),
    dispose: wrap(registry, adapter.dispose.bind(adapter)),
    startTransaction: async (...args) => {
      const r = await wrap(registry, adapter.startTransaction.bind(adapter))(...args);
      return r.ok ? { ok: true, value: bindTransaction(registry, r.value) } : r;
    },
  };
  if (adapter.getConnectionInfo) {
    bound.getConnectionInfo = (...args) => {
      try {
        return { ok: true, value: adapter.getConnectionInfo(...args) };
      } catch (error) {
        return { ok: false, error: { kind: 'GenericJs', id: registry.registerNewError(error) } };
      }
    };
  }
  return bound;
}

function bindFactory(factory) {
  const registry = new ErrorRegistry();
  const bindConnect = (fn) => async () => {
    const r = await wrap(registry, fn)();
    return r.ok ? { ok: true, value: bindAdapter(registry, r.value) } : r;
  };
  return {
    adapterName: factory.adapterName,
    provider: factory.provider,
    errorRegistry: registry,
    connect: bindConnect(factory.connect),
    connectToShadowDb: bindConnect(factory.connectToShadowDb),
  };
}

// ---------------------------------------------------------------------------------------------
// The wasm engine

let wasmGlue;
async function loadWasm() {
  if (wasmGlue) return wasmGlue;
  const glueUrl = import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const gluePath = fileURLToPath(glueUrl);
  const glue = await import(glueUrl);
  const bytes = fs.readFileSync(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm'));
  const module = await WebAssembly.compile(bytes);
  const imports = {};
  for (const { module: name } of WebAssembly.Module.imports(module)) imports[name] = glue;
  const instance = await WebAssembly.instantiate(module, imports);
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
  wasmGlue = glue;
  return glue;
}

function urlFromDatasourceParam(param, fallback) {
  if (param?.tag === 'ConnectionString' && param.url) return param.url;
  return fallback;
}

// ---------------------------------------------------------------------------------------------
// JSON-RPC server

async function serve(args) {
  const mainUrl = args.datasource?.url || process.env.DATABASE_URL || DEFAULT_URL;
  const shadowUrl = args.datasource?.shadowDatabaseUrl || undefined;
  const datamodels = args.datamodels.map((p) => [p, fs.readFileSync(p, 'utf8')]);

  let enginePromise;
  const getEngine = () => {
    enginePromise ??= (async () => {
      parsePgUrl(mainUrl);
      const glue = await loadWasm();
      const onLog = (line) => {
        const s = String(line).trim();
        if (s) process.stderr.write(`${s}\n`);
      };
      return glue.SchemaEngine.new(
        { datamodels: datamodels.length ? datamodels : undefined },
        onLog,
        bindFactory(makeAdapterFactory(mainUrl, shadowUrl)),
      );
    })();
    return enginePromise;
  };

  const send = (msg) => process.stdout.write(`${JSON.stringify(msg)}\n`);

  // Requests we send to the CLI (the `print` method), keyed by id.
  const pending = new Map();
  let nextId = 1;
  const printToCli = (content) =>
    new Promise((resolve) => {
      const id = `se-print-${nextId++}`;
      pending.set(id, resolve);
      send({ jsonrpc: '2.0', id, method: 'print', params: { content } });
    });

  const callEngine = (method) => async (params) => (await getEngine())[method](params ?? {});

  // The wasm engine only hands its shadow-database factory to the connector in some commands
  // (diagnoseMigrationHistory/devDiagnostic); createMigration, evaluateDataLoss and diffs from
  // migrations fail with this error when they come first or right after migrations were applied.
  // Priming with diagnoseMigrationHistory (read-only) and retrying works around it.
  const callWithShadow = (method, migrationsListOf) => async (params) => {
    const engine = await getEngine();
    try {
      return await engine[method](params ?? {});
    } catch (e) {
      const migrationsList = migrationsListOf(params ?? {});
      if (!/shadow DB must be provided through an external factory/.test(e?.message ?? '') || !migrationsList)
        throw e;
      logLine('INFO', `Retrying ${method} after priming the shadow database connector`);
      await engine.diagnoseMigrationHistory({
        migrationsList,
        optInToShadowDatabase: true,
        filters: params?.filters ?? { externalTables: [], externalEnums: [] },
      });
      return engine[method](params ?? {});
    }
  };
  const diffMigrationsList = (p) => {
    const target = [p.from, p.to].find((t) => t?.tag === 'migrations');
    if (!target) return null;
    const { tag, ...migrationsList } = target;
    return migrationsList;
  };

  const handlers = {
    async applyMigrations(params) {
      try {
        return await (await getEngine()).applyMigrations(params);
      } catch (e) {
        // Give the failure the shape (P3018 + migration name) the native engine reports.
        const raw = String(e?.message ?? e);
        const name = /migration_name="([^"]+)"/.exec(raw)?.[1];
        if (!name || isPanic(e) || e?.code) throw e;
        const dbError = cleanMessage(raw).replace(/^external connector error\n/, '');
        throw userError(
          'P3018',
          `A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\nMigration name: ${name}\n\nDatabase error:\n${dbError}`,
          { migration_name: name, database_error: dbError },
        );
      }
    },
    createMigration: callWithShadow('createMigration', (p) => p.migrationsList),
    devDiagnostic: callEngine('devDiagnostic'),
    diagnoseMigrationHistory: callEngine('diagnoseMigrationHistory'),
    evaluateDataLoss: callWithShadow('evaluateDataLoss', (p) => p.migrationsList),
    markMigrationApplied: callEngine('markMigrationApplied'),
    markMigrationRolledBack: callEngine('markMigrationRolledBack'),
    schemaPush: callEngine('schemaPush'),
    introspect: callEngine('introspect'),
    introspectSql: callEngine('introspectSql'),
    async reset(params) {
      await (await getEngine()).reset(params ?? { filter: { externalTables: [], externalEnums: [] } });
      return {};
    },
    async ensureConnectionValidity(params) {
      const url = urlFromDatasourceParam(params?.datasource, mainUrl);
      try {
        await canConnect(url);
      } catch (e) {
        throw connectionError(e, url);
      }
      return {};
    },
    async diff(params) {
      const result = await callWithShadow('diff', diffMigrationsList)(params);
      // The native engine prints the diff through the CLI's `print` method; the CLI prints nothing itself.
      if (typeof result?.stdout === 'string' && result.stdout.length > 0) {
        await printToCli(result.stdout.replace(/\n$/, ''));
      }
      return { exitCode: result?.exitCode ?? 0, stdout: null };
    },
    async getDatabaseVersion(params) {
      return (await getEngine()).version(params ?? null);
    },
    async version() {
      return (await loadWasm()).version();
    },
    async createDatabase(params) {
      const url = urlFromDatasourceParam(params?.datasource, mainUrl);
      return { databaseName: await createDatabase(url) };
    },
    async dbExecute(params) {
      const target = params?.datasourceType;
      const url = target?.tag === 'url' && target.url ? target.url : mainUrl;
      await withClient(url, async (c) => {
        try {
          await c.query(params.script);
        } catch (e) {
          throw userError('P1014', `${e.message}${e.code ? `\nDatabase error code: ${e.code}` : ''}`);
        }
      });
      return {};
    },
    async debugPanic() {
      (await getEngine()).debugPanic();
    },
  };

  let queue = Promise.resolve();
  let fatal = false;
  const handle = async (msg) => {
    const { id, method, params } = msg;
    const handler = Object.hasOwn(handlers, method) ? handlers[method] : null;
    if (!handler) {
      if (id !== undefined)
        send({ jsonrpc: '2.0', id, error: { code: -32601, message: `Method not found: ${method}` } });
      return;
    }
    try {
      const result = await handler(params);
      if (id !== undefined) send({ jsonrpc: '2.0', id, result: result ?? {} });
    } catch (e) {
      const error = rpcError(e);
      logLine('ERROR', error.data.message, {
        error_code: error.data.error_code,
        is_panic: error.data.is_panic,
      });
      if (id !== undefined) send({ jsonrpc: '2.0', id, error });
      if (error.data.is_panic) fatal = true;
    }
  };

  const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  rl.on('line', (line) => {
    if (!line.trim()) return;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      send({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
      return;
    }
    // Responses to our own `print` requests.
    if (msg.method === undefined && pending.has(msg.id)) {
      pending.get(msg.id)();
      pending.delete(msg.id);
      return;
    }
    if (typeof msg.method !== 'string') return;
    queue = queue.then(() => handle(msg));
    queue.then(() => {
      if (fatal) shutdown(101);
    });
  });
  rl.on('close', () => {
    queue.then(() => shutdown(0));
  });
}

let shuttingDown = false;
async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  // Drop shadow databases the engine did not dispose of (e.g. after an error).
  for (const [name, url] of shadowDatabases) {
    await dropDatabase(url, name).catch((e) =>
      logLine('WARN', `Could not drop shadow database ${name}: ${e.message}`),
    );
  }
  const flush = (stream) =>
    new Promise((resolve) => (stream.writableLength ? stream.write('', resolve) : resolve()));
  await flush(process.stdout);
  await flush(process.stderr);
  process.exit(code);
}

// ---------------------------------------------------------------------------------------------
// `cli` sub-commands (used by the Prisma CLI to check for / create the database)

async function runCliCommand(args) {
  const url = args.datasource?.url || process.env.DATABASE_URL || DEFAULT_URL;
  const [command] = args.cli;
  // The CLI ignores the first stderr line and parses the rest as JSON.
  logLine('INFO', `Starting schema engine CLI command ${command}`);
  try {
    switch (command) {
      case 'can-connect-to-database':
        await canConnect(url).catch((e) => {
          throw connectionError(e, url);
        });
        break;
      case 'create-database':
        process.stdout.write(`Database '${await createDatabase(url)}' was successfully created.\n`);
        break;
      case 'drop-database':
        await dropDatabase(url);
        process.stdout.write(`The database '${databaseOf(url)}' was successfully dropped.\n`);
        break;
      default:
        throw new Error(`Unknown schema engine cli command: ${command}`);
    }
    return 0;
  } catch (e) {
    const fields = { is_panic: false, message: cleanMessage(e?.message ?? String(e)) };
    if (typeof e?.code === 'string' && /^P\d{4}$/.test(e.code)) fields.error_code = e.code;
    process.stderr.write(
      `${JSON.stringify({ timestamp: new Date().toISOString(), level: 'ERROR', fields, target: 'schema_engine::logger' })}\n`,
    );
    return 1;
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.version) {
    const glue = await loadWasm();
    process.stdout.write(`schema-engine-cli ${glue.version()} (wasm)\n`);
    return;
  }
  if (args.cli) {
    process.exitCode = await runCliCommand(args);
    return;
  }
  process.on('unhandledRejection', (e) => logLine('ERROR', `Unhandled rejection: ${e?.stack ?? e}`));
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => shutdown(130));
  await serve(args);
}

main().catch((e) => {
  logLine('ERROR', cleanMessage(e?.message ?? String(e)), { is_panic: false });
  process.exit(1);
});
