/**
 * A Magento 2 product page in the Luma theme, as `Magento_Catalog::product/view/*.phtml`,
 * `Magento_Catalog::product/price/final_price.phtml` and `amount/default.phtml` render it:
 * microdata on the body, the price box with `data-price-amount`, "Special Price" / "Regular
 * Price" labels, tier prices ("Buy 3 for … each and save 10%"), the stock and SKU block, the
 * "More Information" attribute table, `text/x-magento-init` scripts, and related and up-sell
 * blocks with their own price boxes and add-to-cart buttons. Magento 2.4's `addtocart.phtml`
 * serves the add-to-cart button `disabled` (its script enables it once loaded), so a disabled
 * button there says nothing about stock.
 */
import { escapeHtml, json, money, type PageSpec } from './common.ts';

const WORDS = {
  en: {
    special: 'Special Price',
    regular: 'Regular Price',
    inStock: 'In stock',
    outOfStock: 'Out of stock',
    availability: 'Availability',
    sku: 'SKU',
    addToCart: 'Add to Cart',
    qty: 'Qty',
    more: 'More Information',
    related: 'Related Products',
    upsell: 'We found other products you might like!',
    details: 'Details',
    reviews: 'Reviews',
    wishlist: 'Add to Wish List',
    compare: 'Add to Compare',
    asLowAs: 'As low as',
    tier: (qty: number, price: string) =>
      `Buy ${qty} for ${price} each and <strong class="benefit">save<span class="percent tier-0">&nbsp;10</span>%</strong>`,
    exclTax: 'Excl. Tax',
    inclTax: 'Incl. Tax',
    cart: 'My Cart',
    home: 'Home',
  },
  de: {
    special: 'Sonderpreis',
    regular: 'Regulärer Preis',
    inStock: 'Auf Lager',
    outOfStock: 'Nicht vorrätig',
    availability: 'Verfügbarkeit',
    sku: 'Artikelnummer',
    addToCart: 'In den Warenkorb',
    qty: 'Menge',
    more: 'Zusatzinformation',
    related: 'Ähnliche Produkte',
    upsell: 'Wir haben andere Produkte gefunden, die Ihnen gefallen könnten!',
    details: 'Details',
    reviews: 'Bewertungen',
    wishlist: 'Zum Wunschzettel hinzufügen',
    compare: 'Zum Vergleich hinzufügen',
    asLowAs: 'Schon ab',
    tier: (qty: number, price: string) =>
      `Kaufe ${qty} für je ${price} und <strong class="benefit">spare<span class="percent tier-0">&nbsp;10</span>%</strong>`,
    exclTax: 'Exkl. Steuern',
    inclTax: 'Inkl. Steuern',
    cart: 'Mein Warenkorb',
    home: 'Startseite',
  },
};

function priceBox(
  spec: PageSpec,
  id: number,
  price: string,
  was: string | undefined,
  w: (typeof WORDS)['en'],
  main: boolean,
): string {
  const f = spec.format;
  const both = spec.options?.bothTaxes === true;
  const net = (amount: string) => (Number(amount) / 1.2).toFixed(2);
  const amount = (value: string, type: string, prefix: string) =>
    both
      ? `<span id="${prefix}-${id}" data-label="${w.inclTax}" data-price-amount="${value}" data-price-type="${type}" class="price-wrapper price-including-tax"><span class="price">${money(value, f)}</span></span>
        <span data-label="${w.exclTax}" data-price-amount="${net(value)}" data-price-type="basePrice" class="price-wrapper price-excluding-tax"><span class="price">${money(net(value), f)}</span></span>`
      : `<span id="${prefix}-${id}" data-price-amount="${value}" data-price-type="${type}" class="price-wrapper "><span class="price">${money(value, f)}</span></span>`;
  const offer = main ? ` itemprop="offers" itemscope itemtype="http://schema.org/Offer"` : '';
  const metas = main
    ? `<meta itemprop="price" content="${price}" /><meta itemprop="priceCurrency" content="${spec.currency}" />`
    : '';
  if (spec.options?.asLowAs === true && main)
    return `<div class="price-box price-final_price" data-role="priceBox" data-product-id="${id}" data-price-box="product-id-${id}">
<span class="normal-price"><span class="price-container price-final_price tax weee"${offer}><span class="price-label">${w.asLowAs}</span>
${amount(price, 'finalPrice', 'product-price')}${metas}</span></span></div>`;
  if (was)
    return `<div class="price-box price-final_price" data-role="priceBox" data-product-id="${id}" data-price-box="product-id-${id}">
<span class="special-price"><span class="price-container price-final_price tax weee"${offer}><span class="price-label">${w.special}</span>
${amount(price, 'finalPrice', main ? 'product-price' : 'product-price')}${metas}</span></span>
<span class="old-price"><span class="price-container price-final_price tax weee"><span class="price-label">${w.regular}</span>
${amount(was, 'oldPrice', 'old-price')}</span></span></div>`;
  return `<div class="price-box price-final_price" data-role="priceBox" data-product-id="${id}" data-price-box="product-id-${id}">
<span class="normal-price"><span class="price-container price-final_price tax weee"${offer}>
${amount(price, 'finalPrice', 'product-price')}${metas}</span></span></div>`;
}

