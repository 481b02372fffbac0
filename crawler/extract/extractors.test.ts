import { describe, expect, it } from 'vitest';
import { extractHeuristics, urlIdentifier } from './heuristics.ts';
import { extractProduct } from './index.ts';
import { extractRdfa } from './rdfa.ts';
import { extractState, scriptJson } from './state.ts';
import { extractorPage as at, jsonLd, page } from './test-helpers.ts';

const values = (found: Record<string, { value: unknown } | undefined> | null) =>
  Object.fromEntries(Object.entries(found ?? {}).map(([k, v]) => [k, v?.value]));

describe('RDFa', () => {
  it('reads a schema.org Product written with typeof/property', () => {
    const html = `<div vocab="https://schema.org/" typeof="Product"><h1 property="name">Lamp</h1>
      <span property="sku">L-9</span><div property="offers" typeof="Offer">
      <span property="price" content="19.90">19,90 €</span><meta property="priceCurrency" content="EUR">
      <link property="availability" href="https://schema.org/OutOfStock"></div></div>`;
    expect(extractRdfa(page(html))).toMatchObject({
      title: 'Lamp',
      sku: 'L-9',
      price: '19.90',
      currency: 'EUR',
      availability: 'https://schema.org/OutOfStock',
    });
  });
});

describe('embedded state', () => {
  it('reads __NEXT_DATA__ and picks the product named like the heading', () => {
    const data = {
      props: {
        pageProps: {
          related: [{ name: 'Mug', price: 3, sku: 'M' }],
          product: {
            name: 'Blue Kettle',
            price: { amount: 29.5 },
            sku: 'BK-1',
            brand: { name: 'Boilex' },
            inStock: false,
          },
        },
      },
    };
    const html = `<h1>Blue Kettle</h1><script id="__NEXT_DATA__" type="application/json">${JSON.stringify(data)}</script>`;
    expect(values(extractState(at(html)))).toMatchObject({
      title: 'Blue Kettle',
      price: '29.5',
      sku: 'BK-1',
      brand: 'Boilex',
      availability: 'OutOfStock',
    });
  });

  it('reads Shopify product JSON in cents and JSON assigned in scripts', () => {
    const product = {
      title: 'Tea Tin',
      handle: 'tea-tin',
      vendor: 'Leaf',
      variants: [{ price: 1250, sku: 'TT-1', available: true }],
    };
    const shopify = `<h1>Tea Tin</h1><script type="application/json" data-product-json>${JSON.stringify(product)}</script>`;
    expect(values(extractState(at(shopify)))).toMatchObject({
      price: '12.50',
      sku: 'TT-1',
      brand: 'Leaf',
      availability: 'InStock',
    });
    const soldOut = { ...product, variants: [{ price: 1250, sku: 'TT-1', available: false }] };
    const soldOutPage = `<h1>Tea Tin</h1><script type="application/json" data-product-json>${JSON.stringify(soldOut)}</script>`;
    expect(values(extractState(at(soldOutPage))).availability).toBe('OutOfStock');
    const assigned = `<h1>Tea Tin</h1><script>window.dataLayer = window.dataLayer || []; var product = {"productName":"Tea Tin","salePrice":"9.99","articleNumber":"A-77"};</script>`;
    expect(values(extractState(at(assigned)))).toMatchObject({ price: '9.99', sku: 'A-77' });
  });

  it('reads amounts in minor units and the variants of other platforms', () => {
    const state = (json: string, url?: string) =>
      values(extractState(at(`<h1>Espresso Grinder</h1><script>window.__STATE__ = ${json};</script>`, url)));
    // Shopify's product JSON, found by its variant keys or its money format, gives cents.
    const shopify =
      '{"title":"Espresso Grinder","handle":"eg-2","variants":[{"id":41,"sku":"EG2","price":649900,"compare_at_price":719900,"available":true}]}';
    expect(state(shopify)).toMatchObject({ price: '6499.00', sku: 'EG2', availability: 'InStock' });
    const money = '{"moneyFormat":"R {{amount}}","product":{"title":"Espresso Grinder","price":649900}}';
    expect(state(money).price).toBe('6499.00');
    // Named minor units: commercetools' centAmount with its fraction digits, a yen amount.
    expect(
      state(
        '{"name":"Espresso Grinder","price":{"value":{"centAmount":3495,"currencyCode":"EUR","fractionDigits":2}}}',
      ).price,
    ).toBe('34.95');
    expect(state('{"name":"Espresso Grinder","priceInCents":129900}').price).toBe('1299.00');
    expect(state('{"name":"Espresso Grinder","price":{"amountInCents":1500,"currency":"JPY"}}').price).toBe(
      '1500',
    );
    // A storefront API's productVariants, a price object naming its currency, availableForSale.
    expect(
      state(
        '{"name":"Espresso Grinder","productNumber":"BQ-1","productVariants":[{"sku":"BQ-1","price":{"amount":"34.95","currencyCode":"EUR"},"availableForSale":false}]}',
      ),
    ).toMatchObject({ price: '34.95', currency: 'EUR', sku: 'BQ-1', availability: 'OutOfStock' });
    // WooCommerce variations: display_price, is_in_stock, the variation's SKU.
    expect(
      state(
        '{"name":"Espresso Grinder","variations":[{"variation_id":9,"sku":"HJ-60","display_price":85,"is_in_stock":true}]}',
      ),
    ).toMatchObject({ price: '85', sku: 'HJ-60', availability: 'InStock' });
    // Stock said in words or by count in each variant.
    expect(
      state(
        '{"name":"Espresso Grinder","variants":[{"sku":"A","price":"10.00","availability":"OUT_OF_STOCK"}]}',
      ).availability,
    ).toBe('OutOfStock');
    expect(
      state('{"name":"Espresso Grinder","variants":[{"sku":"A","price":"10.00","inventory_quantity":0}]}')
        .availability,
    ).toBe('OutOfStock');
    expect(
      state(
        '{"name":"Espresso Grinder","variants":[{"sku":"A","price":"10.00","inventory_quantity":0,"inventory_policy":"continue"}]}',
      ).availability,
    ).toBeUndefined();
    // A product's bare count: none left is sold out, unless it is sold on back-order.
    expect(state('{"name":"Espresso Grinder","price":"10.00","sku":"A","stock":0}').availability).toBe(
      'OutOfStock',
    );
    expect(state('{"name":"Espresso Grinder","price":"10.00","sku":"A","stock":7}').availability).toBe(
      'InStock',
    );
    expect(
      state('{"name":"Espresso Grinder","price":"10.00","stock_quantity":0,"backorders":"yes"}').availability,
    ).toBeUndefined();
    // An availability key says more than a count.
    expect(
      state('{"name":"Espresso Grinder","price":"10.00","stock":0,"availability":"in stock"}').availability,
    ).toBe('in stock');
    // commercetools: a name per locale, a masterVariant with a list of prices in cents, isOnStock.
    const ct =
      '{"product":{"key":"grinder","name":{"de-AT":"Kaffeemühle","en":"Espresso Grinder"},"masterVariant":{"sku":"CT-1","prices":[{"value":{"currencyCode":"EUR","centAmount":5990,"fractionDigits":2}}],"availability":{"isOnStock":false,"availableQuantity":0}},"variants":[]}}';
    expect(state(ct)).toMatchObject({
      title: 'Espresso Grinder',
      price: '59.90',
      currency: 'EUR',
      sku: 'CT-1',
      availability: 'OutOfStock',
    });
    // The variant the URL selects decides, not the others.
    const two =
      '{"title":"Espresso Grinder","variants":[{"id":1,"sku":"A","price":"10.00","available":true},{"id":2,"sku":"B","price":"12.00","available":false}]}';
    expect(state(two).availability).toBe('InStock');
    expect(state(two.replace('"variants"', '"selectedVariantId":2,"variants"')).availability).toBe(
      'OutOfStock',
    );
    expect(state(two.replace('"id":2,', '"id":2,"selected":true,')).sku).toBe('B');
    expect(state(two, 'https://shop.example/products/eg?variant=2')).toMatchObject({
      sku: 'B',
      price: '12.00',
      availability: 'OutOfStock',
    });
  });

  it('takes no barcode for the shop’s code when the page gives another one', () => {
    const html = `<h1>Fit Me Foundation</h1><p class="price">₹509</p><p>EAN: 8901526100128</p>
      <script>window.__STATE__ = {"product":{"name":"Fit Me Foundation","sku":"8901526100128","price":509}};</script>`;
    const product = (url: string) => extractProduct({ url, html }).product;
    expect(product('https://www.beauty.example/fit-me-foundation/p/417508')?.sku).toBe('417508');
    // Without another code the barcode is all there is.
    expect(product('https://www.beauty.example/fit-me-foundation')?.sku).toBe('8901526100128');
  });

  it('reads the colourway a fashion shop’s state selects, at its own price', () => {
    const state = (json: string) =>
      values(extractState(at(`<h1>Align High-Rise Pant</h1><script>window.__STATE__ = ${json};</script>`)));
    const lulu =
      '{"productData":{"productId":"prod2020012","name":"Align High-Rise Pant","selectedColorId":"0001","colors":[{"colorId":"0001","name":"Black","price":{"listPrice":"118.00","salePrice":null}},{"colorId":"26083","name":"True Navy","price":{"listPrice":"118.00","salePrice":"79.00"}}]},"recommendations":[{"name":"Define Jacket","price":"138.00"}]}';
    expect(state(lulu)).toMatchObject({ title: 'Align High-Rise Pant', price: '118.00' });
    expect(state(lulu.replace('"selectedColorId":"0001"', '"selectedColorId":"26083"')).price).toBe('79.00');
  });

  it('reads the price paid now: discounted or final before sale, sale before a plain price', () => {
    const state = (json: string) =>
      values(extractState(at(`<h1>Ceramic Pour-over Set</h1><script>window.__DATA__ = ${json};</script>`)));
    const item = (fields: string) => `{"product":{"name":"Ceramic Pour-over Set","sku":"PO-2",${fields}}}`;
    expect(state(item('"salePrice":52000,"discountedSalePrice":41600')).price).toBe('41600');
    expect(state(item('"price":64.9,"finalPrice":58.4,"basePrice":47.87')).price).toBe('58.4');
    expect(state(item('"price":{"mrp":1899,"discounted":1329}')).price).toBe('1329');
    expect(state(item('"price":{"amount":24.5,"currency":"EUR"}')).price).toBe('24.5');
  });

  it("takes the variant the URL names from a theme's list of variants, in cents", () => {
    const variant = (id: number, sku: string, price: number, available: boolean) =>
      `{"id":${id},"title":"${sku}","sku":"${sku}","name":"Wool Beanie - ${sku}","price":${price},"available":${available},"compare_at_price":null,"inventory_management":"shopify"}`;
    const html = `<h1>Wool Beanie</h1><script type="application/json">[${variant(11, 'GREY', 2900, true)},${variant(12, 'RUST', 3400, false)}]</script>`;
    expect(values(extractState(at(html, 'https://shop.example/products/beanie?variant=12')))).toMatchObject({
      sku: 'RUST',
      price: '34.00',
      availability: 'OutOfStock',
    });
  });

  it("reads variants held in a buy box's attribute, and a plain price where the sale price is 0", () => {
    const variations = JSON.stringify([
      { variation_id: 7, sku: 'LB-OAK-S', display_price: 129, is_in_stock: false, attributes: { size: 'S' } },
    ]).replaceAll('"', '&quot;');
    const woo = `<h1>Oak Lamp Base</h1><form class="variations_form cart" data-product_variations="${variations}"></form>`;
    expect(values(extractState(at(woo)))).toMatchObject({ sku: 'LB-OAK-S', availability: 'OutOfStock' });
    const state = (json: string) =>
      values(extractState(at(`<h1>Oak Lamp Base</h1><script>window.__DATA__ = ${json};</script>`)));
    expect(
      state(
        '{"product":{"name":"Oak Lamp Base","sku":"LB-1","salePrice":0,"priceMoney":{"currency":"USD","value":"48.00"}}}',
      ).price,
    ).toBe('48.00');
  });

  it("reads a marketplace variant's first offer, and a product's list of offers", () => {
    const state = (json: string) =>
      values(extractState(at(`<h1>Cordless Drill 18V</h1><script>window.__DATA__ = ${json};</script>`)));
    const offer = '{"seller":"A","price":899,"sale_price":749,"stock":4}';
    expect(
      state(
        `{"product":{"title":"Cordless Drill 18V","sku":"CD-18","variants":[{"sku":"CD-18","offers":[${offer}]}]}}`,
      ).price,
    ).toBe('749');
    expect(state(`{"product":{"title":"Cordless Drill 18V","sku":"CD-18","offers":[${offer}]}}`).price).toBe(
      '749',
    );
  });

  it('reads is_available / is_out_of_stock flags, and product facts without a name (BigCommerce BCData)', () => {
    const at2 = (script: string) =>
      values(extractState(at(`<h1>Brass Incense Burner</h1><script>${script}</script>`)));
    expect(
      at2(
        'window.product = {"name":"Brass Incense Burner","sku":"BIB-2","price":{"amount":95,"currency":"AED"},"is_available":false};',
      ).availability,
    ).toBe('OutOfStock');
    expect(
      at2('window.product = {"name":"Brass Incense Burner","sku":"BIB-2","price":95,"is_out_of_stock":true};')
        .availability,
    ).toBe('OutOfStock');
    const bc =
      'var BCData = {"product_attributes":{"sku":"BIB-2","mpn":"X-1","price":{"without_tax":{"formatted":"$95.00","value":95,"currency":"USD"}},"stock":0,"instock":false,"purchasable":true}};';
    expect(at2(bc)).toMatchObject({ sku: 'BIB-2', price: '95', currency: 'USD', availability: 'OutOfStock' });
  });

  it('reads stock from nested inventory objects, orderable flags and sold-out booleans', () => {
    const script = (json: string) => `<h1>Trail Runner 3</h1><script>window.__PRODUCT__ = ${json};</script>`;
    const availability = (json: string) => values(extractState(at(script(json)))).availability;
    expect(
      availability(
        '{"name":"Trail Runner 3","price":129.95,"inventory":{"orderable":false,"status":"OUT_OF_STOCK"}}',
      ),
    ).toBe('OutOfStock');
    expect(availability('{"name":"Trail Runner 3","price":129.95,"availabilityStatus":"IN_STOCK"}')).toBe(
      'IN_STOCK',
    );
    expect(availability('{"name":"Trail Runner 3","price":129.95,"isSoldOut":true}')).toBe('OutOfStock');
    expect(
      availability('{"name":"Trail Runner 3","price":129.95,"availability":{"displayState":"OUT_OF_STOCK"}}'),
    ).toBe('OUT_OF_STOCK');
  });

  it('survives broken and truncated JSON', () => {
    expect(scriptJson('var x = {"a": [1, 2, {"b": }; var y = {"name": "Ok", "price": 1}')).toEqual([
      { name: 'Ok', price: 1 },
    ]);
    expect(
      extractState(at('<script>var p = {"name": "X", "price": '.concat('1'.repeat(10), '</script>'))),
    ).toBeNull();
  });

  it('reads literals whose strings hold brackets, quotes and escapes', () => {
    const value = { name: 'Kettle "}] 1.7 l', note: "it's {here}", path: 'C:\\', price: 5 };
    expect(scriptJson(`var p = ${JSON.stringify(value)}; var q = 'x';`)).toEqual([value]);
    // A string that never closes ends no literal.
    expect(scriptJson('var p = {"name": "Kettle", "price": 5, "x": "open')).toEqual([]);
  });
});

