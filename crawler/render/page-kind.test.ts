import { describe, expect, it } from 'vitest';
import { pageKind } from './page-kind.ts';

const kind = (path: string) => pageKind(`https://www.shop.test${path}`);

describe('pageKind', () => {
  it('groups product pages by their template', () => {
    expect(kind('/product/red-kettle-42')).toBe('shop.test/product/:slug');
    expect(kind('/product/red-kettle-42')).toBe(kind('/product/blue-mug-7'));
    expect(kind('/p/12345')).toBe(kind('/p/987'));
    expect(kind('/dp/B07XYZ1234')).toBe('shop.test/dp/:id');
    expect(kind('/item/3f2b9c1e-8a7d-4e6f-9b0a-1c2d3e4f5a6b')).toBe('shop.test/item/:id');
    expect(kind('/red-kettle-42.html')).toBe(kind('/blue-mug-with-handle.html'));
    expect(kind('/red-kettle-42.html')).toBe('shop.test/:slug.html');
  });

  it('groups category pages, drops query values but keeps names', () => {
    expect(kind('/category/coffee?page=2')).toBe(kind('/category/tea?page=3'));
    expect(kind('/category/coffee?page=2')).toBe('shop.test/category/:slug?page');
    expect(kind('/category/coffee?page=2')).not.toBe(kind('/product/red-kettle-42'));
    expect(kind('/category/coffee')).not.toBe(kind('/category/coffee?page=2'));
    expect(kind('/search?q=kettle&sort=price')).toBe(kind('/search?sort=name&q=mug&q=cup'));
    expect(kind('/search?q=kettle&sort=price')).toBe('shop.test/search?q&sort');
  });

  it('keeps sections apart and short top-level words literal', () => {
    expect(kind('/about')).toBe('shop.test/about');
    expect(kind('/about')).not.toBe(kind('/contact'));
    expect(kind('/shop/product/kettle')).not.toBe(kind('/shop/category/kettles'));
    expect(kind('/collections/coffee/products/kettle')).toBe(kind('/collections/tea/products/mug'));
    expect(kind('/')).toBe('shop.test/');
  });

  it('ignores locales, tracking parameters, fragments, case and www', () => {
    expect(kind('/en/product/red-kettle-42')).toBe(kind('/de-at/product/blauer-becher-7'));
    expect(kind('/product/red-kettle-42?utm_source=x&gclid=1#reviews')).toBe(kind('/product/blue-mug-7'));
    expect(pageKind('https://SHOP.test/Product/Red-Kettle-42')).toBe(kind('/product/blue-mug-7'));
    expect(kind('/product/%E7%BA%A2%E8%89%B2-42')).toBe(kind('/product/blue-mug-7'));
  });

  it('tells hosts apart and stays bounded on endless paths', () => {
    expect(pageKind('https://blog.shop.test/a')).not.toBe(pageKind('https://shop.test/a'));
    expect(kind('/a/b/c/d/e/f/g/h/i/j')).toBe(kind('/a/b/c/d/e/f/g/h/i/j/k/l/m'));
    expect(pageKind('not a url')).toBe('invalid');
  });

  it('is stable for the same URL', () => {
    const url = 'https://shop.test/product/red-kettle-42?color=red&size=l';
    expect(pageKind(url)).toBe(pageKind(url));
    expect(pageKind(url)).toBe('shop.test/product/:slug?color&size');
  });
});