export function renderMagento(spec: PageSpec): string {
  const w = spec.lang.startsWith('de') ? WORDS.de : WORDS.en;
  const f = spec.format;
  const id = 1000 + spec.id.length * 37;
  const related = spec.others
    .map(
      (o, i) => `<li class="item product product-item">
  <div class="product-item-info related-available">
    <a href="${o.url}" class="product photo product-item-photo"><span class="product-image-container"><span class="product-image-wrapper"><img class="product-image-photo" src="https://static.shop.example/media/catalog/product/cache/${i}/x.jpg" alt="${escapeHtml(o.name)}"></span></span></a>
    <div class="product details product-item-details">
      <strong class="product name product-item-name"><a class="product-item-link" title="${escapeHtml(o.name)}" href="${o.url}">${escapeHtml(o.name)}</a></strong>
      ${priceBox(spec, id + 10 + i, o.price, o.was, w, false)}
      <div class="product actions product-item-actions"><div class="actions-primary">${
        o.soldOut
          ? `<div class="stock unavailable"><span>${w.outOfStock}</span></div>`
          : `<button class="action tocart primary" data-mage-init='{"redirectUrl":{"url":"${o.url}"}}' type="button" title="${w.addToCart}"><span>${w.addToCart}</span></button>`
      }</div></div>
    </div>
  </div>
</li>`,
    )
    .join('\n');
  const tier =
    spec.options?.tier === true
      ? `<ul class="prices-tier items"><li class="item">${w.tier(3, `<span class="price-container price-tier_price tax weee"><span data-price-amount="${(Number(spec.price) * 0.9).toFixed(2)}" data-price-type="" class="price-wrapper "><span class="price">${money((Number(spec.price) * 0.9).toFixed(2), f)}</span></span></span>`)}</li></ul>`
      : '';
  const attributes = [
    [w.sku, spec.sku],
    ...(spec.mpn ? [['Manufacturer Part Number', spec.mpn]] : []),
    ...(spec.gtin ? [['EAN', spec.gtin]] : []),
    ['Material', String(spec.options?.material ?? 'Polyester')],
  ]
    .map(
      ([label, value]) =>
        `<tr><th class="col label" scope="row">${escapeHtml(label ?? '')}</th><td class="col data" data-th="${escapeHtml(label ?? '')}">${escapeHtml(value ?? '')}</td></tr>`,
    )
    .join('\n');
  const addToCart = spec.available
    ? `<div class="box-tocart"><div class="fieldset">
  <div class="field qty"><label class="label" for="qty"><span>${w.qty}</span></label><div class="control"><input type="number" name="qty" id="qty" min="0" value="1" title="${w.qty}" class="input-text qty" data-validate="{&quot;required-number&quot;:true}"></div></div>
  <div class="actions"><button type="submit" title="${w.addToCart}" class="action primary tocart" id="product-addtocart-button" disabled><span>${w.addToCart}</span></button></div>
</div></div>
<script type="text/x-magento-init">{"#product_addtocart_form":{"Magento_Catalog/js/validate-product":{}}}</script>`
    : '';
  return `<!doctype html>
<html lang="${spec.lang}">
<head>
<meta charset="utf-8"/>
<meta name="title" content="${escapeHtml(spec.title)}"/>
<meta name="description" content="${escapeHtml(spec.description.split('\n')[0] ?? '')}"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>${escapeHtml(spec.title)}</title>
<link rel="stylesheet" type="text/css" media="all" href="https://static.shop.example/static/version1690000000/frontend/Magento/luma/${spec.lang.replace('-', '_')}/mage/calendar.css" />
<link rel="canonical" href="${spec.url}" />
<meta property="og:type" content="product" />
<meta property="og:title" content="${escapeHtml(spec.title)}" />
<meta property="og:image" content="https://static.shop.example/media/catalog/product/cache/main.jpg" />
<meta property="og:description" content="${escapeHtml(spec.description.split('\n')[0] ?? '')}" />
<meta property="og:url" content="${spec.url}" />
<meta property="product:price:amount" content="${spec.options?.asLowAs === true ? spec.price : (spec.variants?.[0]?.price ?? spec.price)}"/>
<meta property="product:price:currency" content="${spec.currency}"/>
<script type="text/x-magento-init">{"*":{"Magento_PageCache/js/form-key-provider":{"isPaginationCacheEnabled":0}}}</script>
</head>
<body data-container="body" data-mage-init='{"loaderAjax": {}, "loader": { "icon": "https://static.shop.example/static/frontend/Magento/luma/images/loader-2.gif"}}' id="html-body" itemtype="http://schema.org/Product" itemscope="itemscope" class="catalog-product-view product-${escapeHtml(new URL(spec.url).pathname.replace(/^\/|\.html$/g, ''))} page-layout-1column">
<div class="page-wrapper">
<header class="page-header"><div class="panel wrapper"><div class="panel header"><ul class="header links"><li class="greet welcome"><span class="not-logged-in">Default welcome msg!</span></li><li class="authorization-link"><a href="/customer/account/login/">Sign In</a></li></ul></div></div>
<div class="header content"><a class="logo" href="/" title=""><img src="https://static.shop.example/static/frontend/Magento/luma/images/logo.svg" alt=""></a>
<div data-block="minicart" class="minicart-wrapper"><a class="action showcart" href="/checkout/cart/"><span class="text">${w.cart}</span><span class="counter qty empty"><span class="counter-number">0</span></span></a>
<div class="block block-minicart" data-role="dropdownDialog"><div id="minicart-content-wrapper" data-bind="scope: 'minicart_content'"></div></div></div>
<div class="block block-search"><form class="form minisearch" id="search_mini_form" action="/catalogsearch/result/" method="get"><input id="search" type="text" name="q" placeholder="Search entire store here..." class="input-text"></form></div></div></header>
<div class="sections nav-sections"><nav class="navigation" data-action="navigation"><ul data-mage-init='{"menu":{"responsive":true}}'>${spec.category.map((c) => `<li class="level0 nav-1 category-item level-top"><a href="/${escapeHtml(c.toLowerCase())}.html" class="level-top"><span>${escapeHtml(c)}</span></a></li>`).join('')}</ul></nav></div>
<div class="breadcrumbs"><ul class="items"><li class="item home"><a href="/" title="${w.home}">${w.home}</a></li>${spec.category.map((c) => `<li class="item category"><a href="/${escapeHtml(c.toLowerCase())}.html">${escapeHtml(c)}</a></li>`).join('')}<li class="item product"><strong>${escapeHtml(spec.title)}</strong></li></ul></div>
<main id="maincontent" class="page-main"><a id="contentarea" tabindex="-1"></a>
<div class="page messages"><div data-placeholder="messages"></div></div>
<div class="columns"><div class="column main">
<div class="product-info-main">
<div class="page-title-wrapper product"><h1 class="page-title"><span class="base" data-ui-id="page-title-wrapper" itemprop="name">${escapeHtml(spec.title)}</span></h1></div>
<div class="product-reviews-summary empty"><div class="reviews-actions"><a class="action add" href="#review-form">Be the first to review this product</a></div></div>
<div class="product-info-price">
${priceBox(spec, id, spec.price, spec.was, w, true)}
<div class="product-info-stock-sku">
<div class="stock ${spec.available ? 'available' : 'unavailable'}" title="${w.availability}"><span>${spec.available ? w.inStock : w.outOfStock}</span></div>
<div class="product attribute sku"><strong class="type">${w.sku}</strong><div class="value" itemprop="sku">${escapeHtml(spec.sku)}</div></div>
</div></div>
${tier}
<div class="product-add-form"><form data-product-sku="${escapeHtml(spec.sku)}" action="/checkout/cart/add/uenc/aHR0cHM6Ly9zaG9wLmV4YW1wbGUv/product/${id}/" method="post" id="product_addtocart_form">
<input type="hidden" name="product" value="${id}" /><input type="hidden" name="selected_configurable_option" value="" /><input type="hidden" name="item" value="${id}" /><input name="form_key" type="hidden" value="Xk3d9FhQ2vN1aB7c" />
${addToCart}
</form></div>
<div class="product-social-links"><div class="product-addto-links" data-role="add-to-links"><a href="#" class="action towishlist" data-action="add-to-wishlist"><span>${w.wishlist}</span></a><a href="#" class="action tocompare"><span>${w.compare}</span></a></div></div>
</div>
<div class="product media"><div class="gallery-placeholder _block-content-loading" data-gallery-role="gallery-placeholder"><img alt="main product photo" class="gallery-placeholder__image" src="https://static.shop.example/media/catalog/product/cache/main.jpg" /></div>
<script type="text/x-magento-init">{"[data-gallery-role=gallery-placeholder]":{"mage/gallery/gallery":{"data":[{"thumb":"https:\\/\\/static.shop.example\\/t.jpg","img":"https:\\/\\/static.shop.example\\/i.jpg","caption":${json(spec.title)},"position":"1","isMain":true}]}}}</script></div>
<div class="product info detailed"><div class="product data items" data-mage-init='{"tabs":{"openedState":"active"}}'>
<div class="data item title" data-role="collapsible" id="tab-label-description"><a class="data switch" tabindex="-1" data-toggle="trigger" href="#description" id="tab-label-description-title">${w.details}</a></div>
<div class="data item content" aria-labelledby="tab-label-description-title" id="description" data-role="content"><div class="product attribute description"><div class="value">${spec.description
    .split('\n')
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join('')}</div></div></div>
<div class="data item title" data-role="collapsible" id="tab-label-additional"><a class="data switch" tabindex="-1" data-toggle="trigger" href="#additional">${w.more}</a></div>
<div class="data item content" id="additional" data-role="content"><div class="additional-attributes-wrapper table-wrapper"><table class="data table additional-attributes" id="product-attribute-specs-table"><caption class="table-caption">${w.more}</caption><tbody>
${attributes}
</tbody></table></div></div>
<div class="data item title" data-role="collapsible" id="tab-label-reviews"><a class="data switch" href="#reviews">${w.reviews} <span class="counter">0</span></a></div>
</div></div>
<div class="block related" data-mage-init='{"relatedProducts":{"relatedCheckbox":".related.checkbox"}}' data-limit="0" data-shuffle="0">
<div class="block-title title"><strong id="block-related-heading" role="heading" aria-level="2">${w.related}</strong></div>
<div class="block-content content" aria-labelledby="block-related-heading"><div class="products wrapper grid products-grid products-related"><ol class="products list items product-items">
${related}
</ol></div></div></div>
</div></div></main>
<footer class="page-footer"><div class="footer content"><div class="block newsletter"><div class="title"><strong>Newsletter</strong></div><form class="form subscribe" action="/newsletter/subscriber/new/" method="post"><input name="email" type="email" id="newsletter" placeholder="Enter your email address"/><button class="action subscribe primary" title="Subscribe" type="submit"><span>Subscribe</span></button></form></div>
<ul class="footer links"><li class="nav item"><a href="/privacy-policy-cookie-restriction-mode/">Privacy and Cookie Policy</a></li><li class="nav item"><a href="/sales/guest/form/">Orders and Returns</a></li></ul></div></footer>
<small class="copyright"><span>Copyright © 2013-present Magento, Inc. All rights reserved.</span></small>
</div>
<script type="text/x-magento-init">{"*":{"Magento_Catalog/js/product/view/provider":{"data":{"items":{"${id}":{"add_to_cart_button":{"post_data":"{\\"action\\":\\"\\/checkout\\/cart\\/add\\/\\",\\"data\\":{\\"product\\":\\"${id}\\"}}","url":"\\/checkout\\/cart\\/add\\/","required_options":false},"is_salable":"${spec.available ? '1' : ''}","currency_code":"${spec.currency}","price_info":{"final_price":${spec.price},"max_price":${spec.price},"regular_price":${spec.was ?? spec.price},"minimal_price":${spec.price}},"name":${json(spec.title)},"type":"simple","id":${id}}},"store":"1","currencyCode":"${spec.currency}"}}}}</script>
</body>
</html>
`;
}
