// Compiles the TypeScript the processes run (CLI, API, workers) to dist/, so a start does not
// compile anything: run by `npm ci` (postinstall) and `npm run build`. bin/trawl.mjs uses dist/
// only while it is newer than every source file, so an edit is never run stale.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
let tsc;
try {
  tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
} catch {
  process.stderr.write(
    'trawl: TypeScript is not installed (npm ci --omit=dev?): commands run through tsx.\n',
  );
  process.exit(0);
}
rmSync(path.join(root, 'dist'), { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});
// Type errors still emit JavaScript (npm run typecheck is where they fail); only no output at all
// leaves the commands on tsx. An install never fails here.
if (!existsSync(path.join(root, 'dist', 'bin', 'trawl.js'))) {
  process.stderr.write(
    'trawl: compiling to dist/ failed; commands run through tsx until `npm run build` succeeds.\n',
  );
  rmSync(path.join(root, 'dist'), { recursive: true, force: true });
} else {
  if (result.status !== 0) process.stderr.write('trawl: dist/ was built despite type errors (see above).\n');
  writeFileSync(path.join(root, 'dist', '.built'), `${new Date().toISOString()}\n`);
}
