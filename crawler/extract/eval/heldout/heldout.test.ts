import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIR = fileURLToPath(new URL('.', import.meta.url));
const truth = JSON.parse(readFileSync(join(DIR, 'ground-truth.json'), 'utf8')) as Record<
  string,
  { url: string; price: string[]; sku: string[]; availability: string[]; currency: string[] }
>;

/** The digits of an amount as a page shows them, separators and markup aside: 124990 in "₹1,24,990". */
function digitsOf(price: string): string {
  const [whole = '', fraction = ''] = price.split('.');
  return /^0*$/.test(fraction) ? whole : `${whole}${fraction}`;
}

describe('the held-out set', () => {
  it('answers every field on every page, in and out of stock, in several currencies', () => {
    const pages = Object.values(truth);
    expect(pages.length).toBeGreaterThanOrEqual(30);
    expect(pages.filter((p) => p.availability[0] === 'OutOfStock').length).toBeGreaterThanOrEqual(8);
    expect(new Set(pages.map((p) => p.currency[0])).size).toBeGreaterThanOrEqual(12);
  });

  // The answers are what the page shows: each price in the page (its text, scripts or attributes),
  // a SKU in the page or its URL (none for a page that shows no code of its own: a ticket, a
  // maker's shop without codes).
  it.each(Object.entries(truth))('%s shows its answers', (id, answer) => {
    const html = readFileSync(join(DIR, 'html', `${id}.html`), 'utf8');
    const shown = html.replace(/<[^>]*>/g, '').replace(/[.,'\s\u00a0\u202f]/g, '');
    // Or in an attribute's JSON (a theme's variants in `data-product_variations`).
    const attributes = html.replace(/[.,'\s\u00a0\u202f]/g, '');
    for (const price of answer.price)
      expect(shown.includes(digitsOf(price)) || attributes.includes(digitsOf(price)), price).toBe(true);
    if (answer.sku.length > 0)
      expect(answer.sku.some((sku) => html.includes(sku) || answer.url.includes(sku))).toBe(true);
  });
});
