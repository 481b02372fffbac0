/**
 * A PrestaShop 1.7 / 8 product page in the Classic theme, as
 * `templates/catalog/product.tpl`, `_partials/product-prices.tpl`,
 * `_partials/product-add-to-cart.tpl`, `_partials/product-details.tpl` and
 * `_partials/miniatures/product.tpl` render it: microdata with `itemprop="price" content=…`, the
 * regular price beside a "Save 20%" badge, the unit price line ("€8.50 per kg"), the availability
 * icon and text (`#product-availability`), a `disabled` add-to-cart button when the product
 * cannot be ordered, "Reference" in the details tab, the `prestashop` JS object with the shop's
 * currency, and the "You might also like" product miniatures.
 */
import { escapeHtml, json, money, type PageSpec } from './common.ts';

const WORDS = {
  en: {
    save: (n: number) => `Save ${n}%`,
    tax: 'Tax included',
    quantity: 'Quantity',
    addToCart: 'Add to cart',
    inStock: 'In stock',
    outOfStock: 'Out-of-Stock',
    reference: 'Reference',
    details: 'Product Details',
    description: 'Description',
    accessories: 'You might also like',
    per: 'per',
    regular: 'Regular price',
    price: 'Price',
    items: (n: number) => `${n} Items`,
    condition: 'Condition',
    newProduct: 'New product',
    home: 'Home',
  },
  fr: {
    save: (n: number) => `Économisez ${n}%`,
    tax: 'TTC',
    quantity: 'Quantité',
    addToCart: 'Ajouter au panier',
    inStock: 'En stock',
    outOfStock: 'Rupture de stock',
    reference: 'Référence',
    details: 'Détails du produit',
    description: 'Description',
    accessories: 'Vous aimerez aussi',
    per: 'le',
    regular: 'Prix de base',
    price: 'Prix',
    items: (n: number) => `${n} Produits`,
    condition: 'État',
    newProduct: 'Nouveau produit',
    home: 'Accueil',
  },
  pl: {
    save: (n: number) => `Oszczędzasz ${n}%`,
    tax: 'brutto',
    quantity: 'Ilość',
    addToCart: 'Dodaj do koszyka',
    inStock: 'Dostępny',
    outOfStock: 'Brak towaru',
    reference: 'Kod produktu',
    details: 'Szczegóły produktu',
    description: 'Opis',
    accessories: 'Polecamy również',
    per: 'za',
    regular: 'Cena podstawowa',
    price: 'Cena',
    items: (n: number) => `${n} Przedmioty`,
    condition: 'Stan',
    newProduct: 'Nowy produkt',
    home: 'Strona główna',
  },
  es: {
    save: (n: number) => `Ahorra ${n}%`,
    tax: 'IVA incluido',
    quantity: 'Cantidad',
    addToCart: 'Añadir al carrito',
    inStock: 'En stock',
    outOfStock: 'Fuera de stock',
    reference: 'Referencia',
    details: 'Detalles del producto',
    description: 'Descripción',
    accessories: 'También podría interesarle',
    per: 'por',
    regular: 'Precio base',
    price: 'Precio',
    items: (n: number) => `${n} Artículos`,
    condition: 'Condición',
    newProduct: 'Nuevo',
    home: 'Inicio',
  },
};

