import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's root folder (where package.json and prisma/ are), found by walking up from
 * this file: the same answer when it runs as TypeScript (core/) or compiled (dist/core/).
 */
function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'trawl')
      return dir;
    if (dirname(dir) === dir) throw new Error(`no trawl package.json above ${start}`);
  }
}

export const projectRoot = findRoot(dirname(fileURLToPath(import.meta.url)));
