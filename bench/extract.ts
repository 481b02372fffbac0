/**
 * Extraction throughput on the product-pages dataset: pages are decompressed first (outside the
 * timed part), then extracted (parse + every built-in extractor + merge + normalisation) in
 * several passes on one JavaScript thread. Prints pages per wall-clock second and pages per CPU
 * second of the whole process (V8's garbage collector also works on helper threads); under
 * `taskset -c 0` the two agree, and that is the one-core figure.
 *
 * It runs with the V8 flags crawler nodes run with (core/v8-flags.ts), restarting itself with
 * them when they are missing; `--v8-defaults` measures without them.
 *
 *   taskset -c 0 npm run bench:extract -- [DATASET_DIR] [--passes N] [--v8-defaults]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { hasV8Flags, V8_FLAGS } from '../core/v8-flags.ts';

const args = process.argv.slice(2);
const v8Defaults = args.includes('--v8-defaults');
if (!v8Defaults && !hasV8Flags()) {
  const rerun = spawnSync(
    process.execPath,
    [...process.execArgv, ...V8_FLAGS, fileURLToPath(import.meta.url), ...args],
    { stdio: 'inherit' },
  );
  process.exit(rerun.status ?? 1);
}
// Imported after the check: a process that only restarts itself need not load every extractor.
const { loadDataset, readHtml } = await import('../crawler/extract/eval/score.ts');
const { previewExtraction } = await import('../crawler/extract/preview.ts');
const passesAt = args.indexOf('--passes');
const passes = passesAt >= 0 ? Number(args[passesAt + 1]) : 5;
const dir =
  args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--passes') ??
  fileURLToPath(new URL('../../shared/datasets/product-pages', import.meta.url));

const dataset = loadDataset(dir);
// Built once, outside the timed part; the crawler never asks for explanations.
const pages = [...dataset.pages].map(([id, path]) => ({
  url: String(dataset.truth[id]?.url ?? `https://example.invalid/${id}`),
  html: readHtml(path),
  explain: false,
}));
const bytes = pages.reduce((sum, p) => sum + p.html.length, 0);
process.stdout.write(
  `${pages.length} pages, ${(bytes / 1e6).toFixed(1)} MB of HTML, ${passes} passes (+1 warm-up); ` +
    `V8 flags: ${v8Defaults ? 'defaults' : V8_FLAGS.join(' ')}\n`,
);

// Warm-up: JIT, regex compilation, module caches.
for (const page of pages) previewExtraction(page);
// Wall time, and CPU time of the whole process (every thread, garbage collector helpers too):
// on a shared VM the wall clock also counts time the hypervisor gave to other guests.
const rates: number[] = [];
const cpuRates: number[] = [];
for (let pass = 1; pass <= passes; pass++) {
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (const page of pages) previewExtraction(page);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  rates.push(pages.length / seconds);
  cpuRates.push(pages.length / cpuSeconds);
  process.stdout.write(
    `pass ${pass}: ${(seconds * 1000).toFixed(0)} ms, ${(pages.length / seconds).toFixed(1)} pages/s; ` +
      `${(cpuSeconds * 1000).toFixed(0)} ms CPU, ${(pages.length / cpuSeconds).toFixed(1)} pages per CPU second\n`,
  );
}
const median = (values: number[]) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
process.stdout.write(
  `median: ${median(rates).toFixed(1)} pages/s (min ${Math.min(...rates).toFixed(1)}, max ${Math.max(...rates).toFixed(1)}); ` +
    `${median(cpuRates).toFixed(1)} pages per CPU second; target ≥ 100\n`,
);
