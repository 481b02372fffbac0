/** Absolute http(s) URL for `value` resolved against `base`, or null (data:, javascript:, garbage). */
export function resolveHttpUrl(value: string | null | undefined, base?: string | null): string | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > 4000) return null;
  let url: URL;
  try {
    url = base ? new URL(trimmed, base) : new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.hostname === '') return null;
  const href = url.href;
  return href.length > 4000 ? null : href;
}
