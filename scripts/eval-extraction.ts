/**
 * Scores Trawl's extraction on a product-pages dataset folder beside every published system in
 * its `output/`, using the dataset's scoring rules.
 *
 *   node --import tsx scripts/eval-extraction.ts ../shared/datasets/product-pages [--failures] [--json FILE]
 */
import { writeFileSync } from 'node:fs';
import { benchmarkPage } from '../crawler/extract/eval/benchmark.ts';
import {
  formatTable,
  loadDataset,
  type Predictions,
  readHtml,
  SCORED_ATTRIBUTES,
  score,
} from '../crawler/extract/eval/score.ts';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--json');
if (!dir) {
  process.stderr.write('usage: eval-extraction.ts DATASET_DIR [--failures] [--json OUT]\n');
  process.exit(2);
}
const dataset = loadDataset(dir);
const predictions: Predictions = {};
for (const [page, path] of dataset.pages) {
  const url = String(dataset.truth[page]?.url ?? `https://example.invalid/${page}`);
  predictions[page] = { ...benchmarkPage({ url, html: readHtml(path) }) };
}
const results: Record<string, ReturnType<typeof score>['scores']> = {};
const trawl = score(dataset.truth, predictions);
results.Trawl = trawl.scores;
for (const [system, output] of Object.entries(dataset.systems))
  results[system] = score(dataset.truth, output).scores;
process.stdout.write(
  `${dataset.pages.size} pages, ${Object.keys(dataset.truth).length} with ground truth\n\n`,
);
process.stdout.write(`${formatTable(results, SCORED_ATTRIBUTES)}\n`);
if (args.includes('--failures')) {
  process.stdout.write('\nTrawl failures:\n');
  for (const o of trawl.outcomes) {
    if (o.outcome === 'tp' || o.outcome === 'tn' || o.attribute === 'InStock' || o.attribute === 'OutOfStock')
      continue;
    process.stdout.write(
      `  ${o.attribute.padEnd(12)} ${o.outcome} ${o.page.slice(0, 10)} ${String(dataset.truth[o.page]?.url).slice(0, 70)} got ${JSON.stringify(o.predicted)} want ${JSON.stringify(o.expected)}\n`,
    );
  }
}
const jsonIndex = args.indexOf('--json');
if (jsonIndex >= 0 && args[jsonIndex + 1])
  writeFileSync(args[jsonIndex + 1] as string, `${JSON.stringify(predictions, null, 2)}\n`);
