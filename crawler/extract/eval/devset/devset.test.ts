import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEVSET_DIR, devsetFiles } from './build.ts';
import { money, truthOf } from './common.ts';
import { PAGES } from './pages.ts';

describe('the second development set', () => {
  it('is on disk as its specs make it (rebuild with build.ts)', () => {
    for (const [path, text] of devsetFiles()) expect(readFileSync(join(DEVSET_DIR, path), 'utf8')).toBe(text);
  });

  it('covers every platform the issue names, in and out of stock, in several currencies', () => {
    const families = new Set(PAGES.map((p) => p.family));
    for (const family of ['marketplace', 'shopify', 'magento', 'woocommerce', 'shopware', 'prestashop'])
      expect(families).toContain(family);
    for (const family of ['bigcommerce', 'sfcc', 'plain']) expect(families).toContain(family);
    expect(PAGES.filter((p) => !p.available).length).toBeGreaterThanOrEqual(8);
    expect(new Set(PAGES.map((p) => p.currency)).size).toBeGreaterThanOrEqual(10);
    expect(new Set(PAGES.map((p) => p.id)).size).toBe(PAGES.length);
  });

  // The answers are what the page shows: each price as the shop writes it, each SKU in the page or its URL.
  it.each(PAGES.map((p) => [p.id, p] as const))('%s shows its answers', (_, spec) => {
    const html = readFileSync(join(DEVSET_DIR, 'html', `${spec.id}.html`), 'utf8');
    const truth = truthOf(spec);
    const text = html.replace(/&nbsp;|\u00a0/g, ' ').replace(/&amp;/g, '&');
    for (const price of truth.price) {
      const shown = money(price, spec.format, { symbol: false }).replace(/\u00a0/g, ' ');
      expect(text).toContain(shown);
    }
    expect(truth.sku.some((sku) => html.includes(sku) || spec.url.includes(sku))).toBe(true);
  });
});