export function renderPrestaShop(spec: PageSpec): string {
  const w = WORDS[spec.lang.split('-')[0] as keyof typeof WORDS] ?? WORDS.en;
  const f = spec.format;
  const idProduct = 10 + spec.id.length * 3;
  const discount = spec.was ? Math.round((1 - Number(spec.price) / Number(spec.was)) * 100) : 0;
  const miniatures = spec.others
    .map(
      (o, i) => `<div class="js-product product col-xs-12 col-sm-6 col-lg-4 col-xl-3">
  <article class="product-miniature js-product-miniature" data-id-product="${idProduct + 1 + i}" data-id-product-attribute="0">
    <div class="thumbnail-container"><div class="thumbnail-top"><a href="${o.url}" class="thumbnail product-thumbnail"><img src="https://shop.example/${i}-home_default/x.jpg" alt="${escapeHtml(o.name)}" loading="lazy" width="250" height="250" /></a></div>
      <div class="product-description">
        <h3 class="h3 product-title"><a href="${o.url}" content="${o.url}">${escapeHtml(o.name)}</a></h3>
        <div class="product-price-and-shipping">${o.was ? `<span class="regular-price" aria-label="${w.regular}">${escapeHtml(money(o.was, f))}</span><span class="discount-percentage discount-product">-${Math.round((1 - Number(o.price) / Number(o.was)) * 100)}%</span>` : ''}<span class="price" aria-label="${w.price}">${escapeHtml(money(o.price, f))}</span></div>
      </div>
      <ul class="product-flags js-product-flags">${o.was ? '<li class="product-flag discount">-20%</li>' : ''}${o.soldOut ? `<li class="product-flag out_of_stock">${w.outOfStock}</li>` : ''}</ul>
    </div>
  </article>
</div>`,
    )
    .join('\n');
  const prestashop = {
    cart: {
      products: [],
      totals: { total: { type: 'total', label: 'Total', amount: 0, value: money('0', f) } },
    },
    currency: { id: 1, name: spec.currency, iso_code: spec.currency, iso_code_num: '978', sign: f.symbol },
    customer: { lastname: null, firstname: null, is_logged: false },
    language: {
      name: spec.lang,
      iso_code: spec.lang.split('-')[0],
      locale: spec.lang,
      language_code: spec.lang,
    },
    page: { title: '', canonical: spec.url, meta: { title: spec.title }, page_name: 'product' },
    shop: { name: String(spec.options?.shopName ?? 'Shop') },
  };
  // PrestaShop 8's `_partials/microdata/product-jsonld.tpl`; shops on 1.7 or with SEO modules often lack it.
  const structured =
    spec.options?.jsonLd === true
      ? `<script type="application/ld+json">${json({
          '@context': 'https://schema.org/',
          '@type': 'Product',
          name: spec.title,
          description: spec.description.split('\n')[0],
          category: spec.category.at(-1),
          image: 'https://shop.example/1-home_default/x.jpg',
          sku: spec.sku,
          mpn: spec.sku,
          brand: { '@type': 'Brand', name: spec.brand },
          offers: {
            '@type': 'Offer',
            priceCurrency: spec.currency,
            name: spec.title,
            price: spec.price,
            url: spec.url,
            priceValidUntil: '2030-01-01',
            sku: spec.sku,
            mpn: spec.sku,
            availability: `https://schema.org/${spec.available ? 'InStock' : 'OutOfStock'}`,
            seller: { '@type': 'Organization', name: String(spec.options?.shopName ?? 'Shop') },
          },
        })}</script>`
      : '';
  return `<!doctype html>
<html lang="${spec.lang.split('-')[0]}">
<head>
<meta charset="utf-8">
<meta http-equiv="x-ua-compatible" content="ie=edge">
<link rel="canonical" href="${spec.url}">
<title>${escapeHtml(spec.title)}</title>
<meta name="description" content="${escapeHtml(spec.description.split('\n')[0] ?? '')}">
<meta property="og:title" content="${escapeHtml(spec.title)}"/>
<meta property="og:url" content="${spec.url}"/>
<meta property="og:site_name" content="${escapeHtml(String(spec.options?.shopName ?? 'Shop'))}"/>
<meta property="og:description" content="${escapeHtml(spec.description.split('\n')[0] ?? '')}">
<meta property="og:type" content="product">
<meta property="og:image" content="https://shop.example/1-large_default/x.jpg">
<meta property="product:pretax_price:amount" content="${(Number(spec.price) / 1.2).toFixed(6)}">
<meta property="product:pretax_price:currency" content="${spec.currency}">
<meta property="product:price:amount" content="${spec.price}">
<meta property="product:price:currency" content="${spec.currency}">
<script type="text/javascript">
        var prestashop = ${json(prestashop)};
        var prestashopFacebookAjaxController = "https:\\/\\/shop.example\\/module\\/ps_facebook\\/Ajax";
