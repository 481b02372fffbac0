/**
 * What `npm run eval:extraction` reports beyond the F1 table: scores per shop family, precision
 * by confidence band, and leave-one-family-out figures for the one thing fitted to the data (the
 * calibration offsets, see calibration.ts): each family's confidences calibrated by offsets
 * fitted on the other families only.
 */
import { normaliseProduct } from '../../normalise/index.ts';
import {
  type CalibratedField,
  type CalibrationTable,
  calibrate,
  fitCalibration,
  type Observation,
} from '../calibration.ts';
import { type ExtractionResult, extractProduct } from '../index.ts';
import { type BenchmarkRecord, benchmarkRecord } from './benchmark.ts';
import { type AttributeScore, type Dataset, judge, readHtml, SCORED_ATTRIBUTES, score } from './score.ts';

export interface PageResult {
  id: string;
  family: string;
  truth: Record<string, unknown>;
  record: BenchmarkRecord;
  chosen: ExtractionResult['chosen'];
  uncalibrated: NonNullable<ExtractionResult['uncalibrated']>;
}

/**
 * A page's shop family: the dataset's own `family` when it gives one, else the name the shop is
 * registered under ("ebay" for ebay.com, ebay.co.uk and ebay.fr; "yandex" for pokupki.market.yandex.ru).
 */
export function familyOf(url: string, truth: Record<string, unknown>): string {
  if (typeof truth.family === 'string') return truth.family;
  let host = '';
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return 'unknown';
  }
  const labels = host.split('.').filter((l) => l !== 'www');
  const last = labels.length - 1;
  // "co.uk", "com.br", "com.au": the name sits one label further left.
  const secondLevel = labels.length >= 3 && /^(?:co|com|net|org|ac|gov|edu)$/.test(labels[last - 1] ?? '');
  return labels[secondLevel ? last - 2 : last - 1] ?? host;
}

/** Extracts every page of a dataset once and keeps what the reports need. */
/** Every structured extractor: disabled, a page is read as a shop without markup is. */
export const STRUCTURED_EXTRACTORS = ['jsonld', 'microdata', 'rdfa', 'opengraph', 'state'] as const;

export function runDataset(dataset: Dataset, options: { markupFree?: boolean } = {}): PageResult[] {
  const results: PageResult[] = [];
  const rules = options.markupFree ? { disable: [...STRUCTURED_EXTRACTORS] } : undefined;
  for (const [id, path] of dataset.pages) {
    const truth = dataset.truth[id] ?? {};
    const url = String(truth.url ?? `https://example.invalid/${id}`);
    const extraction = extractProduct({ url, html: readHtml(path), ...(rules ? { rules } : {}) });
    const normalised = extraction.product ? normaliseProduct(extraction.product) : null;
    results.push({
      id,
      family: familyOf(url, truth),
      truth,
      record: benchmarkRecord(url, extraction.product, normalised),
      chosen: extraction.chosen,
      uncalibrated: extraction.uncalibrated ?? {},
    });
  }
  return results;
}

/** The attributes scored on a dataset: the benchmark's, plus currency when its answers are ISO codes. */
export function attributesOf(results: PageResult[]): string[] {
  const currencies = results.flatMap((r) => (Array.isArray(r.truth.currency) ? r.truth.currency : []));
  const iso = currencies.length > 0 && currencies.every((c) => typeof c === 'string' && /^[A-Z]{3}$/.test(c));
  return iso ? [...SCORED_ATTRIBUTES, 'currency'] : [...SCORED_ATTRIBUTES];
}

export function scoreResults(
  results: PageResult[],
  attributes: readonly string[],
): Record<string, AttributeScore> {
  const truth = Object.fromEntries(results.map((r) => [r.id, r.truth]));
  const predictions = Object.fromEntries(results.map((r) => [r.id, { ...r.record }]));
  return score(truth, predictions, attributes).scores;
}

const SHOWN = ['price', 'sku', 'availability', 'currency'];

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [
    pad(header, widths),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map((r) => pad(r, widths)),
  ].join('\n');
}

