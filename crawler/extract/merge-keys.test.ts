import { describe, expect, it } from 'vitest';
import { extractProduct } from './index.ts';
import { urlSibling } from './merge-keys.ts';
import { jsonLd } from './test-helpers.ts';

describe('urlSibling', () => {
  it('finds the variant code the URL names beside a default variant’s code', () => {
    expect(urlSibling('HV4418-001', 'https://shop.example/fr/t/pacer-9-Qm7xKp/HV4418-102')).toBe(
      'HV4418-102',
    );
    expect(urlSibling('1245678001', 'https://shop.example/pl_pl/productpage.1245678003.html')).toBe(
      '1245678003',
    );
  });

  it('finds none when the URL holds the code itself, or only codes that merely look alike', () => {
    expect(urlSibling('HV4418-102', 'https://shop.example/t/HV4418-102')).toBeUndefined();
    // Another number of the same length that shares only its first digits (a category).
    expect(urlSibling('100234', 'https://shop.example/c/100567/kettle')).toBeUndefined();
    expect(urlSibling('AB-12', 'https://shop.example/p/AB-13')).toBeUndefined();
  });
});

describe('merge: the variant the URL names', () => {
  it('takes the URL’s variant code over structured data describing the default variant', () => {
    const html = `${jsonLd({ '@type': 'Product', name: 'Sukienka', sku: '1245678001', offers: { price: '149.99', priceCurrency: 'PLN' } })}
      <h1>Sukienka</h1><span class="price">99,99 zł</span>`;
    const { product } = extractProduct({
      url: 'https://shop.example/pl_pl/productpage.1245678003.html',
      html,
    });
    expect(product?.sku).toBe('1245678003');
  });
});
