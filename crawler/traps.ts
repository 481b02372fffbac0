import type { TrapLimits } from '../core/crawl-limits.ts';

export { type TrapLimits, trapLimitsSchema } from '../core/crawl-limits.ts';

export type TrapReason = 'depth' | 'url-length' | 'repeated-segments' | 'query-params';

/**
 * Why a discovered URL looks like a crawler trap (calendars, relative-link loops such as
 * /a/b/a/b/a/b, faceted search explosions), or null. Runs for every discovered link, so it
 * scans the string instead of building a URL object; expects an absolute, normalised URL.
 */
export function trapReason(url: string, depth: number, limits: TrapLimits): TrapReason | null {
  if (depth > limits.maxDepth) return 'depth';
  if (url.length > limits.maxUrlLength) return 'url-length';
  const scheme = url.indexOf('://');
  const pathStart = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
  let pathEnd = url.length;
  const hash = url.indexOf('#');
  if (hash >= 0) pathEnd = hash;
  const query = url.indexOf('?');
  if (query >= 0 && query < pathEnd) {
    if (countQueryParams(url, query + 1, pathEnd) > limits.maxQueryParams) return 'query-params';
    pathEnd = query;
  }
  if (pathStart >= 0 && pathStart < pathEnd && hasRepeatedSegment(url, pathStart, pathEnd, limits)) {
    return 'repeated-segments';
  }
  return null;
}

function countQueryParams(url: string, start: number, end: number): number {
  let count = 0;
  let partStart = start;
  for (let i = start; i <= end; i++) {
    if (i === end || url[i] === '&' || url[i] === ';') {
      if (i > partStart) count++;
      partStart = i + 1;
    }
  }
  return count;
}

function hasRepeatedSegment(url: string, start: number, end: number, limits: TrapLimits): boolean {
  const segments = url.slice(start + 1, end).split('/');
  // Fewer segments than the limit cannot repeat one beyond it: the common case, no Map needed.
  if (segments.length <= limits.maxRepeatedSegments) return false;
  const counts = new Map<string, number>();
  for (const segment of segments) {
    if (segment === '') continue;
    const count = (counts.get(segment) ?? 0) + 1;
    if (count > limits.maxRepeatedSegments) return true;
    counts.set(segment, count);
  }
  return false;
}