describe('embedded state: frameworks and attributes (held-out batch b17 kinds)', () => {
  const product = {
    name: 'Turbo Blender 1200',
    sku: 'TB-1200',
    price: 389.9,
    currency: 'BRL',
    available: true,
  };

  it('reads a Next.js server components payload split across scripts', () => {
    const row = JSON.stringify(['$', 'section', null, { product, related: [{ name: 'Cup', price: 89.9 }] }]);
    const chunk = (text: string) => `<script>self.__next_f.push(${JSON.stringify([1, text])})</script>`;
    const html = `<h1>Turbo Blender 1200</h1><div class="price"></div>${chunk(`4:${row.slice(0, 30)}`)}${chunk(`${row.slice(30)}\n`)}`;
    expect(values(extractState(at(html)))).toMatchObject({ sku: 'TB-1200', price: '389.9', currency: 'BRL' });
  });

  it('reads Angular transfer state with its escaped quotes', () => {
    const state = JSON.stringify({ 'G.url?/api/p/1': { body: { product } } }).replaceAll('"', '&q;');
    const html = `<h1>Turbo Blender 1200</h1><script id="serverApp-state" type="application/json">${state}</script>`;
    expect(values(extractState(at(html)))).toMatchObject({ sku: 'TB-1200', price: '389.9' });
  });

  it('reads state held in attributes: Inertia’s data-page, Vue props, Alpine’s x-data, Astro props', () => {
    const escaped = (v: unknown) => JSON.stringify(v).replaceAll('"', '&quot;');
    const pages = [
      `<div id="app" data-page="${escaped({ component: 'Product/Show', props: { product } })}"></div>`,
      `<product-buy-box :product="${escaped(product)}" inline-template><div></div></product-buy-box>`,
      `<div x-data="{ open: false, product: ${escaped(product)} }"><span x-text="price"></span></div>`,
      `<astro-island client="only" props="${escaped({ product: [0, { name: [0, product.name], sku: [0, 'TB-1200'], price: [0, 389.9] }] })}"></astro-island>`,
    ];
    for (const body of pages)
      expect(values(extractState(at(`<h1>Turbo Blender 1200</h1>${body}`)))).toMatchObject({
        sku: 'TB-1200',
        price: '389.9',
      });
  });

  it('reads the variant Shopify’s Storefront API names (selectedVariant, variants as a connection, ?Option=value)', () => {
    const variant = (sku: string, colour: string, price: string, availableForSale: boolean) => ({
      sku,
      availableForSale,
      price: { amount: price, currencyCode: 'AUD' },
      selectedOptions: [{ name: 'Colour', value: colour }],
    });
    const nodes = [variant('OV-SND', 'Sand', '399.0', true), variant('OV-OLV', 'Olive', '449.0', false)];
    const page = (product: object, url: string) =>
      values(
        extractState(
          at(
            `<h1>Overland 2P</h1><script>window.__remixContext = ${JSON.stringify({ state: { product } })};</script>`,
            url,
          ),
        ),
      );
    const url = 'https://shop.example/products/overland-2p?Colour=Olive';
    expect(page({ title: 'Overland 2P', variants: { nodes }, selectedVariant: nodes[1] }, url)).toMatchObject(
      {
        sku: 'OV-OLV',
        price: '449.0',
        availability: 'OutOfStock',
      },
    );
    // Without selectedVariant, the URL's option names it; edges work as nodes do.
    const edges = nodes.map((node) => ({ node }));
    expect(page({ title: 'Overland 2P', variants: { edges } }, url)).toMatchObject({ sku: 'OV-OLV' });
    expect(
      page({ title: 'Overland 2P', variants: { edges } }, 'https://shop.example/products/overland-2p'),
    ).toMatchObject({ sku: 'OV-SND', availability: 'InStock' });
  });

  it('reads keys named in Portuguese or Spanish, anchors on the title without a heading, and puts a named product above its variants', () => {
    const produto = {
      nome: 'Liquidificador Turbo Pro',
      preco_centavos: 38990,
      moeda: 'BRL',
      variacoes: [
        {
          sku: 'LQ-127',
          rotulo: '127V',
          preco_centavos: 38990,
          estoque: 0,
          disponivel: false,
          ean: '7898765430127',
        },
        {
          sku: 'LQ-220',
          rotulo: '220V',
          preco_centavos: 38990,
          estoque: 7,
          disponivel: true,
          ean: '7898765430220',
        },
      ],
    };
    const related = [{ nome: 'Processador Chef', preco_centavos: 29990, disponivel: true }];
    const escaped = JSON.stringify({ props: { produto, relacionados: related } }).replaceAll('"', '&quot;');
    const html = `<title>Liquidificador Turbo Pro - Casa</title><div id="app" data-page="${escaped}"></div>`;
    expect(values(extractState(at(html)))).toMatchObject({
      price: '389.90',
      currency: 'BRL',
      sku: 'LQ-220',
      availability: 'InStock',
    });
  });

  it('reads Magento 2’s x-magento-init product data with the buy box left empty', () => {
    const provider = {
      '*': {
        'Magento_Catalog/js/product/view/provider': {
          data: {
            items: {
              2291: {
                is_salable: '0',
                name: 'Macchina a leva Aurora',
                price_info: { final_price: 189, regular_price: 229 },
                currency_code: 'EUR',
              },
            },
          },
        },
      },
    };
    const html = `<h1>Macchina a leva Aurora</h1><div data-role="priceBox"><span class="price"></span></div>
      <script type="text/x-magento-init">${JSON.stringify(provider)}</script>`;
    expect(values(extractState(at(html)))).toMatchObject({ price: '189', availability: 'OutOfStock' });
  });

  it('takes no availability from a value that says nothing (a minified reference)', () => {
    const state = { product: { name: 'Pendel Ørsted', sku: 'NH-40', price: 1899, availability: 'q' } };
    const html = `<h1>Pendel Ørsted</h1><script>window.__STATE__ = ${JSON.stringify(state)};</script>`;
    expect(values(extractState(at(html))).availability).toBeUndefined();
  });

  it('reads the gross amount of a price object, before other sellers’ offers', () => {
    const data = {
      product: {
        name: 'Milano Pro X2',
        price: { amountIncl: 1049, amountExcl: 970.4, currency: 'CHF' },
        offers: [{ seller: 'Another shop', price: 1079 }],
      },
    };
    const html = `<h1>Milano Pro X2</h1><script id="__NEXT_DATA__" type="application/json">${JSON.stringify(data)}</script>`;
    expect(values(extractState(at(html)))).toMatchObject({ price: '1049', currency: 'CHF' });
  });
});

