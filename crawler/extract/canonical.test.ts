import { describe, expect, it } from 'vitest';
import { extractCanonical } from './canonical.ts';
import { page } from './test-helpers.ts';

describe('extractCanonical', () => {
  it('resolves a relative canonical link against the page URL', () => {
    expect(extractCanonical(page('<link rel="canonical" href="/products/kettle">'))).toEqual({
      canonicalUrl: 'https://shop.example/products/kettle',
    });
  });

  it('resolves against <base href> and accepts rel lists in any case', () => {
    const html = '<base href="https://cdn.shop.example/en/"><link rel="alternate Canonical" href="kettle">';
    expect(extractCanonical(page(html))?.canonicalUrl).toBe('https://cdn.shop.example/en/kettle');
  });

  it('ignores missing or unusable canonicals', () => {
    expect(extractCanonical(page('<link rel="stylesheet" href="/a.css">'))).toBeNull();
    expect(extractCanonical(page('<link rel="canonical" href="javascript:void(0)">'))).toBeNull();
  });
});
