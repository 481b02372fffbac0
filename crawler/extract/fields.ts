import type { Fields } from './types.ts';

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
