import { load as parse5Load } from 'cheerio';
import type { Document } from 'domhandler';
import { describe, expect, it } from 'vitest';
import { rawProductSchema } from '../../core/product.ts';
import { parsePage } from './dom.ts';
import { cleanIdentifier, extractProduct, inCents, sameProduct } from './index.ts';
import { jsonLd, PAGE_URL } from './test-helpers.ts';

const url = PAGE_URL;

const kettleLd = {
  '@context': 'https://schema.org',
  '@type': 'Product',
  name: 'Steel Kettle',
  sku: 'K-17',
  brand: 'Boilex',
  offers: {
    '@type': 'Offer',
    price: '29.99',
    priceCurrency: 'EUR',
    availability: 'https://schema.org/InStock',
  },
};

const relatedCards = (n: number): string =>
  Array.from(
    { length: n },
    (_, i) => `<div class="card" itemscope itemtype="https://schema.org/Product">
      <a href="/p/${i}" itemprop="name">Mug number ${i}</a>
      <div itemprop="offers" itemscope itemtype="https://schema.org/Offer"><span class="price" itemprop="price" content="${i}.50">€ ${i},50</span></div>
    </div>`,
  ).join('\n');

describe('extractProduct', () => {
  it('merges per field: selectors, then JSON-LD, then microdata, then OpenGraph', () => {
    const html = `<html><head>
      <link rel="canonical" href="/products/kettle">
      <meta property="og:title" content="Steel Kettle | Shop">
      <meta property="og:image" content="https://shop.example/og.jpg">
      <meta property="og:description" content="From OpenGraph">
      </head><body>
      ${jsonLd(kettleLd)}
      <div itemscope itemtype="https://schema.org/Product"><span itemprop="name">Steel Kettle</span>
        <span itemprop="gtin13">4006381333931</span><span itemprop="sku">MICRO</span></div>
      <h1>Steel Kettle</h1><div class="main-price">€ 27,99</div>
    </body></html>`;
    const result = extractProduct({ url, html, rules: { selectors: { price: '.main-price' } } });
    expect(result.errors).toEqual([]);
    expect(result.product).toEqual({
      url,
      canonicalUrl: 'https://shop.example/products/kettle',
      title: 'Steel Kettle',
      description: 'From OpenGraph',
      brand: 'Boilex',
      sku: 'K-17',
      gtin: '4006381333931',
      price: '€ 27,99',
      currency: 'EUR',
      availability: 'https://schema.org/InStock',
      images: ['https://shop.example/og.jpg'],
      categoryPath: [],
      attributes: {},
    });
    expect(Object.keys(result.sources).sort()).toEqual([
      'canonical',
      'heuristics',
      'jsonld',
      'microdata',
      'opengraph',
      'selectors',
    ]);
  });

  it('uses only the selectors in mode "selectors"', () => {
    const html = `${jsonLd(kettleLd)}<h1 class="t">Operator title</h1><span class="sku">OP-1</span>`;
    const result = extractProduct({
      url,
      html,
      rules: { mode: 'selectors', selectors: { title: '.t', sku: '.sku' } },
    });
    expect(result.product).toMatchObject({ title: 'Operator title', sku: 'OP-1' });
    expect(result.product?.price).toBeUndefined();
    expect(result.sources.jsonld).toBeUndefined();
  });

  it('returns null for an article page without product data', () => {
    const html = `<html><head><title>Ten kettles reviewed</title>
      <meta property="og:title" content="Ten kettles reviewed"><meta property="og:type" content="article">
      ${jsonLd({ '@type': 'Article', headline: 'Ten kettles reviewed', author: 'Ann' })}</head>
      <body><h1>Ten kettles reviewed</h1><p>The best one costs € 29,99.</p></body></html>`;
    const result = extractProduct({ url, html, rules: {} });
    expect(result.product).toBeNull();
    expect(result.sources.fallback).toBeUndefined();
  });

  it('falls back to <h1>, then <title>, for the title only when there is product evidence', () => {
    const withH1 =
      '<head><title>Kettle – Shop</title><meta property="product:price:amount" content="5"></head><h1> Kettle  <small>2 l</small></h1>';
    expect(extractProduct({ url, html: withH1 }).product?.title).toBe('Kettle 2 l');
    const withTitle =
      '<head><title>Kettle – Shop</title><meta property="product:price:amount" content="5"></head>';
    const result = extractProduct({ url, html: withTitle });
    expect(result.product?.title).toBe('Kettle – Shop');
    expect(result.sources.fallback).toEqual({ title: 'Kettle – Shop' });
    expect(extractProduct({ url, html: '<title>Kettle</title><h1>Kettle</h1>' }).product).toBeNull();
  });

  it('still extracts from the other sources when JSON-LD is broken', () => {
    const html = `<script type="application/ld+json">{ "@type": "Product", "name": "Kettle", </script>
      <meta property="og:title" content="Kettle"><meta property="product:price:amount" content="12.00">
      <div itemscope itemtype="https://schema.org/Product"><span itemprop="name">Kettle</span><meta itemprop="sku" content="K"></div>`;
    const result = extractProduct({ url, html });
    expect(result.product).toMatchObject({ title: 'Kettle', price: '12.00', sku: 'K' });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/jsonld/);
  });

  it('takes the main product among several JSON-LD products', () => {
    const toaster = { ...kettleLd, name: 'Toaster', sku: 'T-1' };
    const html = `<h1>Steel Kettle</h1>${jsonLd(toaster, kettleLd)}`;
    expect(extractProduct({ url, html }).product?.sku).toBe('K-17');
    expect(extractProduct({ url, html: jsonLd(toaster, kettleLd) }).product?.sku).toBe('T-1');
  });

  it('keeps <script> in titles as text and never runs or drops it', () => {
    const escaped =
      '<h1>Kettle &lt;script&gt;alert(1)&lt;/script&gt;</h1><meta property="product:price:amount" content="5">';
    expect(extractProduct({ url, html: escaped }).product?.title).toBe('Kettle <script>alert(1)</script>');
    const inLd = jsonLd({ ...kettleLd, name: 'Kettle <script>alert(1)</script>' });
    expect(extractProduct({ url, html: inLd }).product?.title).toBe('Kettle <script>alert(1)</script>');
    const inTitle =
      '<title>Kettle <script>x()</script></title><meta property="product:price:amount" content="5">';
    expect(extractProduct({ url, html: inTitle }).product?.title).toBe('Kettle <script>x()</script>');
  });

  it('does not take related-product prices when structured data or selectors name the product', () => {
    const noPrice = { ...kettleLd, offers: undefined };
    const html = `<h1>Steel Kettle</h1>${jsonLd(noPrice)}<section>${relatedCards(3)}</section>`;
    const result = extractProduct({ url, html });
    expect(result.product).toMatchObject({ title: 'Steel Kettle', sku: 'K-17' });
    expect(result.product?.price).toBeUndefined();

    const withPrice = `<h1>Steel Kettle</h1>${jsonLd(kettleLd)}<section>${relatedCards(3)}</section>`;
    expect(extractProduct({ url, html: withPrice }).product?.price).toBe('29.99');

    const selectorsPage = `<h1>Steel Kettle</h1><section>${relatedCards(3)}</section><div class="buy"><span class="price">€ 19,99</span></div>`;
    const bySelectors = extractProduct({
      url,
      html: selectorsPage,
      rules: { mode: 'selectors', selectors: { title: 'h1', price: '.buy .price' } },
    });
    expect(bySelectors.product?.price).toBe('€ 19,99');
  });

  it('copes with unclosed and misnested tags', () => {
    const html = `<html><body><div class="product"><h1>Kettle <b>Pro</h1>
      <p>Price <span itemprop="price">12</p><table><tr><td>spec<div>
      ${jsonLd({ ...kettleLd, name: 'Kettle Pro' })}
      <ul><li>one<li>two`;
    const result = extractProduct({ url, html });
    expect(result.product).toMatchObject({ title: 'Kettle Pro', price: '29.99' });
  });

  it('handles a 5 MB page quickly and within the schema bounds', () => {
    const filler = relatedCards(6000);
    const html = `<html><head><title>${'Kettle '.repeat(1000)}</title>${jsonLd({
      ...kettleLd,
      name: 'Kettle '.repeat(1000),
      image: Array.from({ length: 500 }, (_, i) => `/img/${i}.jpg`),
    })}</head><body><h1>Kettle</h1>${filler}${'<p>lorem ipsum dolor sit amet</p>'.repeat(100_000)}</body></html>`;
    expect(html.length).toBeGreaterThan(5_000_000);
    // CPU time, not wall time: a guard against pathological (quadratic) work that holds on a
    // machine busy with other processes. Speed itself is measured by bench:extract.
    const started = process.cpuUsage();
    const result = extractProduct({ url, html });
    const { user, system } = process.cpuUsage(started);
    const elapsed = (user + system) / 1000;
    expect(result.product?.price).toBe('29.99');
    expect(result.product?.title).toHaveLength(2000);
    expect(result.product?.images).toHaveLength(100);
    expect(rawProductSchema.safeParse(result.product).success).toBe(true);
    expect(elapsed).toBeLessThan(5000);
  });

  it('accepts a document parsed by parse5 as well as by htmlparser2', () => {
    const html = `<h1>Steel Kettle</h1>${jsonLd(kettleLd)}`;
    expect(
      extractProduct({ url, html, document: parse5Load(html).root().get(0) as Document }).product,
    ).toMatchObject({
      title: 'Steel Kettle',
      price: '29.99',
    });
  });

  it('reads the rendered page, not a tree parsed from the served one', () => {
    const served = '<h1>Loading…</h1>';
    const rendered = `<h1>Steel Kettle</h1>${jsonLd(kettleLd)}`;
    const result = extractProduct({ url, html: served, document: parsePage(served), renderedHtml: rendered });
    expect(result.product).toMatchObject({ title: 'Steel Kettle', price: '29.99' });
  });

  it('reads nothing past the size limit, even from a tree the caller parsed whole', () => {
    const html = `<h1>Steel Kettle</h1><p>${'x'.repeat(10_000_000)}</p>${jsonLd(kettleLd)}`;
    const result = extractProduct({ url, html, document: parsePage(html) });
    expect(result.errors.join()).toMatch(/page truncated/);
    expect(result.product).toBeNull();
  });

  it('never throws: bad URL or bad input become errors', () => {
    const result = extractProduct({ url: 'not a url', html: jsonLd(kettleLd) });
    expect(result.product).toBeNull();
    expect(result.errors.join()).toMatch(/product rejected: url/);
    expect(extractProduct({ url, html: '' }).product).toBeNull();
    expect(extractProduct({ url, html: undefined as unknown as string }).product).toBeNull();
  });

  // Speed is measured by bench/extract.ts, not asserted by a timed test.
  it('extracts a typical 50 KB page with navigation and related products', () => {
    const html = `<html><head><title>Steel Kettle</title><meta property="og:title" content="Steel Kettle">
      ${jsonLd(kettleLd)}</head><body><nav>${'<a href="/c">Category</a>'.repeat(300)}</nav>
      <h1>Steel Kettle</h1>${relatedCards(80)}<footer>${'<p>Footer text about shipping.</p>'.repeat(300)}</footer></body></html>`;
    expect(html.length).toBeGreaterThan(40_000);
    const result = extractProduct({ url, html, document: parse5Load(html).root().get(0) as Document });
    expect(result.product?.title).toBe('Steel Kettle');
  });
});

