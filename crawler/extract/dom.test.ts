import type { AnyNode } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { indexPage, type PageIndex, parsePage, textOf } from './dom.ts';
import { loadDataset, readHtml } from './eval/score.ts';

/** Every node's kind, name, data and attributes in document order: two trees compared whole. */
function shape(root: AnyNode): string[] {
  const out: string[] = [];
  const stack: AnyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    const name = 'name' in node ? node.name : '';
    const data = 'data' in node ? node.data : '';
    const attribs = 'attribs' in node ? JSON.stringify(node.attribs) : '';
    out.push(`${node.type}|${name}|${data}|${attribs}`);
    if ('children' in node)
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as AnyNode);
  }
  return out;
}

/** An index's elements by name and attributes: indexes of two trees compared. */
function described(index: PageIndex): string {
  const one = (e: { name: string; attribs: Record<string, string> } | undefined) =>
    e ? `${e.name}${JSON.stringify(e.attribs)}` : '-';
  const { root: _root, hasItemscope, ...lists } = index;
  return JSON.stringify({
    hasItemscope,
    ...Object.fromEntries(
      Object.entries(lists).map(([key, value]) => [key, Array.isArray(value) ? value.map(one) : one(value)]),
    ),
  });
}

const TRICKY = [
  // Legacy references without a semicolon in text, stricter rules in attribute values.
  '<p title="a &amp; b &ampx &amp=1 &lt" data-q=a&amp;b>x &amp y &notit; &notin; AT&T < 5 &#x41; &#65 &#0; &#xD800;</p>',
  // Raw text stays as written; a title's text is decoded.
  '<textarea>&amp;</textarea><title>&amp;T</title><script>a&amp;b</script><style>&amp;</style><xmp>&lt;</xmp>',
  // Foreign content, unquoted values, a repeated attribute (the first wins), references split by tags.
  '<svg><title>&amp;</title><style>&lt;</style></svg><a href=?a=1&copy=2 x=&amp;>&eu<b>ro;</b>&euro</a><b a="x" a="&amp;"></b><i a="&amp;" a="y"></i>',
  '<div>&amp</div><div>&amp;&amp;&amp;</div><div>&</div><div>&#</div><div>&#x</div><div>&;</div>',
];

describe('parsePage', () => {
  it('builds the tree htmlparser2 builds when it decodes references itself', () => {
    for (const html of TRICKY) expect(shape(parsePage(html))).toEqual(shape(parseDocument(html)));
  });

  it('decodes what a page shows and leaves scripts as written', () => {
    const document = parsePage(
      '<h1 title="Caf&eacute;">Caf&eacute; &amp; Co</h1><script>if (a &amp;&amp; b) {}</script>',
    );
    expect(textOf(document)).toContain('Café & Co');
    expect(shape(document)).toContain('text||if (a &amp;&amp; b) {}|');
    expect(shape(document).some((line) => line.includes('"title":"Café"'))).toBe(true);
  });

  it('notes the elements with JSON in an attribute (application state) as it parses', () => {
    const page = parsePage(`<div id="app" data-page="{&quot;props&quot;:{}}"></div><p title="[x]">a</p>
      <div x-data=" { open: false }"></div><span title="{">b</span><i class="x"></i>`);
    expect(indexPage(page).jsonAttributed.map((e) => e.name)).toEqual(['div', 'p', 'div', 'span']);
  });

  it('gives the same tree on every page of the platform and held-out sets', () => {
    for (const set of ['devset', 'heldout']) {
      const dataset = loadDataset(new URL(`./eval/${set}`, import.meta.url).pathname);
      expect(dataset.pages.size).toBeGreaterThan(40);
      for (const path of dataset.pages.values()) {
        const html = readHtml(path);
        const page = parsePage(html);
        expect(shape(page)).toEqual(shape(parseDocument(html)));
        // The index the parser gathered is the one a walk over the tree finds.
        expect(described(indexPage(page))).toBe(described(indexPage(parseDocument(html))));
      }
    }
  });
});
