import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIR = fileURLToPath(new URL('.', import.meta.url));
const truth = JSON.parse(readFileSync(join(DIR, 'ground-truth.json'), 'utf8')) as Record<
  string,
  { url: string; price: string[]; sku: string[]; availability: string[]; currency: string[] }
>;

/** The digits of an amount as a page may group them: 2449 → 2,449 / 2.449 / 2 449. */
function shownDigits(price: string): RegExp {
  const [whole = '', fraction = ''] = price.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '[.,  ]?');
  const cents = fraction && !/^0+$/.test(fraction) ? `[.,]?(<sup[^>]*>)?${fraction}` : '';
  return new RegExp(`${grouped}${cents}`);
}

describe('the held-out set', () => {
  it('answers every field on every page, in and out of stock, in several currencies', () => {
    const pages = Object.values(truth);
    expect(pages.length).toBeGreaterThanOrEqual(30);
    expect(pages.filter((p) => p.availability[0] === 'OutOfStock').length).toBeGreaterThanOrEqual(8);
    expect(new Set(pages.map((p) => p.currency[0])).size).toBeGreaterThanOrEqual(12);
  });

  // The answers are what the page shows: each price in the page, each SKU in the page or its URL.
  it.each(Object.entries(truth))('%s shows its answers', (id, answer) => {
    const html = readFileSync(join(DIR, 'html', `${id}.html`), 'utf8');
    for (const price of answer.price) expect(html).toMatch(shownDigits(price));
    expect(answer.sku.some((sku) => html.includes(sku) || answer.url.includes(sku))).toBe(true);
  });
});
