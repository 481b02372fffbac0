import type { FieldName } from './types.ts';

/**
 * A site's `extraction.minConfidence`: one number for the fields a wrong value hurts most, or a
 * number per field. Below it a field is left empty rather than guessed.
 */
export type ConfidenceThresholds = number | Partial<Record<FieldName, number>>;

/** The fields a single-number threshold applies to: the title, images and texts are never dropped. */
export const THRESHOLD_FIELDS = ['price', 'currency', 'sku', 'gtin', 'availability', 'brand'] as const;

export function thresholdFor(thresholds: ConfidenceThresholds, field: FieldName): number | undefined {
  if (typeof thresholds === 'number')
    return (THRESHOLD_FIELDS as readonly string[]).includes(field) ? thresholds : undefined;
  return thresholds[field];
}
