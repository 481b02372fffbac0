import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../root.ts';

// Found from the repository root, so this works from core/ (TypeScript) and dist/core/ (compiled).
const root = projectRoot;

/** Applies pending migrations (prisma migrate deploy) to the database at `url`. */
export async function migrateDatabase(url: string): Promise<void> {
  const { runPrisma } = (await import(
    pathToFileURL(join(root, 'scripts', 'prisma.mjs')).href
  )) as typeof import('../../scripts/prisma.mjs');
  const result = await runPrisma(['migrate', 'deploy'], {
    env: { ...process.env, DATABASE_URL: url },
    cwd: root,
    quiet: true,
  });
  if (result.code !== 0) {
    throw new Error(`prisma migrate deploy failed:\n${(result.stderr || result.stdout).trim()}`);
  }
}
