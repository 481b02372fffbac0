/**
 * Scores Trawl's extraction on product-page datasets (the shared product-pages set and the
 * second development set by default) beside every published system in each set's `output/`,
 * using the datasets' scoring rules.
 *
 *   npm run eval:extraction -- [DATASET_DIR …] [--set NAME …] [--by-family] [--failures] [--json FILE] [--fit-calibration]
 *
 * --set NAME         a named set instead of a directory: `product-pages` (the shared set), `devset`
 *                    (the platform pages) or `heldout` (hand-written pages of shops the
 *                    heuristics were not built on, crawler/extract/eval/heldout/)
 * --by-family        F1 per shop family, precision by confidence band, and leave-one-family-out
 *                    figures for the calibration offsets (the only thing fitted to the data)
 * --failures         every wrong or missing value
 * --markup-free      read every page with the structured extractors disabled (JSON-LD, microdata,
 *                    RDFa, OpenGraph, script state), as a shop without markup is read
 * --json FILE        the predictions of the first dataset, in the datasets' output shape
 * --fit-calibration  refit the calibration offsets on the given sets and write calibration-table.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fitCalibration, type Observation } from '../crawler/extract/calibration.ts';
import { CALIBRATION_OFFSETS } from '../crawler/extract/calibration-table.ts';
import {
  attributesOf,
  bandTable,
  calibrated,
  calibrationError,
  familyTable,
  leaveOneFamilyOut,
  observationsOf,
  type PageResult,
  runDataset,
  scoreResults,
} from '../crawler/extract/eval/report.ts';
import { formatTable, loadDataset, score } from '../crawler/extract/eval/score.ts';

const args = process.argv.slice(2);
const valued = new Set(['--json', '--set']);
const NAMED_SETS: Record<string, string> = {
  'product-pages': fileURLToPath(new URL('../../shared/datasets/product-pages', import.meta.url)),
  devset: fileURLToPath(new URL('../crawler/extract/eval/devset', import.meta.url)),
  heldout: fileURLToPath(new URL('../crawler/extract/eval/heldout', import.meta.url)),
};
const dirs = args.filter((a, i) => !a.startsWith('--') && !valued.has(args[i - 1] ?? ''));
for (const [i, a] of args.entries()) {
  if (a !== '--set') continue;
  const dir = NAMED_SETS[args[i + 1] ?? ''];
  if (!dir) {
    process.stderr.write(`unknown set ${args[i + 1]}; known: ${Object.keys(NAMED_SETS).join(', ')}\n`);
    process.exit(2);
  }
  dirs.push(dir);
}
if (dirs.length === 0)
  dirs.push(
    fileURLToPath(new URL('../../shared/datasets/product-pages', import.meta.url)),
    fileURLToPath(new URL('../crawler/extract/eval/devset', import.meta.url)),
  );
const byFamily = args.includes('--by-family');
const allObservations: (Observation & { family: string })[] = [];
const sets: { dir: string; results: PageResult[] }[] = [];

for (const dir of dirs) {
  const dataset = loadDataset(dir);
  const results = runDataset(dataset, { markupFree: args.includes('--markup-free') });
  sets.push({ dir, results });
  const attributes = attributesOf(results);
  const tables: Record<string, ReturnType<typeof score>['scores']> = {
    Trawl: scoreResults(results, attributes),
  };
  for (const [system, output] of Object.entries(dataset.systems))
    tables[system] = score(dataset.truth, output, attributes).scores;
  process.stdout.write(
    `\n${dir}\n${dataset.pages.size} pages, ${Object.keys(dataset.truth).length} with ground truth\n\n`,
  );
  process.stdout.write(`${formatTable(tables, attributes)}\n`);
  if (byFamily)
    process.stdout.write(`\nper family (F1, right/with an answer):\n${familyTable(results, attributes)}\n`);
  if (args.includes('--failures')) {
    process.stdout.write('\nfailures:\n');
    for (const r of results)
      for (const attribute of attributes.filter((a) => a !== 'InStock' && a !== 'OutOfStock')) {
        const predicted = (r.record as unknown as Record<string, unknown>)[attribute] ?? null;
        const expected = (r.truth[attribute] as unknown[] | undefined) ?? [];
        const right = expected
          .map(String)
          .some((e) => (attribute === 'price' ? Number(e) === Number(predicted) : e === predicted));
        if (right || (predicted === null && expected.length === 0)) continue;
        process.stdout.write(
          `  ${attribute.padEnd(12)} ${r.family.padEnd(14)} ${r.id.slice(0, 16).padEnd(16)} got ${JSON.stringify(predicted)} want ${JSON.stringify(expected)}\n`,
        );
      }
  }
  allObservations.push(...observationsOf(results, attributes));
}

if (byFamily) {
  const inSample = calibrated(CALIBRATION_OFFSETS);
  const lofo = leaveOneFamilyOut(allObservations);
  const heldOut = (o: Observation) => lofo.get(o) ?? o.raw;
  const families = new Set(allObservations.map((o) => o.family)).size;
  process.stdout.write(
    `\nPrecision by confidence band, all sets (${allObservations.length} chosen values, ${families} families):\n` +
      `\nbefore calibration:\n${bandTable(allObservations, (o) => o.raw)}\n` +
      `\ncalibrated (offsets fitted on all families):\n${bandTable(allObservations, inSample)}\n` +
      `\nleave one family out (each family calibrated by offsets fitted on the others):\n${bandTable(allObservations, heldOut)}\n` +
      `\ncalibration error (mean |confidence − precision| by band): before ${calibrationError(allObservations, (o) => o.raw).toFixed(3)}, ` +
      `fitted ${calibrationError(allObservations, inSample).toFixed(3)}, leave-one-family-out ${calibrationError(allObservations, heldOut).toFixed(3)}\n` +
      '\nNothing else in extraction is fitted to these pages: F1 does not depend on the calibration unless a site sets\n' +
      'minConfidence, so its leave-one-family-out figure is the F1 above.\n',
  );
}

if (args.includes('--fit-calibration')) {
  const table = fitCalibration(allObservations);
  const path = fileURLToPath(new URL('../crawler/extract/calibration-table.ts', import.meta.url));
  const entries = Object.entries(table)
    .map(([k, v]) => `  '${k}': ${v},`)
    .join('\n');
  writeFileSync(
    path,
    `/**\n * Calibration offsets by \`field:source\`, fitted on the development sets by\n * \`npm run eval:extraction -- --fit-calibration\` (see calibration.ts). Generated: do not edit.\n */\nexport const CALIBRATION_OFFSETS: Record<string, number> = {\n${entries}\n};\n`,
  );
  process.stdout.write(`\ncalibration offsets written to ${path}\n`);
}

const jsonIndex = args.indexOf('--json');
const first = sets[0];
if (jsonIndex >= 0 && args[jsonIndex + 1] && first)
  writeFileSync(
    args[jsonIndex + 1] as string,
    `${JSON.stringify(Object.fromEntries(first.results.map((r) => [r.id, r.record])), null, 2)}\n`,
  );
