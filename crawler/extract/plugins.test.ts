import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInExtractors, extractProduct, loadExtractors } from './index.ts';
import { jsonLd } from './test-helpers.ts';
import type { Extractor } from './types.ts';

const url = 'https://shop.example/p/1';
const html = `<html><body><h1>Kettle</h1>${jsonLd({
  '@type': 'Product',
  name: 'Kettle',
  sku: 'K-1',
  offers: { price: '10.00', priceCurrency: 'EUR' },
})}</body></html>`;

describe('extractor plugins', () => {
  it('a throwing plugin is recorded and the others still run', () => {
    const broken: Extractor = {
      name: 'broken',
      extract: () => {
        throw new Error('boom');
      },
    };
    const brand: Extractor = {
      name: 'brand',
      extract: () => ({ brand: { value: 'Boilex', confidence: 0.5 } }),
    };
    const result = extractProduct({ url, html, extractors: [...builtInExtractors(), broken, brand] });
    expect(result.errors).toEqual(['broken: boom']);
    expect(result.product?.brand).toBe('Boilex');
  });

  it('gives plugins the parsed page and Cheerio over that same tree', () => {
    const seen: unknown[] = [];
    const reader: Extractor = {
      name: 'reader',
      extract: (page) => {
        const first = page.$;
        // Built once per page: a second read returns the same instance.
        seen.push(first.root().get(0) === page.document, page.$ === first, first('h1').text());
        return { brand: { value: page.$('h1').text(), confidence: 0.5 } };
      },
    };
    const result = extractProduct({ url, html, extractors: [...builtInExtractors(), reader] });
    expect(seen).toEqual([true, true, 'Kettle']);
    expect(result.product?.brand).toBe('Kettle');
  });

  it('merges by confidence, ties going to the lower precedence', () => {
    const high: Extractor = {
      name: 'high',
      precedence: 80,
      extract: () => ({ price: { value: '12.00', confidence: 0.95 } }),
    };
    const low: Extractor = {
      name: 'low',
      precedence: 5,
      extract: () => ({ price: { value: '13.00', confidence: 0.95 } }),
    };
    const result = extractProduct({ url, html: '<h1>Kettle</h1>', extractors: [high, low] });
    expect(result.product?.price).toBe('13.00');
    expect(result.chosen.price?.source).toBe('low');
  });

  it('ignores malformed plugin output', () => {
    const odd: Extractor = {
      name: 'odd',
      extract: () => ({
        price: '5' as never,
        sku: { value: 'X', confidence: Number.NaN },
        title: { value: 'T', confidence: 2 },
      }),
    };
    const result = extractProduct({ url, html: '', extractors: [odd] });
    expect(result.scored.odd).toEqual({
      sku: { value: 'X', confidence: 0 },
      title: { value: 'T', confidence: 1 },
    });
  });

  it('a plugin that cannot be loaded reports on every page; missing and invalid modules', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trawl-plugin-'));
    writeFileSync(join(dir, 'index.mjs'), 'export default { nope: true };');
    const extractors = await loadExtractors({
      plugins: [dir, './no/such/plugin', 'trawl-plugin-does-not-exist'],
    });
    const result = extractProduct({ url, html, extractors });
    expect(result.product?.sku).toBe('K-1');
    expect(result.errors).toHaveLength(3);
    expect(result.errors[0]).toMatch(/does not export an extractor/);
    expect(result.errors[1]).toMatch(/not found/);
  });

  it('loads a plugin package folder with a package.json main', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trawl-plugin-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', main: 'main.mjs' }));
    writeFileSync(
      join(dir, 'main.mjs'),
      'export const extractors = [{ name: "gtin", extract: () => ({ gtin: { value: "4006381333931", confidence: 0.99 } }) }];',
    );
    const extractors = await loadExtractors({ mode: 'selectors', plugins: [dir] });
    expect(extractors.map((e) => e.name)).toEqual(['selectors', 'canonical', 'gtin']);
    const result = extractProduct({ url, html, extractors });
    expect(result.product).toBeNull(); // no title in selectors mode, only a GTIN
    expect(result.sources.gtin).toEqual({ gtin: '4006381333931' });
  });
});