describe('page heuristics', () => {
  const shop = (extra = '') => `<html><body><nav><span class="price">€ 1,00</span></nav>
    <h1>Garden Chair</h1><div class="price-box"><del class="price">€ 59,00</del>
    <span class="price special">€ 49,00</span></div>
    <p>Art.-Nr.: GC-2041</p><p>EAN: 4006381333931</p>
    <button class="add-to-cart" ${extra}>In den Warenkorb</button>
    <section class="related-products"><span class="price">€ 9,99</span></section>
    <ol class="breadcrumb"><li><a href="/">Home</a></li><li><a href="/garden">Garden</a></li><li><a href="/garden/chairs">Chairs</a></li></ol>
    </body></html>`;

  it('takes the current price beside the heading, not the crossed-out or a related one', () => {
    const found = values(extractHeuristics(at(shop())));
    expect(found).toMatchObject({
      title: 'Garden Chair',
      price: '€ 49,00',
      sku: 'GC-2041',
      gtin: '4006381333931',
      availability: 'InStock',
      categoryPath: ['Garden', 'Chairs'],
    });
  });

  it('reads a disabled buy button as out of stock', () => {
    expect(values(extractHeuristics(at(shop('disabled')))).availability).toBe('OutOfStock');
  });

  it('reads labels in other languages and identifiers in URLs', () => {
    expect(values(extractHeuristics(at('<h1>時計</h1><p>型番：PRW-3100Y</p>'))).sku).toBe('PRW-3100Y');
    expect(values(extractHeuristics(at('<h1>Mesa</h1><p>Código: 55-901</p>'))).sku).toBe('55-901');
    expect(
      values(extractHeuristics(at('<h1>Mesa</h1><p>Référence Montre Connectée</p>'))).sku,
    ).toBeUndefined();
    expect(urlIdentifier('https://shop.example/itm/302474151804')).toBe('302474151804');
    expect(urlIdentifier('https://shop.example/p/chair-1234567.html')).toBe('1234567');
    expect(urlIdentifier('https://shop.example/store/1?pid=260591')).toBe('260591');
  });

  it('scores below structured data, so JSON-LD wins a conflict', () => {
    const html = `${shop()}<script type="application/ld+json">{"@type":"Product","name":"Garden Chair","offers":{"price":"45.00","priceCurrency":"EUR"}}</script>`;
    const result = extractProduct({ url: 'https://shop.example/chair', html });
    expect(result.product?.price).toBe('45.00');
    expect(result.chosen.price?.source).toBe('jsonld');
    expect(result.product?.sku).toBe('GC-2041');
  });

  it('copes with huge pages and several products', () => {
    const cards = Array.from(
      { length: 3000 },
      (_, i) =>
        `<div class="product-card"><a href="/p/${i}">Item ${i}</a><span class="price">€ ${i},00</span></div>`,
    ).join('');
    const html = `<h1>Main</h1><span class="price">€ 5,00</span><button>Add to cart</button><div class="related">${cards}</div><div><div><div>`;
    const started = performance.now();
    const found = values(extractHeuristics(at(html)));
    expect(performance.now() - started).toBeLessThan(500);
    expect(found.price).toBe('€ 5,00');
  });
});

