/**
 * Confidence calibration: the merged confidence of a field, moved by an offset measured on the
 * development sets for the extractor that won it, so that a field at 0.8 is right about 80% of
 * the time and a site's `minConfidence` means what it says. The offsets are the only thing in
 * extraction fitted to data; `npm run eval:extraction -- --fit-calibration` refits them, and
 * `--by-family` reports how they hold on shop families left out of the fit.
 */
import { CALIBRATION_OFFSETS } from './calibration-table.ts';
import type { FieldName } from './types.ts';

/** Fields whose confidence is calibrated: the ones a wrong value hurts and a threshold may drop. */
export const CALIBRATED_FIELDS = ['price', 'currency', 'sku', 'gtin', 'availability'] as const;
export type CalibratedField = (typeof CALIBRATED_FIELDS)[number];

/** Offsets by `field:source`. */
export type CalibrationTable = Record<string, number>;

// The hand-set confidence counts as this many pages that matched it exactly: a source seen on few
// pages moves little. Large, because the development sets are pages the heuristics were built
// on, where they are right more often than on shops nobody has seen.
const PRIOR_PAGES = 20;

export function calibrationKey(field: string, source: string): string {
  return `${field}:${source}`;
}

export function isCalibrated(field: FieldName): field is CalibratedField {
  return (CALIBRATED_FIELDS as readonly string[]).includes(field);
}

/** The calibrated confidence of `raw` for a field won by `source`. */
export function calibrate(
  field: CalibratedField,
  source: string,
  raw: number,
  table: CalibrationTable = CALIBRATION_OFFSETS,
): number {
  const offset = table[calibrationKey(field, source)] ?? 0;
  return Math.round(Math.min(0.99, Math.max(0.01, raw + offset)) * 1000) / 1000;
}

export interface Observation {
  field: string;
  source: string;
  /** The merged confidence before calibration. */
  raw: number;
  correct: boolean;
}

/**
 * Offsets from observed outcomes: per `field:source`, the mean of (outcome − confidence), shrunk
 * towards zero as if PRIOR_PAGES more pages had matched their confidence exactly.
 */
export function fitCalibration(observations: Observation[]): CalibrationTable {
  const sums = new Map<string, { gap: number; n: number }>();
  for (const o of observations) {
    const key = calibrationKey(o.field, o.source);
    const entry = sums.get(key) ?? { gap: 0, n: 0 };
    entry.gap += (o.correct ? 1 : 0) - o.raw;
    entry.n++;
    sums.set(key, entry);
  }
  const table: CalibrationTable = {};
  for (const [key, { gap, n }] of [...sums].sort(([a], [b]) => a.localeCompare(b)))
    table[key] = Math.round((gap / (n + PRIOR_PAGES)) * 1000) / 1000;
  return table;
}
