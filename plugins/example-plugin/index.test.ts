import { describe, expect, it } from 'vitest';
import { extractProduct, loadExtractors } from '../../crawler/extract/index.ts';

const page = `<html><head>
  <meta name="twitter:label1" content="Price"><meta name="twitter:data1" content="€ 24,95">
  <meta name="twitter:label2" content="Availability"><meta name="twitter:data2" content="Sold out">
  <meta property="og:title" content="Blue Teapot">
</head><body><h1>Blue Teapot</h1></body></html>`;

describe('example plugin', () => {
  it('loads through the site rules and its fields merge into the product', async () => {
    const rules = { plugins: ['./plugins/example-plugin'] };
    const extractors = await loadExtractors(rules);
    expect(extractors.map((e) => e.name)).toContain('twitter-cards');
    // Cached: the same module objects come back.
    expect((await loadExtractors(rules)).at(-1)).toBe(extractors.at(-1));
    const result = extractProduct({ url: 'https://shop.example/teapot', html: page, rules, extractors });
    expect(result.errors).toEqual([]);
    expect(result.product?.price).toBe('€ 24,95');
    expect(result.product?.availability).toBe('Sold out');
    expect(result.chosen.price).toEqual({ source: 'twitter-cards', confidence: 0.7 });
    expect(result.scored['twitter-cards']?.price?.confidence).toBe(0.7);
  });
});
