import { describe, expect, it } from 'vitest';
import { extractSelectors } from './selectors.ts';
import { page } from './test-helpers.ts';

const html = `
  <h1 class="name">  Steel
     Kettle </h1>
  <div class="price" data-amount="29.90">Now <b>€ 29,90</b></div>
  <span class="sku">Item no. K-17</span>
  <meta name="brand" content="Boilex">
  <ul class="crumbs"><li>Kitchen</li><li> Kettles </li></ul>
  <div class="gallery"><img src="/a.jpg"><img src="data:," data-src="/b.jpg"><img src="https://cdn.example/c.jpg"></div>
  <script>var price = "1.00";</script>`;

describe('extractSelectors', () => {
  it('reads text (collapsed), attributes, regex groups and lists', () => {
    const fields = extractSelectors(page(html), {
      title: 'h1.name',
      price: { selector: '.price', attribute: 'data-amount' },
      sku: { selector: '.sku', regex: 'no\\.\\s*(\\S+)' },
      brand: 'meta[name=brand]',
      categoryPath: { selector: '.crumbs li', all: true },
      images: { selector: '.gallery img', all: true },
    });
    expect(fields).toEqual({
      title: 'Steel Kettle',
      price: '29.90',
      sku: 'K-17',
      brand: 'Boilex',
      categoryPath: ['Kitchen', 'Kettles'],
      images: ['https://shop.example/a.jpg', 'https://shop.example/b.jpg', 'https://cdn.example/c.jpg'],
    });
  });

  it('uses the first match without `all`', () => {
    expect(extractSelectors(page(html), { images: '.gallery img', categoryPath: '.crumbs li' })).toEqual({
      images: ['https://shop.example/a.jpg'],
      categoryPath: ['Kitchen'],
    });
  });

  it('uses the whole match of a regex without groups, and skips values it does not match', () => {
    expect(extractSelectors(page(html), { price: { selector: '.price', regex: '\\d+,\\d+' } })).toEqual({
      price: '29,90',
    });
    expect(extractSelectors(page(html), { sku: { selector: '.sku', regex: 'EAN (\\d+)' } })).toBeNull();
  });

  it('matches in document order, with cheerio-only pseudo-classes beside standard selectors', () => {
    const fields = extractSelectors(page(html), {
      // Standard CSS, matched together in one walk of the page.
      categoryPath: { selector: '.crumbs li, h1', all: true },
      images: { selector: '.gallery img:not([data-src])', attribute: 'src', all: true },
      // jQuery extensions that only cheerio knows.
      title: 'h1:first',
      sku: '.crumbs li:eq(1)',
    });
    expect(fields?.categoryPath).toEqual(['Steel Kettle', 'Kitchen', 'Kettles']);
    expect(fields?.images).toEqual(['https://shop.example/a.jpg', 'https://cdn.example/c.jpg']);
    expect(fields?.title).toBe('Steel Kettle');
    expect(fields?.sku).toBe('Kettles');
  });

  it('reports a bad selector instead of throwing', () => {
    const input = page(html);
    expect(extractSelectors(input, { title: 'h1[', price: '.price' })).toEqual({ price: 'Now € 29,90' });
    expect(input.errors[0]).toMatch(/^selectors: title: bad selector/);
  });

  it('returns null with no rules or no matches', () => {
    expect(extractSelectors(page(html), {})).toBeNull();
    expect(extractSelectors(page(html), { title: '.missing' })).toBeNull();
  });
});
