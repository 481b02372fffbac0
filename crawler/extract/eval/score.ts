/**
 * Scoring of product extraction against a dataset laid out like `shared/datasets/product-pages`:
 * `ground-truth.json` ({page id: {attribute: [acceptable values]}}), `html/<page id>.html(.gz)`
 * and `output/<System>.json` ({page id: {attribute: value}}).
 *
 * The rules are the dataset's: per attribute, a prediction that is one of the true values is a
 * true positive; any other prediction is a false positive, and also a false negative when the
 * page has a true value; no prediction where there is a true value is a false negative.
 * Precision, recall and F1 come from the summed counts. Prices compare as decimal numbers.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export type Truth = Record<string, Record<string, unknown>>;
export type Predictions = Record<string, Record<string, unknown>>;

/** The attributes the dataset scores, in table order. Currency is not scored. */
export const SCORED_ATTRIBUTES = ['price', 'sku', 'availability', 'InStock', 'OutOfStock'] as const;
export type ScoredAttribute = (typeof SCORED_ATTRIBUTES)[number];

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface AttributeScore extends Counts {
  precision: number;
  recall: number;
  f1: number;
  /** Pages with a true value for the attribute. */
  support: number;
}

export interface PageOutcome {
  page: string;
  attribute: string;
  predicted: string | null;
  expected: string[];
  outcome: 'tp' | 'fp' | 'fn' | 'tn';
}

/** "45", "45.0" and "045.00" are one number; compared on digits, never through floats. */
export function canonicalDecimal(value: string): string | null {
  const match = /^\s*\+?(\d*)(?:\.(\d*))?\s*$/.exec(value);
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) return null;
  const integer = (match[1] ?? '').replace(/^0+/, '') || '0';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  return fraction ? `${integer}.${fraction}` : integer;
}

function asValues(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value == null ? [] : [value];
  return list
    .filter((v) => typeof v === 'string' || typeof v === 'number')
    .map((v) => String(v))
    .filter((v) => v !== '');
}

function matches(attribute: string, predicted: string, truth: string): boolean {
  if (attribute === 'price') {
    const a = canonicalDecimal(predicted);
    return a !== null && a === canonicalDecimal(truth);
  }
  return predicted === truth;
}

/** One page, one attribute: the outcome under the dataset's rules. */
export function judge(
  attribute: string,
  predictedValue: unknown,
  truthValue: unknown,
): PageOutcome['outcome'] {
  const expected = asValues(truthValue);
  const predicted = asValues(predictedValue)[0];
  if (predicted === undefined) return expected.length > 0 ? 'fn' : 'tn';
  return expected.some((t) => matches(attribute, predicted, t)) ? 'tp' : 'fp';
}

export function toScore(counts: Counts, support: number): AttributeScore {
  const precision = counts.tp + counts.fp > 0 ? counts.tp / (counts.tp + counts.fp) : 0;
  const recall = counts.tp + counts.fn > 0 ? counts.tp / (counts.tp + counts.fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { ...counts, precision, recall, f1, support };
}

/** Scores of `predictions` on every page of `truth`, per attribute, with each page's outcome. */
export function score(
  truth: Truth,
  predictions: Predictions,
  attributes: readonly string[] = SCORED_ATTRIBUTES,
): { scores: Record<string, AttributeScore>; outcomes: PageOutcome[] } {
  const scores: Record<string, AttributeScore> = {};
  const outcomes: PageOutcome[] = [];
  for (const attribute of attributes) {
    const counts: Counts = { tp: 0, fp: 0, fn: 0 };
    let support = 0;
    for (const [page, record] of Object.entries(truth)) {
      const expected = asValues(record[attribute]);
      if (expected.length > 0) support++;
      const outcome = judge(attribute, predictions[page]?.[attribute], record[attribute]);
      if (outcome === 'tp') counts.tp++;
      else if (outcome === 'fp') {
        counts.fp++;
        if (expected.length > 0) counts.fn++;
      } else if (outcome === 'fn') counts.fn++;
      outcomes.push({
        page,
        attribute,
        predicted: asValues(predictions[page]?.[attribute])[0] ?? null,
        expected,
        outcome,
      });
    }
    scores[attribute] = toScore(counts, support);
  }
  return { scores, outcomes };
}

export interface Dataset {
  dir: string;
  truth: Truth;
  /** Page id → path of its HTML file. */
  pages: Map<string, string>;
  /** Published systems' outputs by system name (file name without .json). */
  systems: Record<string, Predictions>;
}

/** Page id of a dataset file: its name without `.html` / `.html.gz` / `.htm`. */
export function pageId(file: string): string {
  return (file.split(/[\\/]/).pop() ?? file).replace(/\.html?(\.gz)?$/i, '');
}

export function isHtmlFile(file: string): boolean {
  return /\.html?(\.gz)?$/i.test(file);
}

/** A page's HTML, gunzipped when the name ends in .gz; decoded as UTF-8. */
export function readHtml(path: string): string {
  const bytes = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

/** Reads a dataset folder; throws when it or its ground truth is missing. */
export function loadDataset(dir: string): Dataset {
  const truthPath = join(dir, 'ground-truth.json');
  if (!existsSync(truthPath)) throw new Error(`no ground-truth.json in ${dir}`);
  const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as Truth;
  const htmlDir = existsSync(join(dir, 'html')) ? join(dir, 'html') : dir;
  const pages = new Map<string, string>();
  for (const file of readdirSync(htmlDir).sort())
    if (isHtmlFile(file)) pages.set(pageId(file), join(htmlDir, file));
  const systems: Record<string, Predictions> = {};
  const outputDir = join(dir, 'output');
  if (existsSync(outputDir)) {
    for (const file of readdirSync(outputDir).sort()) {
      if (!file.endsWith('.json')) continue;
      systems[file.replace(/\.json$/, '')] = JSON.parse(
        readFileSync(join(outputDir, file), 'utf8'),
      ) as Predictions;
    }
  }
  return { dir, truth, pages, systems };
}

/** One table: a row per attribute and system, F1 / precision / recall / support and counts. */
export function formatTable(
  results: Record<string, Record<string, AttributeScore>>,
  attributes: readonly string[],
): string {
  const header = ['attribute', 'system', 'F1', 'precision', 'recall', 'support', 'tp', 'fp', 'fn'];
  const rows: string[][] = [];
  for (const attribute of attributes) {
    for (const [system, scores] of Object.entries(results)) {
      const s = scores[attribute];
      if (!s) continue;
      rows.push([
        attribute,
        system,
        s.f1.toFixed(3),
        s.precision.toFixed(3),
        s.recall.toFixed(3),
        String(s.support),
        String(s.tp),
        String(s.fp),
        String(s.fn),
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  let previous = '';
  for (const row of rows) {
    if (previous && row[0] !== previous) out.push('');
    previous = row[0] ?? '';
    out.push(line(row));
  }
  return out.join('\n');
}