/** F1 per attribute for each family (pages of one shop or platform), worst first. */
export function familyTable(results: PageResult[], attributes: readonly string[]): string {
  const shown = SHOWN.filter((a) => attributes.includes(a));
  const families = [...new Set(results.map((r) => r.family))];
  const rows = families.map((family) => {
    const pages = results.filter((r) => r.family === family);
    const scores = scoreResults(pages, shown);
    return { family, pages: pages.length, f1: shown.map((a) => scores[a]) };
  });
  rows.sort((a, b) => Math.min(...a.f1.map((s) => s?.f1 ?? 1)) - Math.min(...b.f1.map((s) => s?.f1 ?? 1)));
  return table(
    ['family', 'pages', ...shown.map((a) => `${a} F1`)],
    rows.map((r) => [
      r.family,
      String(r.pages),
      ...r.f1.map((s) => (s && s.support + s.fp > 0 ? `${s.f1.toFixed(2)} (${s.tp}/${s.support})` : '—')),
    ]),
  );
}

/** Each chosen value of a calibrated field with whether it was right, for fitting and bands. */
export function observationsOf(
  results: PageResult[],
  attributes: readonly string[],
): (Observation & { family: string })[] {
  const out: (Observation & { family: string })[] = [];
  for (const r of results) {
    for (const attribute of ['price', 'sku', 'availability', 'currency'] as const) {
      if (!attributes.includes(attribute)) continue;
      // The benchmark's SKU is the shop's identifier, or its GTIN when it shows no other.
      const field = attribute === 'sku' && !r.chosen.sku ? 'gtin' : attribute;
      const choice = r.chosen[field];
      const predicted = (r.record as unknown as Record<string, unknown>)[attribute];
      if (!choice || predicted === undefined) continue;
      out.push({
        family: r.family,
        field: attribute,
        source: choice.source,
        raw: r.uncalibrated[field] ?? choice.confidence,
        correct: judge(attribute, predicted, r.truth[attribute]) === 'tp',
      });
    }
  }
  return out;
}

const BANDS = [0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001];

/** Precision per confidence band, per field, for observations with the confidence `confidence(o)`. */
export function bandTable(observations: Observation[], confidence: (o: Observation) => number): string {
  const fields = [...new Set(observations.map((o) => o.field))];
  const header = [
    'field',
    ...BANDS.slice(0, -1).map((b, i) => `${b.toFixed(2)}–${Math.min(1, BANDS[i + 1] ?? 1).toFixed(2)}`),
  ];
  const rows = fields.map((field) => [
    field,
    ...BANDS.slice(0, -1).map((low, i) => {
      const high = BANDS[i + 1] ?? 1;
      const inBand = observations.filter(
        (o) => o.field === field && confidence(o) >= low && confidence(o) < high,
      );
      if (inBand.length === 0) return '—';
      const right = inBand.filter((o) => o.correct).length;
      return `${((right / inBand.length) * 100).toFixed(0)}% of ${inBand.length}`;
    }),
  ]);
  return table(header, rows);
}

/** Mean absolute gap between confidence and outcome, weighted by band: 0 is perfectly calibrated. */
export function calibrationError(
  observations: Observation[],
  confidence: (o: Observation) => number,
): number {
  let total = 0;
  for (let i = 0; i < BANDS.length - 1; i++) {
    const low = BANDS[i] as number;
    const high = BANDS[i + 1] as number;
    const inBand = observations.filter((o) => confidence(o) >= low && confidence(o) < high);
    if (inBand.length === 0) continue;
    const mean = inBand.reduce((s, o) => s + confidence(o), 0) / inBand.length;
    const right = inBand.filter((o) => o.correct).length / inBand.length;
    total += Math.abs(mean - right) * inBand.length;
  }
  return observations.length > 0 ? total / observations.length : 0;
}

/** Calibrated confidence of an observation under `table`. */
export function calibrated(table: CalibrationTable): (o: Observation) => number {
  return (o) => calibrate(o.field as CalibratedField, o.source, o.raw, table);
}

/**
 * Each family's observations calibrated by offsets fitted on every other family: what the fitted
 * offsets are worth on shops they were not fitted to.
 */
export function leaveOneFamilyOut(
  observations: (Observation & { family: string })[],
): Map<Observation, number> {
  const out = new Map<Observation, number>();
  for (const family of new Set(observations.map((o) => o.family))) {
    const table = fitCalibration(observations.filter((o) => o.family !== family));
    const apply = calibrated(table);
    for (const o of observations) if (o.family === family) out.set(o, apply(o));
  }
  return out;
}