describe('heuristics: which displayed price is the product price', () => {
  const price = (html: string) => values(extractHeuristics(at(html))).price;

  it('skips amounts saved ("you save", "現省")', () => {
    expect(
      price(`<h1>Jerky</h1><div class="price">NT$990</div><div><strike>NT$1,390</strike> 現省$400</div>
        <button>Add to cart</button>`),
    ).toBe('NT$990');
    expect(price(`<h1>Mug</h1><p class="save">You save $5</p><p class="price">$15</p>`)).toBe('$15');
  });

  it('takes a price marked "old" by its class when no other price is shown beside it', () => {
    expect(
      price(`<h1>Mask</h1><ul><li class="price"><span class="price-old-live">100.00€</span></li>
        <li class="price-tax">Brez DDV: <span class="price-tax-live">81.97€</span></li></ul>
        <button>Dodaj v košarico</button>`),
    ).toBe('100.00€');
    expect(
      price(`<h1>Bag</h1><div class="price"><span class="old-price">€219.99</span>
        <span class="special-price">€110.00</span></div>`),
    ).toBe('€110.00');
  });

  it('prefers the price with VAT to the one without', () => {
    expect(
      price(`<h1>Drill</h1><p>Netto: <span class="price">100,00 zł</span></p>
        <p class="gross"><span class="price">123,00 zł</span></p>`),
    ).toBe('123,00 zł');
  });

  it('reads a currency written apart from the digits ("$<span>99</span>")', () => {
    expect(price(`<div class="deal">最低價$<span>99</span>元起/包</div><a class="buy_btn">buy</a>`)).toBe(
      '最低價$99元起/包',
    );
  });

  it('anchors on the product heading, not a heading in the navigation', () => {
    const html = `<nav><h1>Health services</h1></nav>
      <main><h1>Orthopaedic insoles</h1><div class="slider-price"><span class="pricenew">270,00 Kn</span></div>
      ${'<div><p>Text</p></div>'.repeat(60)}
      <div class="card"><span class="item-price">169,00 Kn</span></div></main>`;
    const found = values(extractHeuristics(at(html)));
    expect(found.title).toBe('Orthopaedic insoles');
    expect(found.price).toBe('270,00 Kn');
  });
});

