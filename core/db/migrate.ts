import { fileURLToPath } from 'node:url';
import { runPrisma } from '../../scripts/prisma.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Applies pending migrations (prisma migrate deploy) to the database at `url`. */
export async function migrateDatabase(url: string): Promise<void> {
  const result = await runPrisma(['migrate', 'deploy'], {
    env: { ...process.env, DATABASE_URL: url },
    cwd: root,
    quiet: true,
  });
  if (result.code !== 0) {
    throw new Error(`prisma migrate deploy failed:\n${(result.stderr || result.stdout).trim()}`);
  }
}
