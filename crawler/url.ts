import { createHash } from 'node:crypto';

/** Query parameters that only track the visitor; removing them merges duplicate URLs. */
const trackingParam = /^(utm_[a-z_]+|gclid|fbclid|msclkid|mc_cid|mc_eid|yclid|_ga|ref_src)$/i;

/**
 * The one form of a URL used for dedup and identity: http(s) only, lower-case scheme and
 * host (WHATWG URL does that and removes default ports and dot segments), no fragment,
 * tracking parameters removed, remaining parameters sorted. Returns null for anything
 * that is not a crawlable http(s) URL.
 */
export function normaliseUrl(input: string, base?: string): string | null {
  let url: URL;
  try {
    url = new URL(input.trim(), base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  url.username = '';
  url.password = '';
  if (url.search) {
    const kept = [...url.searchParams].filter(([name]) => !trackingParam.test(name));
    kept.sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : av > bv ? 1 : 0) : a < b ? -1 : 1));
    url.search = new URLSearchParams(kept).toString();
  }
  return url.href;
}

/** Stable short id of a normalised URL; safe as a BullMQ job id (no ':' and not an integer). */
export function urlId(normalisedUrl: string): string {
  return `u${createHash('sha1').update(normalisedUrl).digest('base64url')}`;
}
