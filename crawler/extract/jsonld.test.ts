import { describe, expect, it } from 'vitest';
import { extractJsonLd } from './jsonld.ts';
import { jsonLd, PAGE_URL, page } from './test-helpers.ts';

const kettle = {
  '@context': 'https://schema.org',
  '@type': 'Product',
  name: 'Steel Kettle 1.7 l',
  description: '<p>Boils fast.</p>',
  brand: { '@type': 'Brand', name: 'Boilex' },
  sku: 'K-17',
  gtin13: '4006381333931',
  image: ['/img/kettle.jpg', 'https://cdn.example/kettle-2.jpg'],
  offers: {
    '@type': 'Offer',
    price: '29.99',
    priceCurrency: 'EUR',
    availability: 'https://schema.org/InStock',
  },
};

describe('extractJsonLd', () => {
  it('reads a product with offer, brand object, images and gtin', () => {
    const fields = extractJsonLd(page(jsonLd(kettle)));
    expect(fields).toEqual({
      title: 'Steel Kettle 1.7 l',
      description: '<p>Boils fast.</p>',
      brand: 'Boilex',
      sku: 'K-17',
      gtin: '4006381333931',
      price: '29.99',
      currency: 'EUR',
      availability: 'https://schema.org/InStock',
      images: ['https://shop.example/img/kettle.jpg', 'https://cdn.example/kettle-2.jpg'],
    });
  });

  it('returns null for pages without JSON-LD or with only non-product data', () => {
    expect(extractJsonLd(page('<h1>Hello</h1>'))).toBeNull();
    const article = { '@type': 'NewsArticle', headline: 'Kettles are back', author: { name: 'Ann' } };
    expect(extractJsonLd(page(jsonLd(article)))).toBeNull();
  });

  it('follows @graph, @id references and mainEntity', () => {
    const graph = {
      '@context': 'https://schema.org',
      '@graph': [
        {
          '@type': 'WebPage',
          '@id': '#page',
          mainEntity: { '@id': '#product' },
          breadcrumb: { '@id': '#crumbs' },
        },
        {
          '@type': 'Product',
          '@id': '#product',
          name: 'Kettle',
          offers: { '@id': '#offer' },
          brand: { '@id': '#brand' },
        },
        { '@type': 'Offer', '@id': '#offer', price: 19, priceCurrency: 'GBP', availability: 'OutOfStock' },
        { '@type': 'Brand', '@id': '#brand', name: 'Boilex' },
        {
          '@type': 'BreadcrumbList',
          '@id': '#crumbs',
          itemListElement: [
            { '@type': 'ListItem', position: 1, name: 'Home', item: 'https://shop.example/' },
            { '@type': 'ListItem', position: 2, name: 'Kitchen', item: 'https://shop.example/kitchen' },
          ],
        },
      ],
    };
    expect(extractJsonLd(page(jsonLd(graph)))).toMatchObject({
      title: 'Kettle',
      price: '19',
      currency: 'GBP',
      availability: 'OutOfStock',
      brand: 'Boilex',
      categoryPath: ['Kitchen'],
    });
  });

  it('handles a top-level array and string brand', () => {
    const fields = extractJsonLd(
      page(
        jsonLd([
          { '@type': 'Organization', name: 'Shop' },
          { ...kettle, brand: 'Acme' },
        ]),
      ),
    );
    expect(fields?.brand).toBe('Acme');
    expect(fields?.title).toBe('Steel Kettle 1.7 l');
  });

  it('takes the in-stock offer among several, and lowPrice of an AggregateOffer', () => {
    const offers = [
      {
        '@type': 'Offer',
        price: '10.00',
        priceCurrency: 'EUR',
        availability: 'http://schema.org/OutOfStock',
      },
      { '@type': 'Offer', price: '11.00', priceCurrency: 'EUR', availability: 'http://schema.org/InStock' },
    ];
    expect(extractJsonLd(page(jsonLd({ ...kettle, offers })))).toMatchObject({
      price: '11.00',
      availability: 'http://schema.org/InStock',
    });
    const aggregate = {
      '@type': 'AggregateOffer',
      lowPrice: 5.5,
      highPrice: 9,
      priceCurrency: 'USD',
      offerCount: 3,
    };
    expect(extractJsonLd(page(jsonLd({ ...kettle, offers: aggregate })))).toMatchObject({
      price: '5.5',
      currency: 'USD',
    });
  });

  it('reads priceSpecification, skipping the list price', () => {
    const offers = {
      '@type': 'Offer',
      priceSpecification: [
        {
          '@type': 'UnitPriceSpecification',
          priceType: 'https://schema.org/ListPrice',
          price: 49,
          priceCurrency: 'EUR',
        },
        { '@type': 'UnitPriceSpecification', price: 39, priceCurrency: 'EUR' },
      ],
    };
    expect(extractJsonLd(page(jsonLd({ ...kettle, offers })))).toMatchObject({
      price: '39',
      currency: 'EUR',
    });
  });

  it('reads "." as the decimal point of structured prices, as schema.org requires', () => {
    const offers = { '@type': 'Offer', price: '24.990', priceCurrency: 'CLP' };
    expect(extractJsonLd(page(jsonLd({ ...kettle, offers })))?.price).toBe('24.99');
    const three = { '@type': 'Offer', price: '1.125', priceCurrency: 'KWD' };
    expect(extractJsonLd(page(jsonLd({ ...kettle, offers: three })))?.price).toBe('1.1250');
  });

  it("takes a ProductGroup's variant offer when the group has none, preferring the page's variant", () => {
    const group = {
      '@type': 'ProductGroup',
      name: 'T-shirt',
      productGroupID: 'TS',
      brand: { '@type': 'Brand', name: 'Cotton Co' },
      hasVariant: [
        {
          '@type': 'Product',
          sku: 'TS-S',
          url: 'https://shop.example/ts?size=s',
          offers: { price: '9.00', priceCurrency: 'EUR' },
        },
        {
          '@type': 'Product',
          sku: 'TS-M',
          url: 'https://shop.example/ts?size=m',
          offers: { price: '10.00', priceCurrency: 'EUR' },
        },
      ],
    };
    expect(extractJsonLd(page(jsonLd(group), 'https://shop.example/other'))).toMatchObject({
      title: 'T-shirt',
      price: '9.00',
      sku: 'TS-S',
    });
    expect(extractJsonLd(page(jsonLd(group), 'https://shop.example/ts?size=m'))).toMatchObject({
      price: '10.00',
      sku: 'TS-M',
    });
  });

  it('reads images as ImageObject and gtin from other keys', () => {
    const product = {
      ...kettle,
      gtin13: undefined,
      gtin: '0012345678905',
      image: { '@type': 'ImageObject', url: 'a.png' },
    };
    expect(extractJsonLd(page(jsonLd(product)))).toMatchObject({
      gtin: '0012345678905',
      images: ['https://shop.example/products/a.png'],
    });
  });

  it('turns BreadcrumbList into a category path without home and the product itself, in position order', () => {
    const crumbs = {
      '@type': 'BreadcrumbList',
      itemListElement: [
        {
          '@type': 'ListItem',
          position: 3,
          item: { '@id': 'https://shop.example/kitchen/kettles', name: 'Kettles' },
        },
        { '@type': 'ListItem', position: 1, item: { '@id': 'https://shop.example/', name: 'Startseite' } },
        { '@type': 'ListItem', position: 2, name: 'Kitchen', item: 'https://shop.example/kitchen' },
        { '@type': 'ListItem', position: 4, name: 'Steel Kettle 1.7 l' },
      ],
    };
    expect(extractJsonLd(page(jsonLd(kettle, crumbs)))?.categoryPath).toEqual(['Kitchen', 'Kettles']);
  });

  it('skips broken blocks, reports them and keeps the others', () => {
    const input = page(
      `<script type="application/ld+json">{"@type": "Product", "name": </script>${jsonLd(kettle)}`,
    );
    expect(extractJsonLd(input)?.title).toBe('Steel Kettle 1.7 l');
    expect(input.errors).toHaveLength(1);
    expect(input.errors[0]).toMatch(/^jsonld: block 1 is not valid JSON/);
  });

  it('repairs raw newlines, trailing commas and comment wrappers', () => {
    const sloppy = `<!--{"@type": "Product", "name": "Two\nlines", "sku": "X1", "offers": {"price": "5",},}-->`;
    const input = page(jsonLd(sloppy));
    expect(extractJsonLd(input)).toMatchObject({ title: 'Two lines', sku: 'X1', price: '5' });
    expect(input.errors).toEqual([]);
  });

  it('takes the product named like the h1 among several, else the first', () => {
    const other = { ...kettle, name: 'Toaster', sku: 'T-1' };
    expect(extractJsonLd(page(`<h1>Steel Kettle 1.7 l</h1>${jsonLd(other, kettle)}`))?.sku).toBe('K-17');
    expect(extractJsonLd(page(`<h1>Something else</h1>${jsonLd(other, kettle)}`))?.sku).toBe('T-1');
  });

  it('does not take prices of related products', () => {
    const product = {
      '@type': 'Product',
      name: 'Kettle',
      sku: 'K',
      isRelatedTo: [{ '@type': 'Product', name: 'Mug', offers: { price: '3.00', priceCurrency: 'EUR' } }],
    };
    const fields = extractJsonLd(page(jsonLd(product)));
    expect(fields?.price).toBeUndefined();
    expect(fields?.title).toBe('Kettle');
  });

  it('decodes entities in names but keeps markup-like text as text', () => {
    const product = { ...kettle, name: 'Elo&iacute;sa &lt;script&gt;alert(1)&lt;/script&gt; <b>' };
    expect(extractJsonLd(page(jsonLd(product)))?.title).toBe('Eloísa <script>alert(1)</script> <b>');
  });

  it('uses a structured page URL match for the main product when no h1 helps', () => {
    const a = { ...kettle, sku: 'A', url: 'https://shop.example/a' };
    const b = { ...kettle, sku: 'B', url: PAGE_URL };
    expect(extractJsonLd(page(jsonLd(a, b)))?.sku).toBe('B');
  });
});
