import type { FieldName, Fields, ScoredFields } from './types.ts';

export function hasValue(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** The fields that hold something, or null when none does. */
export function compact(fields: Fields): Fields | null {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (hasValue(value)) out[key] = value;
  return Object.keys(out).length > 0 ? (out as Fields) : null;
}

const clamp = (n: number): number => (Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0);

/**
 * Plain fields with one confidence for all, or per field (`{price: 0.6}` overrides `base`).
 * Returns null when nothing has a value.
 */
export function scoreFields(
  fields: Fields | null | undefined,
  base: number,
  perField: Partial<Record<FieldName, number>> = {},
): ScoredFields | null {
  if (!fields) return null;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'url' || !hasValue(value)) continue;
    out[key] = { value, confidence: clamp(perField[key as FieldName] ?? base) };
  }
  return Object.keys(out).length > 0 ? (out as ScoredFields) : null;
}

/** The plain values of scored fields. */
export function plainFields(scored: ScoredFields): Fields {
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(scored))
    if (entry && hasValue(entry.value)) out[key] = entry.value;
  return out as Fields;
}

/** Whether `value` is a well-formed scored field: `{ value, confidence }` with a number. */
export function isScored(value: unknown): value is { value: unknown; confidence: number } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'value' in value &&
    typeof (value as { confidence?: unknown }).confidence === 'number'
  );
}
