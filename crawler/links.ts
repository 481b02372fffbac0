/** Any cheerio `$` (Crawlee bundles an older cheerio than ours). */
type Selectable = (selector: string) => { attr(name: string): string | undefined; toArray(): unknown[] };

/**
 * Absolute URLs of a page's `<a href>` links, resolved against its `<base href>` when it has
 * one. Plain strings, not Crawlee Request objects: the frontier filters and deduplicates
 * them, and most links on a shop page are ones the run has seen already.
 */
export function pageLinks($: Selectable, pageUrl: string): string[] {
  const base = $('base[href]').attr('href');
  const baseUrl = base && URL.canParse(base, pageUrl) ? new URL(base, pageUrl).href : pageUrl;
  const links: string[] = [];
  for (const element of $('a[href]').toArray()) {
    const href = (element as { attribs?: Record<string, string> }).attribs?.href;
    if (!href) continue;
    const url = URL.parse(href.trim(), baseUrl);
    if (url) links.push(url.href);
  }
  return links;
}
