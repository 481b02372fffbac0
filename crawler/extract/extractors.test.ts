import { describe, expect, it } from 'vitest';
import { extractHeuristics, urlIdentifier } from './heuristics.ts';
import { extractProduct } from './index.ts';
import { extractRdfa } from './rdfa.ts';
import { extractState, scriptJson } from './state.ts';
import { page } from './test-helpers.ts';
import type { ExtractorPage } from './types.ts';

const at = (html: string, url?: string): ExtractorPage => ({ ...page(html, url), rules: {} });
const values = (found: Record<string, { value: unknown } | undefined> | null) =>
  Object.fromEntries(Object.entries(found ?? {}).map(([k, v]) => [k, v?.value]));

describe('RDFa', () => {
  it('reads a schema.org Product written with typeof/property', () => {
    const html = `<div vocab="https://schema.org/" typeof="Product"><h1 property="name">Lamp</h1>
      <span property="sku">L-9</span><div property="offers" typeof="Offer">
      <span property="price" content="19.90">19,90 €</span><meta property="priceCurrency" content="EUR">
      <link property="availability" href="https://schema.org/OutOfStock"></div></div>`;
    expect(extractRdfa(page(html))).toMatchObject({
      title: 'Lamp',
      sku: 'L-9',
      price: '19.90',
      currency: 'EUR',
      availability: 'https://schema.org/OutOfStock',
    });
  });
});

describe('embedded state', () => {
  it('reads __NEXT_DATA__ and picks the product named like the heading', () => {
    const data = {
      props: {
        pageProps: {
          related: [{ name: 'Mug', price: 3, sku: 'M' }],
          product: {
            name: 'Blue Kettle',
            price: { amount: 29.5 },
            sku: 'BK-1',
            brand: { name: 'Boilex' },
            inStock: false,
          },
        },
      },
    };
    const html = `<h1>Blue Kettle</h1><script id="__NEXT_DATA__" type="application/json">${JSON.stringify(data)}</script>`;
    expect(values(extractState(at(html)))).toMatchObject({
      title: 'Blue Kettle',
      price: '29.5',
      sku: 'BK-1',
      brand: 'Boilex',
      availability: 'OutOfStock',
    });
  });

  it('reads Shopify product JSON in cents and JSON assigned in scripts', () => {
    const product = {
      title: 'Tea Tin',
      handle: 'tea-tin',
      vendor: 'Leaf',
      variants: [{ price: 1250, sku: 'TT-1', available: true }],
    };
    const shopify = `<h1>Tea Tin</h1><script type="application/json" data-product-json>${JSON.stringify(product)}</script>`;
    expect(values(extractState(at(shopify)))).toMatchObject({
      price: '12.50',
      sku: 'TT-1',
      brand: 'Leaf',
      availability: 'InStock',
    });
    const assigned = `<h1>Tea Tin</h1><script>window.dataLayer = window.dataLayer || []; var product = {"productName":"Tea Tin","salePrice":"9.99","articleNumber":"A-77"};</script>`;
    expect(values(extractState(at(assigned)))).toMatchObject({ price: '9.99', sku: 'A-77' });
  });

  it('survives broken and truncated JSON', () => {
    expect(scriptJson('var x = {"a": [1, 2, {"b": }; var y = {"name": "Ok", "price": 1}')).toEqual([
      { name: 'Ok', price: 1 },
    ]);
    expect(
      extractState(at('<script>var p = {"name": "X", "price": '.concat('1'.repeat(10), '</script>'))),
    ).toBeNull();
  });
});

describe('page heuristics', () => {
  const shop = (extra = '') => `<html><body><nav><span class="price">€ 1,00</span></nav>
    <h1>Garden Chair</h1><div class="price-box"><del class="price">€ 59,00</del>
    <span class="price special">€ 49,00</span></div>
    <p>Art.-Nr.: GC-2041</p><p>EAN: 4006381333931</p>
    <button class="add-to-cart" ${extra}>In den Warenkorb</button>
    <section class="related-products"><span class="price">€ 9,99</span></section>
    <ol class="breadcrumb"><li><a href="/">Home</a></li><li><a href="/garden">Garden</a></li><li><a href="/garden/chairs">Chairs</a></li></ol>
    </body></html>`;

  it('takes the current price beside the heading, not the crossed-out or a related one', () => {
    const found = values(extractHeuristics(at(shop())));
    expect(found).toMatchObject({
      title: 'Garden Chair',
      price: '€ 49,00',
      sku: 'GC-2041',
      gtin: '4006381333931',
      availability: 'InStock',
      categoryPath: ['Garden', 'Chairs'],
    });
  });

  it('reads a disabled buy button as out of stock', () => {
    expect(values(extractHeuristics(at(shop('disabled')))).availability).toBe('OutOfStock');
  });

  it('reads labels in other languages and identifiers in URLs', () => {
    expect(values(extractHeuristics(at('<h1>時計</h1><p>型番：PRW-3100Y</p>'))).sku).toBe('PRW-3100Y');
    expect(values(extractHeuristics(at('<h1>Mesa</h1><p>Código: 55-901</p>'))).sku).toBe('55-901');
    expect(
      values(extractHeuristics(at('<h1>Mesa</h1><p>Référence Montre Connectée</p>'))).sku,
    ).toBeUndefined();
    expect(urlIdentifier('https://shop.example/itm/302474151804')).toBe('302474151804');
    expect(urlIdentifier('https://shop.example/p/chair-1234567.html')).toBe('1234567');
    expect(urlIdentifier('https://shop.example/store/1?pid=260591')).toBe('260591');
  });

  it('scores below structured data, so JSON-LD wins a conflict', () => {
    const html = `${shop()}<script type="application/ld+json">{"@type":"Product","name":"Garden Chair","offers":{"price":"45.00","priceCurrency":"EUR"}}</script>`;
    const result = extractProduct({ url: 'https://shop.example/chair', html });
    expect(result.product?.price).toBe('45.00');
    expect(result.chosen.price?.source).toBe('jsonld');
    expect(result.product?.sku).toBe('GC-2041');
  });

  it('copes with huge pages and several products', () => {
    const cards = Array.from(
      { length: 3000 },
      (_, i) =>
        `<div class="product-card"><a href="/p/${i}">Item ${i}</a><span class="price">€ ${i},00</span></div>`,
    ).join('');
    const html = `<h1>Main</h1><span class="price">€ 5,00</span><button>Add to cart</button><div class="related">${cards}</div><div><div><div>`;
    const started = performance.now();
    const found = values(extractHeuristics(at(html)));
    expect(performance.now() - started).toBeLessThan(500);
    expect(found.price).toBe('€ 5,00');
  });
});
