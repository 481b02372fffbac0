/**
 * Extraction throughput on the product-pages dataset, one core: pages are decompressed first
 * (outside the timed part), then extracted (parse + every built-in extractor + merge +
 * normalisation) in several passes.
 *
 *   node --import tsx bench/extract.ts [DATASET_DIR] [--passes N]
 */
import { fileURLToPath } from 'node:url';
import { loadDataset, readHtml } from '../crawler/extract/eval/score.ts';
import { previewExtraction } from '../crawler/extract/preview.ts';

const args = process.argv.slice(2);
const passesAt = args.indexOf('--passes');
const passes = passesAt >= 0 ? Number(args[passesAt + 1]) : 5;
const dir =
  args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--passes') ??
  fileURLToPath(new URL('../../shared/datasets/product-pages', import.meta.url));

const dataset = loadDataset(dir);
const pages = [...dataset.pages].map(([id, path]) => ({
  url: String(dataset.truth[id]?.url ?? `https://example.invalid/${id}`),
  html: readHtml(path),
}));
const bytes = pages.reduce((sum, p) => sum + p.html.length, 0);
process.stdout.write(
  `${pages.length} pages, ${(bytes / 1e6).toFixed(1)} MB of HTML, ${passes} passes (+1 warm-up)\n`,
);

// Warm-up: JIT, regex compilation, module caches.
for (const page of pages) previewExtraction(page);
const rates: number[] = [];
for (let pass = 1; pass <= passes; pass++) {
  const started = process.hrtime.bigint();
  for (const page of pages) previewExtraction(page);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  rates.push(pages.length / seconds);
  process.stdout.write(
    `pass ${pass}: ${(seconds * 1000).toFixed(0)} ms, ${(pages.length / seconds).toFixed(1)} pages/s\n`,
  );
}
rates.sort((a, b) => a - b);
const median = rates[Math.floor(rates.length / 2)] ?? 0;
process.stdout.write(
  `median: ${median.toFixed(1)} pages/s (min ${rates[0]?.toFixed(1)}, max ${rates.at(-1)?.toFixed(1)}); target ≥ 100\n`,
);
