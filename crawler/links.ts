import type { AnyNode } from 'domhandler';
import { baseUrl, indexPage } from './extract/dom.ts';

/**
 * Absolute URLs of a page's `<a href>` links, resolved against its `<base href>` when that is a
 * usable URL. Plain strings, not Crawlee Request objects: the frontier filters and deduplicates
 * them, and most links on a shop page are ones the run has seen already. The anchors come from
 * the page index the extractors share, so a product page is not walked again for its links.
 */
export function pageLinks(document: AnyNode, pageUrl: string): string[] {
  const base = baseUrl(document, pageUrl);
  const links: string[] = [];
  for (const anchor of indexPage(document).anchors) {
    const href = (anchor.attribs.href as string).trim();
    if (!href) continue;
    const url = URL.parse(href, base);
    if (url) links.push(url.href);
  }
  return links;
}