describe('sameProduct', () => {
  it('matches names that differ by shop suffix or word order, not different products', () => {
    expect(sameProduct('Steel Kettle', 'Steel Kettle | Shop')).toBe(true);
    expect(sameProduct('Kettle, steel, 1.7 l', 'Steel kettle 1.7 l')).toBe(true);
    expect(sameProduct('Steel Kettle', 'Mug number 3')).toBe(false);
  });
});

describe('explanations and the confidence threshold', () => {
  const html = `<html><head><meta property="og:title" content="Steel Kettle">
    <meta property="product:price:amount" content="31.00"></head><body>
    ${jsonLd(kettleLd)}<h1>Steel Kettle</h1><p class="price"><del>€ 39,99</del> <span>€ 29,99</span></p>
    <button>Add to cart</button></body></html>`;

  it('reads a structured price in cents as the displayed price it equals', () => {
    const html = (price: string, state: number) =>
      `<html lang="en-IN"><h1>Steel Kettle 1.5 L</h1><p class="price">${price}</p><button>Add to cart</button>
      <script>window.__DATA__ = {"product":{"name":"Steel Kettle 1.5 L","sku":"SK-15","price":${state},"currency":"INR"}};</script></html>`;
    const at = 'https://www.shop.example.in/p/kettle';
    expect(extractProduct({ url: at, html: html('₹1,299', 129900) }).product?.price).toBe('₹1,299');
    expect(extractProduct({ url: at, html: html('₹12.50', 1250) }).product?.price).toBe('₹12.50');
    // A bare structured amount agreeing with the displayed one keeps the displayed currency marker.
    const peso = `<html lang="en"><h1>Rattan Basket</h1><p class="price">₱1,450.00</p><button>Add to cart</button>
      <script>var meta = {"product":{"variants":[{"id":1,"price":145000,"name":"Rattan Basket","sku":"HH-1"}]}};</script></html>`;
    const basket = extractProduct({ url: 'https://habi.example.ph/products/basket', html: peso }).product;
    expect(basket?.price).toBe('₱1,450.00');
    expect(inCents('12.5')).toBe('1250');
    expect(inCents('1299')).toBe('129900');
    expect(inCents('1.999')).toBeUndefined();
  });

  it('reads an identifier with words beside its code as that code', () => {
    const page = (id: string) =>
      `<div itemscope itemtype="https://schema.org/Product"><h1 itemprop="name">Montre Pro Trek</h1>
      <span itemprop="productID">${id}</span><span itemprop="price" content="259.00">259,00 €</span>
      <meta itemprop="priceCurrency" content="EUR"></div><button>Ajouter au panier</button>`;
    const at = 'https://www.shop.example/p-montre-pro-trek-304103-14347.html';
    expect(extractProduct({ url: at, html: page('Ca304103-0000 Montre') }).product?.sku).toBe(
      'Ca304103-0000',
    );
    expect(cleanIdentifier('Ref 4471-B Homme')).toBe('4471-B');
    expect(cleanIdentifier('AB 12 CD')).toBe('AB 12 CD');
    expect(cleanIdentifier('4006 381 333')).toBe('4006 381 333');
    expect(cleanIdentifier('Montre Connectée')).toBe('Montre Connectée');
    expect(cleanIdentifier('AB-12')).toBe('AB-12');
  });

  it('lists every candidate with its sources, confidences and why the winner won', () => {
    const { explanation, chosen } = extractProduct({ url, html, explain: true });
    const price = explanation?.fields.price;
    expect(price?.value).toBe('29.99');
    expect(price?.source).toBe(chosen.price?.source);
    expect(price?.candidates.map((c) => c.value)).toEqual(expect.arrayContaining(['29.99', '31.00']));
    const agreed = price?.candidates.find((c) => c.value === '29.99');
    expect(agreed?.sources).toEqual(expect.arrayContaining(['jsonld', 'heuristics']));
    expect(agreed?.notes.join(' ')).toContain('agree');
    expect(price?.why).toMatch(/highest confidence/);
    expect(price?.details?.some((d) => d.includes('crossed out'))).toBe(true);
  });

  it('explains nothing unless asked, so crawls pay nothing for it', () => {
    expect(extractProduct({ url, html }).explanation).toBeUndefined();
  });

  it('leaves a field empty below the site threshold, and says so', () => {
    const page = `<html><body><h1>Board</h1><div>Price: $148.00</div><button>Add to basket</button></body></html>`;
    const plain = extractProduct({ url, html: page });
    expect(plain.product?.price).toBe('Price: $148.00');
    const strict = extractProduct({
      url,
      html: page,
      rules: { minConfidence: { price: 0.95 } },
      explain: true,
    });
    expect(strict.product?.price).toBeUndefined();
    expect(strict.chosen.price).toBeUndefined();
    expect(strict.explanation?.fields.price?.why).toMatch(/below the site's threshold 0.95/);
    // One number applies to price, SKU, availability and the like, never to the title.
    const all = extractProduct({ url, html: page, rules: { minConfidence: 0.99 } });
    expect(all.product).toBeNull();
    expect(extractProduct({ url, html, rules: { minConfidence: 0.5 } }).product?.title).toBe('Steel Kettle');
  });
});
