/**
 * A Salesforce Commerce Cloud product page. `sfra` follows the Storefront Reference
 * Architecture's `product/productDetails.isml`, `product/components/pricing/main.isml`
 * (`<del><span class="strike-through list">` with "Price reduced from … to" screen-reader text,
 * `<span class="sales">` with `content=`), `availability.isml` ("Availability:" with a message
 * list) and `product/components/productNumber.isml` ("Item No."); its JSON-LD comes from
 * `product/productSchema` (`offers.price` as a string). `sitegenesis` follows the older
 * SiteGenesis templates many South American retailers still run: `product-number` with
 * `itemprop="productID"`, several prices in the buy box (a card price for the shop's own credit
 * card, the internet price everyone pays, and the normal price), and `data-product` JSON on the
 * add-to-cart form.
 */
import { escapeHtml, json, money, type PageSpec } from './common.ts';

const WORDS = {
  en: {
    item: 'Item No.',
    availability: 'Availability:',
    inStock: 'In Stock',
    outOfStock: 'Out of Stock',
    addToCart: 'Add to Cart',
    reduced: 'Price reduced from',
    to: 'to',
    recommended: 'You may also like',
    description: 'Description',
    details: 'Details',
    size: 'Size',
    select: 'Select Size',
  },
  it: {
    item: 'Articolo n.',
    availability: 'Disponibilità:',
    inStock: 'Disponibile',
    outOfStock: 'Non disponibile',
    addToCart: 'Aggiungi al carrello',
    reduced: 'Prezzo ridotto da',
    to: 'a',
    recommended: 'Potrebbe piacerti anche',
    description: 'Descrizione',
    details: 'Dettagli',
    size: 'Taglia',
    select: 'Seleziona la taglia',
  },
};

function sfraPrice(amount: string, was: string | undefined, spec: PageSpec, w: (typeof WORDS)['en']): string {
  const f = spec.format;
  const list = was
    ? `<del><span class="strike-through list"><span class="value" content="${was}"><span class="sr-only">${w.reduced}</span>${escapeHtml(money(was, f))}<span class="sr-only">${w.to}</span></span></span></del>`
    : '';
  return `<div class="price"><span>${list}<span class="sales"><span class="value" content="${amount}">${escapeHtml(money(amount, f))}</span></span></span></div>`;
}