</script>
${structured}
</head>
<body id="product" class="lang-${spec.lang.split('-')[0]} country-${(spec.lang.split('-')[1] ?? 'fr').toLowerCase()} currency-${spec.currency.toLowerCase()} layout-full-width page-product tax-display-enabled product-id-${idProduct} product-${escapeHtml(spec.title.toLowerCase().replace(/\W+/g, '-'))} category-id-3 product-available-for-order">
<main>
<header id="header">
  <nav class="header-nav"><div class="container"><div class="row"><div class="hidden-sm-down"><div class="col-md-5 col-xs-12"><div id="_desktop_contact_link"><div id="contact-link"><a href="/contact-us">Contact us</a></div></div></div>
  <div class="col-md-7 right-nav"><div id="_desktop_currency_selector"><div class="currency-selector dropdown js-dropdown"><span id="currency-selector-label">Currency:</span><button data-target="#" data-toggle="dropdown" class="hidden-sm-down btn-unstyle" aria-haspopup="true" aria-expanded="false" aria-label="Currency dropdown"><span class="expand-more _gray-darker">${spec.currency} ${escapeHtml(f.symbol)}</span></button></div></div>
  <div id="_desktop_cart"><div class="blockcart cart-preview inactive" data-refresh-url="//shop.example/module/ps_shoppingcart/ajax"><div class="header"><i class="material-icons shopping-cart" aria-hidden="true">shopping_cart</i><span class="hidden-sm-down">Cart</span><span class="cart-products-count">(0)</span></div></div></div></div></div></div></div></nav>
  <div class="header-top"><div class="container"><div class="row"><div class="col-md-2 hidden-sm-down" id="_desktop_logo"><a href="/"><img class="logo img-fluid" src="https://shop.example/img/logo.png" alt="${escapeHtml(String(spec.options?.shopName ?? 'Shop'))}" width="175" height="49"></a></div>
  <div class="header-top-right col-md-10 col-sm-12 position-static"><div class="menu js-top-menu position-static hidden-sm-down" id="_desktop_top_menu"><ul class="top-menu" id="top-menu" data-depth="0">${spec.category.map((c) => `<li class="category"><a class="dropdown-item" href="/${escapeHtml(c.toLowerCase())}" data-depth="0">${escapeHtml(c)}</a></li>`).join('')}</ul></div></div></div></div></div>
</header>
<section id="wrapper"><div class="container">
<nav data-depth="3" class="breadcrumb hidden-sm-down"><ol><li><a href="/"><span>${w.home}</span></a></li>${spec.category.map((c) => `<li><a href="/${escapeHtml(c.toLowerCase())}"><span>${escapeHtml(c)}</span></a></li>`).join('')}<li><span>${escapeHtml(spec.title)}</span></li></ol></nav>
<div class="row"><div id="content-wrapper" class="js-content-wrapper col-xs-12">
<section id="main">
<meta content="${spec.url}">
<div class="row product-container js-product-container">
<div class="col-md-6"><section class="page-content" id="content"><div class="images-container js-images-container"><div class="product-cover"><img class="js-qv-product-cover img-fluid" src="https://shop.example/1-large_default/x.jpg" alt="${escapeHtml(spec.title)}" loading="lazy" width="800" height="800"></div></div></section></div>
<div class="col-md-6">
<h1 class="h1">${escapeHtml(spec.title)}</h1>
<div class="product-prices js-product-prices">
${spec.was ? `<div class="product-discount"><span class="regular-price">${escapeHtml(money(spec.was, f))}</span></div>` : ''}
<div class="product-price h5 ${spec.was ? 'has-discount' : ''}">
  <div class="current-price"><span class='current-price-value' content="${spec.price}">${escapeHtml(money(spec.price, f))}</span>${spec.was ? `<span class="discount discount-percentage">${w.save(discount)}</span>` : ''}</div>
  ${spec.unit ? `<p class="product-unit-price sub">${escapeHtml(money(spec.unit.price, f))} ${w.per} ${escapeHtml(spec.unit.per)}</p>` : ''}
