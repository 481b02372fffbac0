import { describe, expect, it } from 'vitest';
import { normalisedProductSchema, type RawProduct, rawProductSchema } from '../../core/product.ts';
import { normaliseProduct, toStoredDecimal } from './index.ts';

const raw = (fields: Partial<RawProduct>): RawProduct =>
  rawProductSchema.parse({ url: 'https://shop.example/p/kettle?ref=home', title: 'Kettle', ...fields });

describe('normaliseProduct', () => {
  it('normalises every field and passes the schema', () => {
    const product = normaliseProduct(
      raw({
        canonicalUrl: 'https://shop.example/p/kettle',
        title: '  Steel \n Kettle  ',
        description: '<p onclick="x()">Boils <b>fast</b></p><script>x()</script>',
        brand: ' Boilex ',
        sku: ' K-17 ',
        gtin: '4006381333931',
        price: '1.299,00 €',
        availability: 'http://schema.org/InStock',
        images: [
          '/img/a.jpg',
          'https://cdn.example/b.jpg',
          '/img/a.jpg',
          'data:image/png;base64,AA',
          'javascript:alert(1)',
        ],
        categoryPath: [' Kitchen ', 'Kitchen', '', 'Kettles'],
        attributes: { color: ' red ', empty: ' ' },
      }),
    );
    expect(product).toEqual({
      url: 'https://shop.example/p/kettle',
      title: 'Steel Kettle',
      description: '<p>Boils <b>fast</b></p>',
      brand: 'Boilex',
      sku: 'K-17',
      gtin: '4006381333931',
      price: '1299.00',
      currency: 'EUR',
      availability: 'InStock',
      images: ['https://shop.example/img/a.jpg', 'https://cdn.example/b.jpg'],
      categoryPath: ['Kitchen', 'Kettles'],
      attributes: { color: 'red' },
    });
    expect(normalisedProductSchema.safeParse(product).success).toBe(true);
  });

  it('reads a shared symbol by the currency code written beside it', () => {
    expect(normaliseProduct(raw({ price: '$49.95 CAD' }))).toMatchObject({ price: '49.95', currency: 'CAD' });
    expect(normaliseProduct(raw({ price: '$49.95' }))?.currency).toBe('USD');
    expect(normaliseProduct(raw({ price: '$49.95 CAD', currency: 'AUD' }))?.currency).toBe('AUD');
  });

  it('returns null without a title', () => {
    expect(normaliseProduct(raw({ title: undefined }))).toBeNull();
    expect(normaliseProduct(raw({ title: ' \n ' }))).toBeNull();
  });

  it('takes the canonical URL only when it is absolute http(s) on the same host', () => {
    const url = 'https://shop.example/p/kettle?ref=home';
    expect(normaliseProduct(raw({ canonicalUrl: 'https://other.example/kettle' }))?.url).toBe(url);
    expect(normaliseProduct(raw({ canonicalUrl: '/p/kettle' }))?.url).toBe(url);
    expect(normaliseProduct(raw({ canonicalUrl: 'ftp://shop.example/x' }))?.url).toBe(url);
    expect(normaliseProduct(raw({ canonicalUrl: 'https://SHOP.example/k' }))?.url).toBe(
      'https://shop.example/k',
    );
  });

  it('resolves images against the canonical URL and keeps at most 20', () => {
    const images = Array.from({ length: 30 }, (_, i) => `img/${i}.jpg`);
    const product = normaliseProduct(raw({ canonicalUrl: 'https://shop.example/c/kettle', images }));
    expect(product?.images).toHaveLength(20);
    expect(product?.images[0]).toBe('https://shop.example/c/img/0.jpg');
  });

  it('takes the currency from the currency field first, then the price text, then the option', () => {
    expect(normaliseProduct(raw({ price: '12.50 €', currency: 'USD' }))?.currency).toBe('USD');
    expect(normaliseProduct(raw({ price: '12.50', currency: '€' }))?.currency).toBe('EUR');
    expect(normaliseProduct(raw({ price: '12.50', currency: 'https://schema.org/GBP' }))?.currency).toBe(
      'GBP',
    );
    expect(normaliseProduct(raw({ price: '12.50 €' }))?.currency).toBe('EUR');
    expect(normaliseProduct(raw({ price: '12.50' }), { currency: 'CHF' })?.currency).toBe('CHF');
    expect(normaliseProduct(raw({ price: '$12.50' }), { currency: 'CAD' })?.currency).toBe('CAD');
    expect(normaliseProduct(raw({ price: '12.50' }))?.currency).toBeNull();
  });

  it('stores no price when there is none or it does not fit', () => {
    expect(normaliseProduct(raw({ price: 'Call us' }))?.price).toBeNull();
    expect(normaliseProduct(raw({}))?.price).toBeNull();
    expect(normaliseProduct(raw({ price: '123456789012' }))?.price).toBeNull();
    expect(normaliseProduct(raw({ price: '1.11000000000000009770' }))?.price).toBe('1.1100');
  });

  it('maps availability, drops invalid gtins and caps the title', () => {
    const product = normaliseProduct(
      raw({ availability: 'Ausverkauft', gtin: '123', title: 'x'.repeat(1500) }),
    );
    expect(product?.availability).toBe('OutOfStock');
    expect(product?.gtin).toBeNull();
    expect(product?.title).toHaveLength(1000);
    expect(normaliseProduct(raw({}))?.availability).toBe('Unknown');
  });

  it('keeps script-like text in the title as text', () => {
    expect(normaliseProduct(raw({ title: 'Kettle <script>alert(1)</script>' }))?.title).toBe(
      'Kettle <script>alert(1)</script>',
    );
  });
});

describe('toStoredDecimal', () => {
  it('rounds half up past 4 decimals on the digits', () => {
    expect(toStoredDecimal('1.23455')).toBe('1.2346');
    expect(toStoredDecimal('9.99995')).toBe('10.0000');
    expect(toStoredDecimal('0.00004')).toBe('0.0000');
    expect(toStoredDecimal('1299.00')).toBe('1299.00');
    expect(toStoredDecimal('9999999999.99999')).toBeNull();
    expect(toStoredDecimal('abc')).toBeNull();
    expect(toStoredDecimal(null)).toBeNull();
  });
});
