/**
 * A URL's template, so that pages built by the same code on a site share one render
 * decision: `https://shop.test/product/red-kettle-42?color=red` → `shop.test/product/:slug?color`.
 * Too fine and every product page is its own kind (and gets sampled); too coarse and
 * products share a decision with category pages. Shape decides for ids, numbers and
 * slugs; below the first segment, any other word is a placeholder too, except for
 * words that usually name a section.
 */

const MAX_SEGMENTS = 6;
// Words that name a part of a shop rather than one item in it, wherever they appear.
const SECTIONS = new Set([
  'p',
  'product',
  'products',
  'item',
  'items',
  'dp',
  'c',
  'category',
  'categories',
  'collection',
  'collections',
  'shop',
  'store',
  'catalog',
  'catalogue',
  'brand',
  'brands',
  'search',
  'tag',
  'tags',
  'page',
  'pages',
  'blog',
  'news',
  'article',
  'articles',
  'reviews',
  'offers',
  'sale',
]);
const TRACKING = /^(utm_.*|gclid|fbclid|msclkid|mc_cid|mc_eid|_ga|ref|srsltid)$/i;
const LOCALE = /^[a-z]{2}([-_][a-z]{2})?$/i;
const EXTENSION = /^(.+?)(\.(?:html?|php|aspx?|jsp|cfm|do))$/i;

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment).toLowerCase();
  } catch {
    return segment.toLowerCase();
  }
}

/** The placeholder for a segment by its shape alone, or null when it reads as a plain word. */
function shape(segment: string): string | null {
  if (/^\d+$/.test(segment)) return ':n';
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(segment)) return ':id';
  const hasDigit = /\p{N}/u.test(segment);
  const separated = /[-_+.,~ ]/.test(segment);
  // SKUs and hashes: letters and digits run together ("b07xyz1234", "p12345", "5f3a9c").
  if (hasDigit && !separated) return ':id';
  if (hasDigit) return ':slug';
  const words = segment.split(/[-_+.,~ ]+/).filter(Boolean);
  if (words.length >= 3 || segment.length >= 25) return ':slug';
  return null;
}

function templateSegment(segment: string, position: number): string {
  const ext = EXTENSION.exec(segment);
  const stem = ext ? ext[1]! : segment;
  const suffix = ext ? ext[2]!.toLowerCase() : '';
  const placeholder = shape(stem);
  if (placeholder) return placeholder + suffix;
  if (position === 0 || SECTIONS.has(stem)) return stem + suffix;
  return `:slug${suffix}`;
}

export function pageKind(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'invalid';
  }
  const host = parsed.hostname.toLowerCase().replace(/^www\./, '');
  let segments = parsed.pathname.split('/').filter(Boolean).map(decode);
  const parts: string[] = [];
  // A leading locale ("/en/", "/de-at/") is the same page in another language.
  if (segments.length > 1 && LOCALE.test(segments[0]!) && !SECTIONS.has(segments[0]!)) {
    parts.push(':locale');
    segments = segments.slice(1);
  }
  segments.slice(0, MAX_SEGMENTS).forEach((segment, i) => {
    parts.push(templateSegment(segment, i));
  });
  // Endless paths (calendars, crawler traps) must not mint endless kinds.
  if (segments.length > MAX_SEGMENTS) parts.push('**');
  const names = [...new Set([...parsed.searchParams.keys()].filter((name) => !TRACKING.test(name)))]
    .sort()
    .slice(0, 10);
  const query = names.length > 0 ? `?${names.join('&')}` : '';
  return `${host}/${parts.join('/')}${query}`;
}
