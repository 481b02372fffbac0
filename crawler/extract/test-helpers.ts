import { load } from 'cheerio/slim';
import type { ExtractInput } from './types.ts';

export const PAGE_URL = 'https://shop.example/products/kettle-1?colour=red';

/** An extractor input for a page written in a test. */
export function page(html: string, url = PAGE_URL): ExtractInput & { errors: string[] } {
  return { url, html, $: load(html), errors: [] };
}

/** JSON-LD script blocks; "</" is escaped as pages must, or "</script>" in a string would end the block. */
export function jsonLd(...blocks: unknown[]): string {
  return blocks
    .map((b) => (typeof b === 'string' ? b : JSON.stringify(b).replace(/<\//g, '<\\/')))
    .map((json) => `<script type="application/ld+json">${json}</script>`)
    .join('\n');
}