describe('merge: structured price against the displayed one', () => {
  it('takes the displayed price when another source confirms it and one disagrees (a starting bid)', () => {
    const html = `<head><meta property="og:title" content="Pillows"><meta property="product:price:amount" content="200">
      <meta property="product:price:currency" content="USD"></head>
      ${jsonLd({ '@type': 'Product', name: 'Pillows', offers: { price: 150, priceCurrency: 'USD' } })}
      <h1>Pillows</h1><div class="status"><span class="price">$200</span> 2 bids</div>
      <span>Starting Price $150</span><button>Place bid</button>`;
    expect(extractProduct({ url: 'https://auction.example/item/1', html }).product?.price).toBe('200');
  });

  it('drops a structured price the page shows crossed out beside the current one', () => {
    const html = `<div itemscope itemtype="http://schema.org/Product"><h1 itemprop="name">Bag</h1>
      <div itemprop="offers" itemscope itemtype="http://schema.org/Offer"><meta itemprop="price" content="219.99">
      <meta itemprop="priceCurrency" content="EUR"></div>
      <div class="price-block"><span class="original-price">EUR219.99</span> <span>-50%</span>
      <span class="product-price current-price">EUR110.00</span></div><button>Add to cart</button></div>`;
    expect(extractProduct({ url: 'https://shop.example/bag', html }).product?.price).toBe('EUR110.00');
  });

  it('drops a structured price the page shows crossed out as a bare number beside the price', () => {
    const html = `${jsonLd({ '@type': 'Product', name: 'Pro X2', offers: { price: 1199, priceCurrency: 'CHF' } })}
      <h1>Pro X2</h1><div data-test="product-price"><div><span>CHF</span> <strong class="kEDfdl">1'049.–</strong></div>
      <div><span>statt</span> <span><s>1'199.–</s></span></div></div><button>In den Warenkorb</button>`;
    expect(extractProduct({ url: 'https://shop.example/x2', html }).product?.price).toBe("CHF 1'049.–");
  });

  it('trusts an AggregateOffer’s range less than the variant the page shows', () => {
    const ld = jsonLd({
      '@type': 'Product',
      name: 'Runner 3',
      offers: {
        '@type': 'AggregateOffer',
        lowPrice: 119.99,
        highPrice: 129.99,
        priceCurrency: 'EUR',
        availability: 'InStock',
      },
    });
    const state = { product: { name: 'Runner 3', price: 129.99, available: false } };
    const html = `${ld}<h1>Runner 3</h1><span class="price">129,99 €</span>
      <script>window.__STATE__ = ${JSON.stringify(state)};</script>`;
    const { product } = extractProduct({ url: 'https://shop.example/runner-3?size=43', html });
    // The displayed text of the variant's amount, which the page state confirms (not 119.99).
    expect(product?.price).toBe('129,99 €');
    expect(product?.availability).toBe('OutOfStock');
    // The same offer as a range of one price is the price.
    const single = jsonLd({
      '@type': 'Product',
      name: 'Runner 3',
      offers: { '@type': 'AggregateOffer', lowPrice: 119.99, highPrice: 119.99, priceCurrency: 'EUR' },
    });
    expect(
      extractProduct({
        url: 'https://shop.example/runner-3',
        html: `${single}<h1>Runner 3</h1><span>129,99 €</span>`,
      }).product?.price,
    ).toBe('119.99');
  });

  it('takes the price the page displays when it lies inside a structured range, not the range’s low end', () => {
    const ld = jsonLd({
      '@type': 'Product',
      name: 'iPhone 13 128 GB',
      offers: { '@type': 'AggregateOffer', lowPrice: '389.00', highPrice: '499.00', priceCurrency: 'EUR' },
    });
    const page = (shown: string) =>
      extractProduct({
        url: 'https://refurb.example/p/iphone-13',
        html: `${ld}<h1>iPhone 13 128 GB</h1><div class="price">${shown}</div><button>Ajouter au panier</button>`,
      }).product?.price;
    expect(page('419,00 €')).toBe('419,00 €');
    // Outside the range the displayed amount is no variant of it: the structured price stands.
    expect(page('999,00 €')).toBe('389.00');
  });

  it('reads a listed range’s offer for one unit, and below the price the page shows for the option chosen', () => {
    // Graduated prices (Shopware): the first tier is what one unit costs, as the page shows.
    const tiers = `<div itemscope itemtype="https://schema.org/Product"><h1 itemprop="name">Rasendünger 5 kg</h1>
      <div itemprop="offers" itemscope itemtype="https://schema.org/AggregateOffer"><meta itemprop="lowPrice" content="25.95">
      <meta itemprop="highPrice" content="29.95"><meta itemprop="priceCurrency" content="EUR">
      <table><tr itemprop="offers" itemscope itemtype="https://schema.org/Offer"><meta itemprop="price" content="29.95">
      <td>bis 4</td><td class="price">29,95 €*</td></tr><tr itemprop="offers" itemscope itemtype="https://schema.org/Offer">
      <meta itemprop="price" content="25.95"><td>ab 10</td><td>25,95 €*</td></tr></table></div></div>`;
    expect(extractProduct({ url: 'https://shop.example/duenger', html: tiers }).product?.price).toMatch(
      /^29[.,]95/,
    );
    // Two kits, the second chosen on the page: its displayed price, not the offer guessed.
    const kits = `<div itemscope itemtype="https://schema.org/Product"><h1 itemprop="name">Перфоратор KPR-1050</h1>
      <div itemprop="offers" itemscope itemtype="https://schema.org/AggregateOffer"><meta itemprop="lowPrice" content="10990">
      <meta itemprop="highPrice" content="12490"><meta itemprop="priceCurrency" content="RUB">
      <div itemprop="offers" itemscope itemtype="https://schema.org/Offer"><meta itemprop="price" content="10990">
      <link itemprop="availability" href="https://schema.org/InStock"></div>
      <div itemprop="offers" itemscope itemtype="https://schema.org/Offer"><meta itemprop="price" content="12490">
      <link itemprop="availability" href="https://schema.org/InStock"></div></div>
      <div class="product-item-detail-price-current">12 490 ₽</div><button>В корзину</button></div>`;
    expect(extractProduct({ url: 'https://shop.example/kpr-1050', html: kits }).product?.price).toBe(
      '12 490 ₽',
    );
  });

  it('trusts an offer at another variant’s URL below the price the page shows for the variant its URL chose', () => {
    const offer = (variant: string) => ({
      '@type': 'Product',
      name: 'Air Fryer',
      offers: {
        '@type': 'Offer',
        price: '269.00',
        priceCurrency: 'MYR',
        url: `https://shop.example/products/air-fryer?variant=${variant}`,
      },
    });
    const body = `<h1>Air Fryer</h1><div class="price"><span class="price-item--sale">RM299.00</span>
      <s>RM359.00</s></div><button>Tambah ke troli</button>`;
    const at = (url: string, variant: string) =>
      extractProduct({ url, html: `${jsonLd(offer(variant))}${body}` }).product?.price;
    expect(at('https://shop.example/products/air-fryer?variant=44022', '44021')).toBe('RM299.00');
    // The offer of the variant the URL names, or a page URL naming nothing the offer's does: the offer.
    expect(at('https://shop.example/products/air-fryer?variant=44022', '44022')).toBe('269.00');
    expect(at('https://shop.example/products/air-fryer?utm_source=mail', '44021')).toBe('269.00');
  });

  it('keeps the structured price when the page shows it as the current price', () => {
    const html = `${jsonLd({ '@type': 'Product', name: 'Kettle', offers: { price: '29.90', priceCurrency: 'EUR' } })}
      <h1>Kettle</h1><div class="price"><del>39,90 €</del> <span class="now">29,90 €</span></div>`;
    expect(extractProduct({ url: 'https://shop.example/kettle', html }).product?.price).toBe('29.90');
  });
});
