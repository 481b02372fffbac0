import { load } from 'cheerio/slim';
import { parsePage } from './dom.ts';
import type { ExtractInput, ExtractorPage } from './types.ts';

export const PAGE_URL = 'https://shop.example/products/kettle-1?colour=red';

/** An extractor input for a page written in a test. */
export function page(html: string, url = PAGE_URL): ExtractInput & { errors: string[] } {
  return { url, html, document: parsePage(html), errors: [] };
}

/** What an extractor gets for a page written in a test, with no site rules. */
export function extractorPage(html: string, url = PAGE_URL): ExtractorPage {
  const input = page(html, url);
  return { ...input, $: load(input.document), rules: {} };
}

/** JSON-LD script blocks; "</" is escaped as pages must, or "</script>" in a string would end the block. */
export function jsonLd(...blocks: unknown[]): string {
  return blocks
    .map((b) => (typeof b === 'string' ? b : JSON.stringify(b).replace(/<\//g, '<\\/')))
    .map((json) => `<script type="application/ld+json">${json}</script>`)
    .join('\n');
}
