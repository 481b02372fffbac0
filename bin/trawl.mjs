#!/usr/bin/env -S node --max-semi-space-size=64
// The installed `trawl` command (npx trawl …, npm start). It runs the JavaScript that `npm ci`
// compiled into dist/ (scripts/build.mjs), unless a source file changed since: then, and when
// there is no dist/, it loads the TypeScript through tsx. The V8 flag is core/v8-flags.ts's.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const SOURCES = [
  'core',
  'catalog',
  'commerce',
  'crawler',
  'workers',
  'api',
  'dashboard',
  'bin',
  'demo',
  'plugins',
];

/** Whether dist/ was built after the last change to any source file. */
function fresh() {
  const stamp = fileURLToPath(new URL('dist/.built', root));
  if (process.env.TRAWL_TSX === '1' || !existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  const newer = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && newer(full)) return true;
      } else if (/\.tsx?$/.test(entry.name) && statSync(full).mtimeMs > built) {
        return true;
      }
    }
    return false;
  };
  return !SOURCES.some((dir) => {
    const full = fileURLToPath(new URL(dir, root));
    return existsSync(full) && newer(full);
  });
}

if (fresh()) {
  await import('../dist/bin/trawl.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./trawl.ts');
}
