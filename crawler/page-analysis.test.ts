import { describe, expect, it } from 'vitest';
import { loadExtractors } from './extract/index.ts';
import { analysePage } from './page-analysis.ts';

const html = `<html><head><base href="https://shop.test/catalog/"><script type="application/ld+json">${JSON.stringify(
  {
    '@type': 'Product',
    name: 'Sound Kettle',
    sku: 'K-1',
    offers: { price: '19.90', priceCurrency: 'EUR' },
  },
)}</script></head><body><h1>Sound Kettle</h1><a href="mugs">Mugs</a><a href="/p/2#top">Next</a></body></html>`;

describe('analysePage', () => {
  it('reads the links and the product of a product page from one parse', async () => {
    const read = analysePage({
      url: 'https://shop.test/p/1',
      html,
      rules: {},
      extractors: await loadExtractors({}),
    });
    expect(read.links).toEqual(['https://shop.test/catalog/mugs', 'https://shop.test/p/2#top']);
    expect(read.product).toMatchObject({
      title: 'Sound Kettle',
      sku: 'K-1',
      price: '19.90',
      currency: 'EUR',
    });
  });

  it('reads only the links of a page given no extractors', () => {
    const read = analysePage({ url: 'https://shop.test/', html, rules: {} });
    expect(read.product).toBeNull();
    expect(read.links).toHaveLength(2);
  });
});
