#!/usr/bin/env node
// Run the project's Prisma CLI. When the native schema-engine binary is missing (it is downloaded
// from binaries.prisma.sh at install time, which may be unreachable), point the CLI at the
// WebAssembly stand-in in prisma/engine/schema-engine.mjs.
//
//   node scripts/prisma.mjs migrate deploy
//   import { runPrisma } from './scripts/prisma.mjs'; await runPrisma(['migrate', 'status'], { quiet: true });

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Path of the WebAssembly schema-engine stand-in. */
export const STAND_IN_ENGINE = path.resolve(here, '../prisma/engine/schema-engine.mjs');

/** Path of the Prisma CLI entry point of this project. */
export function prismaCliPath() {
  return path.join(path.dirname(require.resolve('prisma/package.json')), 'build', 'index.js');
}

async function binaryTarget() {
  try {
    const prismaRequire = createRequire(require.resolve('prisma/package.json'));
    const getPlatform = prismaRequire('@prisma/get-platform');
    return await getPlatform.getBinaryTargetForCurrentPlatform();
  } catch {
    return null;
  }
}

/**
 * Locate the native schema engine where the Prisma CLI looks for it (@prisma/engines, the prisma
 * package, node_modules, prisma/runtime). Returns null when there is none.
 */
export async function findNativeSchemaEngine() {
  const prismaDir = path.dirname(require.resolve('prisma/package.json'));
  const dirs = [];
  try {
    const enginesPkg = createRequire(path.join(prismaDir, 'package.json')).resolve(
      '@prisma/engines/package.json',
    );
    dirs.push(path.dirname(enginesPkg));
  } catch {
    // @prisma/engines not installed
  }
  dirs.push(prismaDir, path.dirname(prismaDir), path.join(prismaDir, 'runtime'));

  const target = await binaryTarget();
  const wanted = target ? [`schema-engine-${target}${target === 'windows' ? '.exe' : ''}`] : null;
  for (const dir of dirs) {
    let names;
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const match = wanted
        ? wanted.includes(name)
        : /^schema-engine-[\w.-]+?(\.exe)?$/.test(name) && !/\.(gz|sha256|sig)$/.test(name);
      if (!match) continue;
      const file = path.join(dir, name);
      try {
        if (fs.statSync(file).isFile()) return file;
      } catch {
        // dangling link
      }
    }
  }
  return null;
}

/** Environment for the Prisma CLI: adds PRISMA_SCHEMA_ENGINE_BINARY only when needed. */
export async function prismaEnv(baseEnv = process.env) {
  const env = { ...baseEnv };
  if (env.PRISMA_SCHEMA_ENGINE_BINARY || env.PRISMA_MIGRATION_ENGINE_BINARY) return env;
  if (await findNativeSchemaEngine()) return env;
  env.PRISMA_SCHEMA_ENGINE_BINARY = STAND_IN_ENGINE;
  try {
    fs.accessSync(STAND_IN_ENGINE, fs.constants.X_OK);
  } catch {
    fs.chmodSync(STAND_IN_ENGINE, 0o755); // lost its executable bit (e.g. copied without modes)
  }
  // The stand-in starts with `#!/usr/bin/env node`: make sure this node is the one found.
  const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  const nodeDir = path.dirname(process.execPath);
  const parts = (env[pathKey] ?? '').split(path.delimiter);
  if (!parts.includes(nodeDir)) env[pathKey] = [nodeDir, ...parts.filter(Boolean)].join(path.delimiter);
  return env;
}

/**
 * Run the Prisma CLI with `args`. `env` is merged over process.env; `cwd` defaults to the current
 * directory. Output is captured and, unless `quiet`, also forwarded to this process's stdout/stderr.
 * Resolves (never rejects on a non-zero exit) with the exit code and the captured output.
 */
export async function runPrisma(args, { env, quiet = false, cwd, input } = {}) {
  const childEnv = await prismaEnv({ ...process.env, ...env });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCliPath(), ...args], {
      cwd: cwd ?? process.cwd(),
      env: childEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (!quiet) process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (!quiet) process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

async function main() {
  const env = await prismaEnv();
  const child = spawn(process.execPath, [prismaCliPath(), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env,
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => child.kill(sig));
  }
  child.on('error', (e) => {
    console.error(e);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    process.exit(signal ? 128 + (os.constants.signals[signal] ?? 0) : (code ?? 1));
  });
}

const isMain = (() => {
  try {
    return process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
})();
if (isMain) await main();
