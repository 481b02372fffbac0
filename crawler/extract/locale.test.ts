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

  it('reads a region-less language spoken under one currency only, and no other', () => {
    expect(top('<html lang="th"></html>', 'https://shop.example/p/1')).toBe('THB');
    expect(top('<html lang="hu"></html>', 'https://shop.example/p/1')).toBe('HUF');
    // Spoken under many currencies: no currency from the language alone.
    for (const lang of ['en', 'es', 'fr', 'de', 'ar', 'pt'])
      expect(top(`<html lang="${lang}"></html>`, 'https://shop.example/p/1')).toBeUndefined();
  });

  it("counts the shop's own currency codes in its scripts above everything else", () => {
    const html = `<html lang="en-US"><script>fbq('track', 'ViewContent', {value: 990, currency: 'TWD'});</script></html>`;
    expect(top(html, 'https://shop.example/p/1')).toBe('TWD');
  });

  it("takes a currency switcher's chosen entry: a selected option, an aria-selected or aria-current item", () => {
    const select = `<html lang="en"><select name="currency_code"><option value="USD">USD $</option>
      <option value="AUD" selected>AUD $</option><option value="NZD">NZD $</option></select></html>`;
    expect(top(select, 'https://outbackcamp.example/products/swag')).toBe('AUD');
    const list = `<ul role="listbox"><li role="option" aria-selected="false"><a>USD</a></li>
      <li role="option" aria-selected="true" class="active"><a>CAD</a></li><li><a>EUR</a></li></ul>`;
    expect(top(list, 'https://woodworks.example/board')).toBe('CAD');
    // "Hong Kong SAR (HKD $)": the code beside the symbol, not the region's "SAR".
    const shopify = `<ul hidden><li><a href="#">Australia (AUD $)</a></li>
      <li><a href="#" aria-current="true">Hong Kong SAR (HKD $)</a></li></ul>`;
    expect(top(shopify, 'https://tea.example/products/jasmine')).toBe('HKD');
    // One code chosen with no other beside it is no switcher; a chosen nav item is no currency.
    expect(top('<nav><a aria-current="page">USD deals</a></nav>', 'https://shop.example/p')).toBeUndefined();
    const price = (html: string) =>
      extractProduct({
        url: 'https://outbackcamp.example/products/swag',
        html: `${html}<h1>Swag</h1><p class="price">$389.00</p><button>Add to cart</button>`,
      }).product?.currency;
    expect(price(select)).toBe('AUD');
  });

  it("takes a currency radio group's checked input, by its value or its label", () => {
    const byValue = `<html lang="en"><form class="currency-form"><fieldset>
      <input type="radio" name="currency" value="USD" id="c-usd"><label for="c-usd">US</label>
      <input type="radio" name="currency" value="CAD" id="c-cad" checked><label for="c-cad">Canada</label>
      </fieldset></form></html>`;
    expect(top(byValue, 'https://maplegear.example/products/toque')).toBe('CAD');
    const byLabel = `<html lang="en"><div><label><input type="radio" name="cur" value="1"> USD $</label>
      <label><input type="radio" name="cur" value="2" checked> AUD $</label></div></html>`;
    expect(top(byLabel, 'https://outbackcamp.example/products/swag')).toBe('AUD');
    // A checked radio that names no currency (a size) chooses none.
    const size = `<html lang="en"><label><input type="radio" name="size" value="M" checked> M</label>
      <label><input type="radio" name="size" value="L"> L</label></html>`;
    expect(top(size, 'https://shop.example/p')).toBeUndefined();
    const price = extractProduct({
      url: 'https://maplegear.example/products/toque',
      html: `${byValue}<h1>Toque</h1><p class="price">$29.00</p><button>Add to cart</button>`,
    }).product?.currency;
    expect(price).toBe('CAD');
  });

  it('reads a switcher that names the chosen currency only in words or by a flag', () => {
    // Shopify's disclosure: the button that opens the list shows the choice by name.
    const disclosure = `<html lang="en"><div class="disclosure"><button aria-expanded="false"><span>Australian dollar</span></button>
      <ul hidden><li><a href="#">Australian dollar</a></li><li><a href="#">New Zealand dollar</a></li><li><a href="#">US dollar</a></li></ul></div></html>`;
    expect(top(disclosure, 'https://saltbush.example/products/apron')).toBe('AUD');
    // The page's own language: "Dólar canadiense" selected among other currencies' names.
    const spanish = `<html lang="es"><select name="moneda"><option value="1">Dólar estadounidense</option>
      <option value="2" selected>Dólar canadiense</option><option value="3">Peso mexicano</option></select></html>`;
    expect(top(spanish, 'https://sendero.example/mochila')).toBe('CAD');
    // The country's initials before the currency's noun: "UAE Dirham", "NZ Dollar".
    const initials = `<select name="c"><option value="aed" selected>UAE Dirham</option><option value="sar">Saudi Riyal</option>
      <option value="usd">US Dollar</option></select>`;
    expect(top(initials, 'https://bakhoor.example/diffuser')).toBe('AED');
    // Plural names, as amounts are written: "Dollars australiens" on a French page.
    const french = `<html lang="fr"><ul><li><a>Euros</a></li><li class="active"><a>Dollars australiens</a></li>
      <li><a>Dollars canadiens</a></li></ul></html>`;
    expect(top(french, 'https://boutique.example/produit')).toBe('AUD');
    const flags = `<div class="dropdown"><button aria-haspopup="true">🇳🇿</button><div class="menu">
      <a aria-current="true" href="?c=nz">🇳🇿</a><a href="?c=au">🇦🇺</a><a href="?c=us">🇺🇸</a></div></div>`;
    expect(top(flags, 'https://kowhai.example/products/balm')).toBe('NZD');
    // Flag pictures: named in `alt`, by file name or by a flag-icon class.
    const pictures = `<div class="currency"><button aria-expanded="false"><img src="/img/c/3.png" alt="Australia"> $</button>
      <ul><li><a href="?c=1"><img src="/img/c/1.png" alt="United States"> $</a></li><li><a href="?c=3"><img src="/img/c/3.png" alt="Australia"> $</a></li></ul></div>`;
    expect(top(pictures, 'https://surf.example/p/1')).toBe('AUD');
    const files = `<ul class="currencies"><li class="selected"><a><img src="/assets/flags/ca.svg"></a></li>
      <li><a><img src="/assets/flags/us.svg"></a></li><li><a><span class="fi fi-eu"></span></a></li></ul>`;
    expect(top(files, 'https://maple.example/p/1')).toBe('CAD');
    // A link that opens the dropdown, or a <details> summary, shows the choice too.
    const link = `<div class="dropdown"><a class="dropdown-toggle" href="#">Canadian dollar</a>
      <div class="dropdown-menu"><a href="?c=usd">US dollar</a><a href="?c=cad">Canadian dollar</a></div></div>`;
    expect(top(link, 'https://maple.example/p/1')).toBe('CAD');
    const details = `<details class="currency"><summary>Dólar australiano</summary><ul><li><a>Dólar estadounidense</a></li>
      <li><a>Dólar australiano</a></li></ul></details>`;
    expect(top(`<html lang="es">${details}</html>`, 'https://surf.example/p/1')).toBe('AUD');
    // Symbols only one currency writes: "AU$" chosen among "US$" and "NZ$".
    const symbols = `<select name="currency"><option value="1">US$</option><option value="2" selected>AU$</option>
      <option value="3">NZ$</option></select>`;
    expect(top(symbols, 'https://surf.example/p/1')).toBe('AUD');
    // A language switcher's flags name no currency.
    const language = `<div class="language-selector"><ul><li class="active"><a href="?lang=en">🇺🇸</a></li>
      <li><a href="?lang=fr">🇫🇷</a></li></ul></div>`;
    expect(top(language, 'https://maple.example/p/1')).toBeUndefined();
    // A name alone, with no other currency beside it, is no switcher; nor is a menu button.
    expect(
      top('<button aria-expanded="false">Canadian dollar</button>', 'https://x.example/p'),
    ).toBeUndefined();
    expect(
      top(
        '<nav><button aria-expanded="false">Shop</button><ul><li>Euro</li><li>Yen</li></ul></nav>',
        'https://x.example/p',
      ),
    ).toBeUndefined();
  });

  it('reads a bare price on a country domain whose language the page names without a region', () => {
    const page = (lang: string, price: string) =>
      `<html lang="${lang}"><h1>Bräter</h1><span class="preis">${price}</span><p>inkl. MwSt.</p><button>In den Warenkorb</button></html>`;
    const currency = (html: string, url: string) => extractProduct({ url, html }).product?.currency;
    expect(currency(page('de', '119,00'), 'https://www.kuechenhaus.example.de/braeter')).toBe('EUR');
    expect(currency(page('de', '49.90'), 'https://www.bergsport.example.ch/messer')).toBe('CHF');
    // The domain alone, or a language the domain's country does not speak, is not enough.
    expect(currency(page('fr', '119,00'), 'https://www.kuechenhaus.example.de/braeter')).toBeUndefined();
    expect(
      currency('<h1>Bräter</h1><span class="preis">119,00</span>', 'https://k.example.de/b'),
    ).toBeUndefined();
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
