import { describe, expect, it } from 'vitest';
import { UrlFilter } from './url-filter.ts';

const rules = {
  startUrls: ['https://shop.test/'],
  allowedHosts: [],
  include: [],
  exclude: ['/cart', '/account/**'],
  productUrls: ['/product/*'],
};

describe('UrlFilter', () => {
  const filter = new UrlFilter(rules);

  it('keeps the crawl on the start URLs hosts by default', () => {
    expect(filter.reject('https://shop.test/category/a')).toBeNull();
    expect(filter.reject('https://other.test/')).toBe('host');
  });

  it('applies exclude globs to paths', () => {
    expect(filter.reject('https://shop.test/cart')).toBe('filter');
    expect(filter.reject('https://shop.test/account/login')).toBe('filter');
  });

  it('applies include globs, full-URL or path', () => {
    const only = new UrlFilter({ ...rules, include: ['https://shop.test/category/**', '/product/*'] });
    expect(only.reject('https://shop.test/category/x?page=2')).toBeNull();
    expect(only.reject('https://shop.test/product/p1')).toBeNull();
    expect(only.reject('https://shop.test/blog/p1')).toBe('filter');
  });

  it('tells product pages apart', () => {
    expect(filter.isProductPage('https://shop.test/product/abc')).toBe(true);
    expect(filter.isProductPage('https://shop.test/category/abc')).toBe(false);
    expect(new UrlFilter({ ...rules, productUrls: [] }).isProductPage('https://shop.test/x')).toBe(true);
  });
});
