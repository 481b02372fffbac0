import { resolveHttpUrl } from '../normalise/url.ts';
import { baseUrl, indexPage } from './dom.ts';
import type { ExtractInput, Fields } from './types.ts';

/** `<link rel="canonical">`, resolved against the document's base URL. */
export function extractCanonical(input: ExtractInput): Fields | null {
  for (const link of indexPage(input.document).links) {
    if (link.attribs.href === undefined) continue;
    const rel = (link.attribs.rel ?? '').toLowerCase().split(/\s+/);
    if (!rel.includes('canonical')) continue;
    const url = resolveHttpUrl(link.attribs.href, baseUrl(input.document, input.url));
    if (url) return { canonicalUrl: url };
  }
  return null;
}