</div>
<div class="tax-shipping-delivery-label">${w.tax}</div>
</div>
<div class="product-information">
<div id="product-description-short-${idProduct}" class="product-description"><p>${escapeHtml(spec.description.split('\n')[0] ?? '')}</p></div>
<div class="product-actions js-product-actions">
<form action="/cart" method="post" id="add-to-cart-or-refresh">
<input type="hidden" name="token" value="a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"><input type="hidden" name="id_product" value="${idProduct}" id="product_page_product_id"><input type="hidden" name="id_customization" value="0" id="product_customization_id" class="js-product-customization-id">
<div class="product-add-to-cart js-product-add-to-cart">
<span class="control-label">${w.quantity}</span>
<div class="product-quantity clearfix">
  <div class="qty"><input type="number" name="qty" id="quantity_wanted" inputmode="numeric" pattern="[0-9]*" value="1" min="1" class="input-group" aria-label="${w.quantity}"></div>
  <div class="add"><button class="btn btn-primary add-to-cart" data-button-action="add-to-cart" type="submit"${spec.available ? '' : ' disabled'}><i class="material-icons shopping-cart">&#xE547;</i>${w.addToCart}</button></div>
</div>
<span id="product-availability" class="js-product-availability">${
    spec.available
      ? `<i class="material-icons rtl-no-flip product-available">&#xE5CA;</i>${w.inStock}`
      : `<i class="material-icons product-unavailable">&#xE14B;</i>${w.outOfStock}`
  }</span>
<p class="product-minimal-quantity js-product-minimal-quantity"></p>
</div>
</form>
</div>
<div class="tabs">
<ul class="nav nav-tabs" role="tablist"><li class="nav-item"><a class="nav-link active" data-toggle="tab" href="#description" role="tab">${w.description}</a></li><li class="nav-item"><a class="nav-link" data-toggle="tab" href="#product-details" role="tab">${w.details}</a></li></ul>
<div class="tab-content" id="tab-content">
<div class="tab-pane fade in active js-product-tab-active" id="description" role="tabpanel"><div class="product-description">${spec.description
    .split('\n')
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join('')}</div></div>
<div class="js-product-details tab-pane fade" id="product-details" data-product="${escapeHtml(json({ id_product: String(idProduct), reference: spec.sku, quantity: spec.available ? 120 : 0, price: Number(spec.price), rounded_display_price: Number(spec.price), availability: spec.available ? 'available' : 'unavailable', availability_message: spec.available ? w.inStock : w.outOfStock }))}" role="tabpanel">
<div class="product-manufacturer"><a href="/brand/1-brand"><img src="https://shop.example/img/m/1.jpg" class="img img-fluid manufacturer-logo" alt="${escapeHtml(spec.brand)}" loading="lazy"></a></div>
<div class="product-reference"><label class="label">${w.reference} </label><span>${escapeHtml(spec.sku)}</span></div>
<div class="product-quantities"><label class="label">${w.inStock}</label><span data-stock="${spec.available ? 120 : 0}" data-allow-oosp="0">${w.items(spec.available ? 120 : 0)}</span></div>
<div class="product-condition"><label class="label">${w.condition} </label><link href="https://schema.org/NewCondition"/><span>${w.newProduct}</span></div>
${spec.gtin ? `<section class="product-features"><p class="h6">Data sheet</p><dl class="data-sheet"><dt class="name">EAN-13</dt><dd class="value">${escapeHtml(spec.gtin)}</dd></dl></section>` : ''}
</div>
</div></div>
</div></div></div>
<section class="product-accessories clearfix"><p class="h5 text-uppercase">${w.accessories}</p><div class="products row">
${miniatures}
</div></section>
</section>
</div></div></div></section>
<footer id="footer" class="js-footer"><div class="container"><div class="row"><div class="block_newsletter col-lg-8 col-md-12 col-sm-12" id="blockEmailSubscription_displayFooterBefore"><div class="row"><p id="block-newsletter-label" class="col-md-5 col-xs-12">Get our latest news and special sales</p><div class="col-md-7 col-xs-12"><form action="#blockEmailSubscription_displayFooterBefore" method="post"><input class="btn btn-primary float-xs-right hidden-xs-down" name="submitNewsletter" type="submit" value="Subscribe"><input name="email" type="email" value="" placeholder="Your email address"></form></div></div></div></div>
<div class="row"><div class="col-md-12"><p class="text-sm-center"><a href="https://www.prestashop.com" target="_blank" rel="noopener noreferrer nofollow">© 2024 - Ecommerce software by PrestaShop™</a></p></div></div></div></footer>
</main>
</body>
</html>
`;
}
