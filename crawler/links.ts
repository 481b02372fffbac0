/** The parts of a domhandler node (any cheerio version's) that links are read from. */
interface DomNode {
  type: string;
  name?: string;
  attribs?: Record<string, string>;
  children?: DomNode[];
}

/** Any cheerio `$` (Crawlee bundles an older cheerio than ours). */
type Loaded = { root(): { toArray(): unknown[] } };

/**
 * Absolute URLs of a page's `<a href>` links, resolved against its first `<base href>` when
 * that is a valid URL. Plain strings, not Crawlee Request objects: the frontier filters and
 * deduplicates them, and most links on a shop page are ones the run has seen already. One walk
 * over the tree, so no selector is compiled per page.
 */
export function pageLinks($: Loaded, pageUrl: string): string[] {
  const hrefs: string[] = [];
  let base: string | undefined;
  const stack = [...($.root().toArray() as DomNode[])];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'tag') {
      const href = node.attribs?.href;
      if (href !== undefined) {
        if (node.name === 'a') hrefs.push(href);
        else if (node.name === 'base' && base === undefined) base = href;
      }
    }
    const children = node.children;
    // Pushed in reverse so links come out in document order.
    if (children) for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  const baseUrl = (base !== undefined && URL.parse(base, pageUrl)?.href) || pageUrl;
  const links: string[] = [];
  for (const href of hrefs) {
    const trimmed = href.trim();
    if (!trimmed) continue;
    const url = URL.parse(trimmed, baseUrl);
    if (url) links.push(url.href);
  }
  return links;
}
