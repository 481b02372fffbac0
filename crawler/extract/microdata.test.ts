import { describe, expect, it } from 'vitest';
import { extractMicrodata, microdataItems } from './microdata.ts';
import { page } from './test-helpers.ts';

const product = `
<div itemscope itemtype="https://schema.org/Product">
  <h1 itemprop="name">Steel   Kettle</h1>
  <img itemprop="image" src="data:image/gif;base64,R0lGOD" data-src="/img/kettle.jpg">
  <div itemprop="brand" itemscope itemtype="https://schema.org/Brand"><span itemprop="name">Boilex</span></div>
  <meta itemprop="sku" content="K-17">
  <span itemprop="gtin13">4006381333931</span>
  <p itemprop="description">Boils <b>fast</b>.</p>
  <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
    <span itemprop="price" content="1299.00">1.299,00 €</span>
    <meta itemprop="priceCurrency" content="EUR">
    <link itemprop="availability" href="https://schema.org/InStock">In stock
  </div>
</div>`;

describe('extractMicrodata', () => {
  it('reads a product with nested offer and brand, price from content before text', () => {
    expect(extractMicrodata(page(product))).toEqual({
      title: 'Steel Kettle',
      description: 'Boils fast.',
      brand: 'Boilex',
      sku: 'K-17',
      gtin: '4006381333931',
      price: '1299.00',
      currency: 'EUR',
      availability: 'https://schema.org/InStock',
      images: ['https://shop.example/img/kettle.jpg'],
    });
  });

  it('reads the price text when there is no content attribute', () => {
    const html = `<div itemscope itemtype="http://schema.org/Product"><span itemprop="name">Mug</span>
      <div itemprop="offers" itemscope itemtype="http://schema.org/Offer"><span itemprop="price">€ 4,50</span>
      <span itemprop="availability">Out of stock</span></div></div>`;
    expect(extractMicrodata(page(html))).toMatchObject({
      title: 'Mug',
      price: '€ 4,50',
      availability: 'Out of stock',
    });
  });

  it('returns null without microdata products or breadcrumbs', () => {
    expect(extractMicrodata(page('<p>No items</p>'))).toBeNull();
    expect(
      extractMicrodata(
        page('<div itemscope itemtype="https://schema.org/Person"><span itemprop="name">Ann</span></div>'),
      ),
    ).toBeNull();
  });

  it('keeps related products (their own items) out of the main product', () => {
    const html = `
      <div itemscope itemtype="https://schema.org/Product">
        <span itemprop="name">Kettle</span><meta itemprop="sku" content="K">
        <div class="related">
          <div itemscope itemtype="https://schema.org/Product"><span itemprop="name">Mug</span>
            <div itemprop="offers" itemscope itemtype="https://schema.org/Offer"><span itemprop="price">3.00</span></div>
          </div>
          <div itemprop="isRelatedTo" itemscope itemtype="https://schema.org/Product"><span itemprop="name">Cup</span>
            <div itemprop="offers" itemscope itemtype="https://schema.org/Offer"><span itemprop="price">2.00</span></div>
          </div>
        </div>
      </div>`;
    const fields = extractMicrodata(page(`<h1>Kettle</h1>${html}`));
    expect(fields?.title).toBe('Kettle');
    expect(fields?.sku).toBe('K');
    expect(fields?.price).toBeUndefined();
  });

  it('finds the product as mainEntity of a page item, and reads BreadcrumbList', () => {
    const html = `
      <body itemscope itemtype="https://schema.org/WebPage">
        <ol itemprop="breadcrumb" itemscope itemtype="https://schema.org/BreadcrumbList">
          <li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem">
            <a itemprop="item" href="/"><span itemprop="name">Home</span></a><meta itemprop="position" content="1"></li>
          <li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem">
            <a itemprop="item" href="/kitchen"><span itemprop="name">Kitchen</span></a><meta itemprop="position" content="2"></li>
          <li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem">
            <span itemprop="name">Kettle</span><meta itemprop="position" content="3"></li>
        </ol>
        <main itemprop="mainEntity" itemscope itemtype="https://schema.org/Product">
          <h1 itemprop="name">Kettle</h1>
          <span itemprop="offers" itemscope itemtype="https://schema.org/Offer"><meta itemprop="price" content="20"></span>
        </main>
      </body>`;
    expect(extractMicrodata(page(html))).toMatchObject({
      title: 'Kettle',
      price: '20',
      categoryPath: ['Kitchen'],
    });
  });

  it('reads data-vocabulary breadcrumbs', () => {
    const html = `
      <div itemscope itemtype="http://data-vocabulary.org/Breadcrumb"><a href="/" itemprop="url"><span itemprop="title">Home</span></a></div>
      <div itemscope itemtype="http://data-vocabulary.org/Breadcrumb"><a href="/garden" itemprop="url"><span itemprop="title">Garden</span></a></div>
      <div itemscope itemtype="http://schema.org/Product"><span itemprop="name">Hose</span><meta itemprop="sku" content="H"></div>`;
    expect(extractMicrodata(page(html))).toMatchObject({ title: 'Hose', categoryPath: ['Garden'] });
  });

  it('walks deeply nested pages without recursion', () => {
    const depth = 20_000;
    const html = `${'<div>'.repeat(depth)}<div itemscope itemtype="https://schema.org/Product"><span itemprop="name">Deep</span><meta itemprop="sku" content="D"></div>`;
    const input = page(html);
    expect(microdataItems(input.document)).toHaveLength(1);
    expect(extractMicrodata(input)).toMatchObject({ title: 'Deep', sku: 'D' });
  });
});