function renderSfra(spec: PageSpec): string {
  const w = spec.lang.startsWith('it') ? WORDS.it : WORDS.en;
  const tiles = spec.others
    .map(
      (
        o,
      ) => `<div class="col-6 col-sm-4"><div class="product" data-pid="${o.name.length}P"><div class="product-tile">
  <div class="image-container"><a href="${o.url}"><img class="tile-image" src="https://shop.example/dw/image/v2/AAAA_PRD/on/demandware.static/-/Sites-catalog/default/tile.jpg" alt="${escapeHtml(o.name)}" title="${escapeHtml(o.name)}"></a><a class="quickview hidden-sm-down" href="/on/demandware.store/Sites-Shop-Site/default/Product-ShowQuickView?pid=${o.name.length}P" title="Quick View for ${escapeHtml(o.name)}"><span class="fa-stack fa-lg"></span></a></div>
  <div class="tile-body"><div class="pdp-link"><a class="link" href="${o.url}">${escapeHtml(o.name)}</a></div>${sfraPrice(o.price, o.was, spec, w)}</div>
</div></div></div>`,
    )
    .join('\n');
  const variants = spec.variants ?? [];
  return `<!DOCTYPE html>
<html lang="${spec.lang.split('-')[0]}">
<head>
<meta charset=UTF-8>
<meta http-equiv="x-ua-compatible" content="ie=edge">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(spec.title)} | ${escapeHtml(String(spec.options?.shopName ?? 'Shop'))}</title>
<meta name="description" content="${escapeHtml(spec.description.split('\n')[0] ?? '')}"/>
<link rel="stylesheet" href="/on/demandware.static/Sites-Shop-Site/-/${spec.lang.replace('-', '_')}/v1690000000/css/global.css" />
<link rel="canonical" href="${spec.url}"/>
<script>window.dataLayer = window.dataLayer || []; dataLayer.push(${json({ event: 'view_item', ecommerce: { currency: spec.currency, value: Number(spec.price), items: [{ item_id: spec.sku, item_name: spec.title, price: Number(spec.price), item_brand: spec.brand }] } })});</script>
</head>
<body>
<div class="page" data-action="Product-Show" data-querystring="pid=${escapeHtml(spec.sku)}">
<header><a href="#maincontent" class="skip" aria-label="Skip to main content">Skip to main content</a>
<nav role="navigation"><div class="header container"><div class="row"><div class="col-12"><div class="navbar-header brand"><a class="logo-home" href="/" title="${escapeHtml(String(spec.options?.shopName ?? 'Shop'))} Home"><img src="/on/demandware.static/Sites-Shop-Site/-/default/logo.svg" alt="${escapeHtml(String(spec.options?.shopName ?? 'Shop'))}" /></a></div>
<div class="navbar-header"><div class="pull-right"><div class="d-lg-none search-mobile"><button class="fa fa-search"><span class="sr-only">Search</span></button></div><div class="minicart" data-action-url="/on/demandware.store/Sites-Shop-Site/default/Cart-MiniCartShow"><div class="minicart-total hide-link-med"><a class="minicart-link" href="/cart" title="Cart 0 Items" aria-label="Cart 0 Items"><i class="minicart-icon fa fa-shopping-bag"></i><span class="minicart-quantity">0</span></a></div><div class="popover popover-bottom"></div></div></div></div></div></div></div>
<div class="main-menu navbar-toggleable-sm menu-toggleable-left multilevel-dropdown d-none d-md-block" id="sg-navbar-collapse"><div class="container"><div class="row"><nav class="navbar navbar-expand-md bg-inverse col-12"><div class="menu-group" role="navigation"><ul class="nav navbar-nav" role="menu">${spec.category.map((c) => `<li class="nav-item" role="presentation"><a href="/${escapeHtml(c.toLowerCase())}/" class="nav-link" role="link" tabindex="0">${escapeHtml(c)}</a></li>`).join('')}</ul></div></nav></div></div></div></nav>
</header>
<div role="main" id="maincontent">
<div class="container product-detail product-wrapper" data-pid="${escapeHtml(spec.sku)}">
<div class="row"><div class="col-12"><div class="row"><div class="col"><ol class="breadcrumb">${spec.category.map((c) => `<li class="breadcrumb-item"><a href="/${escapeHtml(c.toLowerCase())}/">${escapeHtml(c)}</a></li>`).join('')}</ol></div></div>
<div class="row"><div class="col-sm-6"><div class="primary-images"><div id="pdpCarousel-${escapeHtml(spec.sku)}" class="carousel slide" data-interval="0" data-prev="Previous" data-next="Next"><div class="carousel-inner" role="listbox"><div class='carousel-item active'><img src="https://shop.example/dw/image/v2/AAAA_PRD/on/demandware.static/-/Sites-catalog/default/large.jpg" class="d-block img-fluid" alt="${escapeHtml(spec.title)} image number 0" itemprop="image" /></div></div></div></div></div>
<div class="col-12 col-sm-6">
<div class="row"><div class="col"><h1 class="product-name">${escapeHtml(spec.title)}</h1></div></div>
<div class="row"><div class="col"><div class="product-number-rating clearfix"><div class="product-number pull-left">${w.item}
<span class="product-id">${escapeHtml(spec.sku)}</span></div><div class="ratings pull-right"><span class="sr-only">4.5 out of 5 Customer Rating</span></div></div></div></div>
<div class="attributes">
${
  variants.length > 0
    ? `<div class="row" data-attr="size"><div class="col-8"><div class="attribute"><label class="size" for="size-1">${w.size}</label><select class="custom-select form-control select-size" id="size-1"><option value="" data-attr-value="">${w.select}</option>${variants.map((v) => `<option value="/on/demandware.store/Sites-Shop-Site/default/Product-Variation?dwvar_${escapeHtml(spec.sku)}_size=${escapeHtml(v.name)}&amp;pid=${escapeHtml(spec.sku)}" data-attr-value="${escapeHtml(v.name)}"${v.available ? '' : ' disabled'}>${escapeHtml(v.name)}</option>`).join('')}</select></div></div></div>`
    : ''
}
<div class="row"><div class="col-8"></div></div>
<div class="product-options"></div>
<div class="row"><div class="col-12"><div class="availability product-availability" data-ready-to-order="${variants.length === 0 && spec.available}" data-available="${spec.available}"><div class="row"><div class="col-12"><label class="availability">${w.availability}</label><ul class="list-unstyled availability-msg"><li><div>${variants.length > 0 && spec.available ? escapeHtml(String(spec.options?.selectMessage ?? 'Select Styles for Availability')) : spec.available ? w.inStock : w.outOfStock}</div></li></ul></div></div></div></div></div>
<div class="prices-add-to-cart-actions"><div class="row"><div class="col-12"><div class="prices">${sfraPrice(spec.price, spec.was, spec, w)}</div></div></div>
<div class="cart-and-ipay"><div class="col-sm-12"><input type="hidden" class="add-to-cart-url" value="/on/demandware.store/Sites-Shop-Site/default/Cart-AddProduct"><button class="add-to-cart btn btn-primary" data-toggle="modal" data-target="#chooseBonusProductModal" data-pid="${escapeHtml(spec.sku)}"${spec.available && variants.length === 0 ? '' : ' disabled'}><i class="fa fa-shopping-bag"></i> ${w.addToCart}</button></div></div></div>
</div>
</div></div></div></div>
<div class="row"><div class="col-12"><div class="description-and-detail"><div class="row collapsible-xs description"><div class="col-sm-12 col-md-4 col-lg-3"><h2 class="title">${w.description}</h2></div><div class="col-sm-12 col-md-8 col-lg-9 value content" id="collapsible-description-1">${spec.description
    .split('\n')
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join('')}</div></div></div></div></div>
<div class="recommendations"><div class="container"><div class="row"><div class="col-12"><h2 class="title">${w.recommended}</h2></div></div><div class="row product-grid">
${tiles}
</div></div></div>
</div>
</div>
<footer id="footercontent"><div class="container"><div class="footer-container row"><div class="footer-item col-sm-3 store"><div class="content-asset"><h3 class="title">Account</h3><ul class="menu-footer content"><li><a href="/account">My Account</a></li><li><a href="/orders">Check Order</a></li></ul></div></div><div class="col-lg-4 col-sm-5 email-signup"><form role="form"><div class="input-group"><input type="text" class="form-control" placeholder="Enter Email" aria-label="Enter Email" name="hpEmailSignUp"><span class="input-group-append"><button type="submit" class="btn btn-primary subscribe-email">Sign Up</button></span></div></form></div></div><div class="copyright-notice"><div class="col"><div class="content-asset">&copy; 2024 Salesforce or its affiliates. All rights reserved.</div></div></div></div></footer>
</div>
<script type="application/ld+json">${json({
    '@context': 'http://schema.org/',
    '@type': 'Product',
    name: spec.title,
    description: spec.description.split('\n')[0],
    mpn: spec.sku,
    sku: spec.sku,
    brand: { '@type': 'Thing', name: spec.brand },
    image: [
      'https://shop.example/dw/image/v2/AAAA_PRD/on/demandware.static/-/Sites-catalog/default/large.jpg',
    ],
    offers: {
      url: spec.url,
      '@type': 'Offer',
      priceCurrency: spec.currency,
      price: spec.price,
      availability: `http://schema.org/${spec.available ? 'InStock' : 'OutOfStock'}`,
    },
  })}</script>
