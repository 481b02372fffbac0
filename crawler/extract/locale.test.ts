import { describe, expect, it } from 'vitest';
import { chooseCurrency } from './currency-choice.ts';
import { parsePage } from './dom.ts';
import { extractProduct } from './index.ts';
import { localeCurrencies } from './locale.ts';

const top = (html: string, url: string) => localeCurrencies(parsePage(html), url)[0]?.currency;

describe('the currency a page sells in', () => {
  it('reads the language region, og:locale, hreflang, the URL path and the domain', () => {
    expect(top('<html lang="es-CL"><body></body></html>', 'https://shop.example/p/1')).toBe('CLP');
    expect(top('<head><meta property="og:locale" content="en_AU"></head>', 'https://shop.example/p')).toBe(
      'AUD',
    );
    expect(
      top(
        '<head><link rel="alternate" hreflang="en-ca" href="https://shop.example/p/1"></head>',
        'https://shop.example/p/1',
      ),
    ).toBe('CAD');
    expect(top('<html lang="en"></html>', 'https://www.bestbuy.example/en-ca/product/1')).toBe('CAD');
    expect(top('<html lang="en"></html>', 'https://www.zara.example/ar/en/dress-p1.html')).toBe('ARS');
    expect(top('<html></html>', 'https://i3fresh.tw/item_1.html')).toBe('TWD');
    // Country-code domains used as generic ones say nothing.
    expect(top('<html></html>', 'https://brand.co/products/x')).toBeUndefined();
  });

  it("counts the shop's own currency codes in its scripts above everything else", () => {
    const html = `<html lang="en-US"><script>fbq('track', 'ViewContent', {value: 990, currency: 'TWD'});</script></html>`;
    expect(top(html, 'https://shop.example/p/1')).toBe('TWD');
  });

  it('decides a shared symbol, and leaves a plain one or a structured code alone', () => {
    const chilean = parsePage('<html lang="es-CL"></html>');
    expect(chooseCurrency(undefined, '$24.990', chilean, 'https://shop.example/p')?.currency).toBe('CLP');
    expect(chooseCurrency('USD', '$24.990', chilean, 'https://shop.example/p')).toBeNull();
    expect(chooseCurrency(undefined, '24,99 €', chilean, 'https://shop.example/p')).toBeNull();
    // The price names its currency beside the symbol: the page's locale is not asked.
    const american = parsePage('<html lang="en-US"></html>');
    expect(chooseCurrency(undefined, '$49.95 CAD', american, 'https://shop.example/p')).toBeNull();
    // "$" on a German page is still a dollar: EUR is none of the currencies "$" stands for.
    expect(
      chooseCurrency(undefined, '$19.99', parsePage('<html lang="de-DE"></html>'), 'https://shop.de/p'),
    ).toBeNull();
  });

  it('sets the product currency when no structured data names it, unless the site rules do', () => {
    const html = `<html lang="es-MX"><body><h1>Jarrón</h1><p class="price">$1,450.00</p><button>Añadir al carrito</button></body></html>`;
    const url = 'https://shop.example/producto/jarron';
    const result = extractProduct({ url, html, explain: true });
    expect(result.product?.currency).toBe('MXN');
    expect(result.chosen.currency?.source).toBe('locale');
    expect(result.explanation?.fields.currency?.why).toContain('lang es-MX');
    expect(extractProduct({ url, html, rules: { currency: 'USD' } }).product?.currency).toBeUndefined();
  });
});
