/**
 * Writes the second development set from its page specs: `html/<page id>.html` and
 * `ground-truth.json`, in the product-pages dataset's layout (so `npm run eval:extraction`,
 * `trawl extract` and the benchmark read it alike).
 *
 *   node --import tsx crawler/extract/eval/devset/build.ts [--check]
 *
 * `--check` writes nothing and exits non-zero when the files on disk differ from the specs.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { truthOf } from './common.ts';
import { PAGES } from './pages.ts';
import { renderDevsetPage } from './render.ts';

export const DEVSET_DIR = fileURLToPath(new URL('.', import.meta.url));

/** The files of the set by path relative to DEVSET_DIR, as the specs make them. */
export function devsetFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const truth: Record<string, unknown> = {};
  for (const spec of PAGES) {
    files.set(join('html', `${spec.id}.html`), renderDevsetPage(spec));
    truth[spec.id] = truthOf(spec);
  }
  files.set('ground-truth.json', `${JSON.stringify(truth, null, 2)}\n`);
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = devsetFiles();
  if (process.argv.includes('--check')) {
    const stale = [...files].filter(([path, text]) => {
      const full = join(DEVSET_DIR, path);
      return !existsSync(full) || readFileSync(full, 'utf8') !== text;
    });
    for (const [path] of stale) process.stderr.write(`out of date: ${path}\n`);
    process.exit(stale.length > 0 ? 1 : 0);
  }
  const htmlDir = join(DEVSET_DIR, 'html');
  if (existsSync(htmlDir)) for (const file of readdirSync(htmlDir)) rmSync(join(htmlDir, file));
  mkdirSync(htmlDir, { recursive: true });
  for (const [path, text] of files) writeFileSync(join(DEVSET_DIR, path), text);
  process.stdout.write(`${PAGES.length} pages written to ${DEVSET_DIR}\n`);
}