</body>
</html>
`;
}

/** SiteGenesis as Chilean department stores serve it: three prices in the buy box, Spanish labels. */
function renderSiteGenesis(spec: PageSpec): string {
  const f = spec.format;
  const card = String(spec.options?.cardPrice ?? '');
  const normal = spec.was ?? spec.price;
  const product = {
    id: spec.sku,
    name: spec.title,
    variant: spec.sku,
    category: spec.category.join('/'),
    brand: spec.brand,
    price: spec.price,
    dimension19: normal,
    dimension20: card,
  };
  const tiles = spec.others
    .map(
      (
        o,
      ) => `<div class="border-box"><div class="product-tile box-product" data-itemid="${o.name.length}999" data-product='${escapeHtml(json({ id: `${o.name.length}999`, name: o.name, price: o.price }))}'>
  <div class="product-image"><a class="thumb-link" href="${o.url}" title="Ir al producto: ${escapeHtml(o.name)}"><img src="https://shop.example/dw/image/v2/BBBB_PRD/on/demandware.static/-/Sites-master/default/tile.jpg" alt="${escapeHtml(o.name)}"/></a></div>
  <h4 class="name-product-plp"><span itemprop="name" class="ellipsis_text">${escapeHtml(o.name)}</span></h4>
  <div class="price"><div class="col-md-9 col-xs-9 item-price offer-price price-tc default-price">${escapeHtml(money(o.price, f))}</div><div class="col-md-3 col-xs-3 noPad empty"><span class="discount-badge">-18%</span></div></div>
</div></div>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="${spec.lang}">
<head>
<meta charset=UTF-8>
<title>${escapeHtml(spec.title)} | ${escapeHtml(String(spec.options?.shopName ?? 'Tienda'))}</title>
<link rel="canonical" href="${spec.url}" />
<meta property="og:title" content="${escapeHtml(spec.title)} | ${escapeHtml(String(spec.options?.shopName ?? 'Tienda'))}" />
<meta property="og:url" content="${spec.url}" />
<meta property="og:locale" content="${spec.lang.replace('-', '_')}" />
<script>var dataLayer = [${json({ ecommerce: { detail: { products: [product] } } })}];</script>
</head>
<body>
<div id="wrapper" class="pt_product-details">
<header class="header-main"><div class="header-banner">Despacho gratis sobre ${escapeHtml(money('49990', f))}</div><div class="header-search"><form role="search" action="/search" method="get" name="simpleSearch"><input type="text" id="q" name="q" value="" placeholder="Buscar productos" /></form></div><div id="mini-cart"><div class="mini-cart-total"><a class="mini-cart-link mini-cart-empty" href="/cart" title="Ver carro"><span class="minicart-quantity">0</span></a></div></div></header>
<div id="main" role="main" class="full-width clearfix">
<div class="breadcrumb">${spec.category.map((c) => `<a class="breadcrumb-element" href="/${escapeHtml(c.toLowerCase())}/">${escapeHtml(c)}</a>`).join(' / ')}</div>
<div id="primary" class="primary-content">
<div id="pdpMain" class="pdp-main" itemscope itemtype="http://schema.org/Product">
<div class="product-col-1 product-image-container"><div class="product-primary-image"><img itemprop="image" class="primary-image" src="https://shop.example/dw/image/v2/BBBB_PRD/on/demandware.static/-/Sites-master/default/large.jpg" alt="${escapeHtml(spec.title)}"/></div></div>
<div class="product-col-2 product-detail">
<span class="brand-product-pdp" itemprop="brand">${escapeHtml(spec.brand)}</span>
<h1 class="product-name" itemprop="name">${escapeHtml(spec.title)}</h1>
<div class="product-number">SKU: <span itemprop="productID" data-masterid="${escapeHtml(spec.sku)}">${escapeHtml(spec.sku)}</span></div>
<div class="col-xs-12 product-price-2">
<div class="col-md-6 col-xs-7 price noPad"><div class="item-price offer-price price-tc cencosud-price-2">${escapeHtml(money(card, f))}<img src="/on/demandware.static/Sites-Site/-/default/images/cards/tc.png" alt="Tarjeta" class="tc-icon"/></div><span class="price-label-short">Precio con Tarjeta</span></div>
<div class="col-md-6 col-xs-5 noPad"><span class="discount-2">-${Math.round((1 - Number(card) / Number(normal)) * 100)}%</span></div>
</div>
<div class="row-price"><div class="column-price details-price"><div class="item-price price-internet-wrapper"><div itemprop="offers" itemtype="http://schema.org/Offer" class="price-internet "><small class="price-label-short">Internet:</small><span itemprop="price">${escapeHtml(money(spec.price, f))}</span><meta itemprop="priceCurrency" content="${spec.currency}"/></div></div>
<div class="item-price price-normal"><small class="price-label-short">Normal:</small><span class="price-standard">${escapeHtml(money(normal, f))}</span></div></div></div>
<div class="product-variations" data-attributes='{}'></div>
<div class="availability-web"><label>Disponibilidad:</label><span class="value">${spec.available ? 'Disponible para despacho' : 'Agotado'}</span></div>
<div class="product-add-to-cart"><form action="/on/demandware.store/Sites-Site/es_CL/Cart-AddProduct" method="post" id="dwfrm_product_addtocart" class="pdpForm" data-product='${escapeHtml(json(product))}' novalidate="novalidate"><fieldset><input type="hidden" name="pid" value="${escapeHtml(spec.sku)}" /><div class="inventory"><div class="quantity"><label for="Quantity">Cantidad</label><input type="text" class="input-text" name="Quantity" id="Quantity" size="2" maxlength="3" value="1" /></div></div>
<button id="add-to-cart" type="submit" title="Agregar a la bolsa" value="Agregar a la bolsa" class="button-fancy-large add-to-cart"${spec.available ? '' : ' disabled="disabled"'}>Agregar a la bolsa</button></fieldset></form></div>
</div>
<div class="product-info"><div class="tabs"><div class="tab"><label class="tab-label" for="tab-1">Descripción</label><div class="tab-content" itemprop="description">${spec.description
    .split('\n')
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join('')}</div></div></div></div>
</div>
<div class="recommendations cross-sell"><h2>Productos recomendados</h2><div class="grid-tile">${tiles}</div></div>
</div>
</div>
<footer><div class="footer-container"><div class="footer-item">Servicio al cliente 600 400 1234</div></div></footer>
</div>
</body>
</html>
`;
}

export function renderSfcc(spec: PageSpec): string {
  return spec.options?.sitegenesis === true ? renderSiteGenesis(spec) : renderSfra(spec);
}
