/**
 * A Shopware 6 product page in the default Storefront theme, as
 * `storefront/page/product-detail/buy-widget.html.twig`, `buy-widget-price.html.twig` and
 * `component/delivery-information.html.twig` render it: microdata on the page, the price with an
 * asterisk ("19,99 €*") beside a list price ("Statt: 24,99 €*"), the base price line
 * ("Inhalt: 0.5 Liter (39,98 €* / 1 Liter)"), the delivery status with a schema.org
 * availability link, "Produktnummer:" with the number, and cross-selling product boxes.
 */
import { escapeHtml, money, type PageSpec } from './common.ts';

const WORDS = {
  de: {
    content: 'Inhalt:',
    list: 'Statt:',
    save: 'Sie sparen',
    productNumber: 'Produktnummer:',
    available: 'Sofort verfügbar, Lieferzeit 1-3 Werktage',
    soldOut: 'Nicht mehr verfügbar',
    addToCart: 'In den Warenkorb',
    tax: 'Preise inkl. MwSt. zzgl. Versandkosten',
    cross: 'Ähnliche Produkte',
    description: 'Beschreibung',
    reviews: 'Bewertungen',
    details: 'Details',
    cart: 'Warenkorb',
    notify: 'Benachrichtigen, wenn verfügbar',
  },
  nl: {
    content: 'Inhoud:',
    list: 'Adviesprijs:',
    save: 'U bespaart',
    productNumber: 'Productnummer:',
    available: 'Direct leverbaar, levertijd 1-3 werkdagen',
    soldOut: 'Niet meer leverbaar',
    addToCart: 'In winkelwagen',
    tax: 'Prijzen incl. btw, excl. verzendkosten',
    cross: 'Vergelijkbare producten',
    description: 'Beschrijving',
    reviews: 'Beoordelingen',
    details: 'Details',
    cart: 'Winkelwagen',
    notify: 'Houd mij op de hoogte',
  },
};

export function renderShopware(spec: PageSpec): string {
  const w = spec.lang.startsWith('nl') ? WORDS.nl : WORDS.de;
  const f = spec.format;
  const star = (amount: string) => `${escapeHtml(money(amount, f))}*`;
  const unit = spec.unit
    ? `<div class="product-detail-price-unit"><span class="price-unit-label">${w.content}</span><span class="price-unit-content">${escapeHtml(String(spec.options?.content ?? '0.5 Liter'))}</span><span class="price-unit-reference-content">(${star(spec.unit.price)} / ${escapeHtml(spec.unit.per)})</span></div>`
    : '';
  const list = spec.was
    ? `<span class="product-detail-list-price-wrapper"><span class="list-price-label">${w.list}</span><span class="list-price-price">${star(spec.was)}</span><span class="list-price-percentage">(${w.save} ${Math.round((1 - Number(spec.price) / Number(spec.was)) * 100)}%)</span></span>`
    : '';
  const boxes = spec.others
    .map(
      (o) => `<div class="cms-listing-col col-sm-6 col-lg-4 col-xl-3 product-slider-item">
  <div class="card product-box box-standard">
    <div class="card-body">
      <div class="product-image-wrapper"><a href="${o.url}" title="${escapeHtml(o.name)}" class="product-image-link is-standard"><img src="https://cdn.shop.example/media/${o.name.length}.jpg" class="product-image is-standard" alt="${escapeHtml(o.name)}"></a></div>
      <div class="product-info">
        <a href="${o.url}" class="product-name" title="${escapeHtml(o.name)}">${escapeHtml(o.name)}</a>
        <div class="product-price-info"><div class="product-price-wrapper"><span class="product-price${o.was ? ' with-list-price' : ''}">${star(o.price)}${o.was ? `<span class="list-price"><span class="list-price-price">${star(o.was)}</span></span>` : ''}</span></div></div>
        <div class="product-action">${o.soldOut ? '' : `<form action="/checkout/line-item/add" method="post" class="buy-widget" data-add-to-cart="true"><div class="d-grid"><button class="btn btn-buy" title="${w.addToCart}">${w.addToCart}</button></div></form>`}</div>
      </div>
    </div>
  </div>
</div>`,
    )
    .join('\n');
  const buy = spec.available
    ? `<form id="productDetailPageBuyProductForm" action="/checkout/line-item/add" method="post" class="buy-widget" data-add-to-cart="true">
  <div class="row g-2 buy-widget-container">
    <div class="col-4 d-flex justify-content-end"><select name="lineItems[${spec.sku}][quantity]" class="form-select product-detail-quantity-select">${[1, 2, 3, 4, 5].map((n) => `<option value="${n}">${n}</option>`).join('')}</select></div>
    <div class="col-8"><div class="d-grid"><button class="btn btn-primary btn-buy" title="${w.addToCart}" aria-label="${w.addToCart}">${w.addToCart}</button></div></div>
  </div>
</form>`
    : `<div class="product-detail-form-container"><button class="btn btn-outline-primary" type="button">${w.notify}</button></div>`;
  return `<!DOCTYPE html>
<html lang="${spec.lang}" itemscope="itemscope" itemtype="https://schema.org/WebPage">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
<meta name="author" content=""/>
<meta name="robots" content="index,follow"/>
<meta name="revisit-after" content="15 days"/>
<meta name="description" content="${escapeHtml(spec.description.split('\n')[0] ?? '')}"/>
<meta property="og:type" content="product"/>
<meta property="og:site_name" content="${escapeHtml(String(spec.options?.shopName ?? 'Shop'))}"/>
<meta property="og:url" content="${spec.url}"/>
<meta property="og:title" content="${escapeHtml(spec.title)} | ${escapeHtml(spec.sku)}"/>
<meta property="og:description" content="${escapeHtml(spec.description.split('\n')[0] ?? '')}"/>
<meta property="og:image" content="https://cdn.shop.example/media/main.jpg"/>
<meta property="product:brand" content="${escapeHtml(spec.brand)}"/>
<meta property="product:price:amount" content="${spec.price}"/>
<meta property="product:price:currency" content="${spec.currency}"/>
<meta property="product:product_link" content="${spec.url}"/>
<meta name="twitter:card" content="product"/>
<link rel="canonical" href="${spec.url}"/>
<title itemprop="name">${escapeHtml(spec.title)} | ${escapeHtml(spec.sku)}</title>
<script>window.features = {"v6.6.0.0":true}; window.activeNavigationId = '0190a1b2c3d4e5f6'; window.router = {'frontend.cart.offcanvas': '/checkout/offcanvas'}; window.salesChannelId = '0190a1b2c3d4e5f7';</script>
</head>
<body class="is-ctl-product is-act-index">
<div class="skip-to-content bg-primary-subtle text-primary-emphasis visually-hidden-focusable overflow-hidden"><div class="container d-flex justify-content-center"><a href="#content-main" class="skip-to-content-link d-inline-flex text-decoration-underline m-1 p-2 fw-bold gap-2">Zum Hauptinhalt springen</a></div></div>
<noscript class="noscript-main"><div role="alert" aria-live="polite" class="alert alert-info d-flex align-items-center"><div class="alert-content-container"><div class="alert-content">Um unseren Shop in vollem Umfang nutzen zu können, empfehlen wir Ihnen Javascript in Ihrem Browser zu aktivieren.</div></div></div></noscript>
<header class="header-main"><div class="container">
  <div class="top-bar d-none d-lg-block"><nav class="top-bar-nav"><div class="top-bar-nav-item top-bar-currency"><form method="post" action="/checkout/configure" class="currency-form"><div class="currencies-menu dropdown"><button class="btn dropdown-toggle top-bar-nav-btn" type="button" id="currenciesDropdown-top-bar" data-bs-toggle="dropdown"><span class="top-bar-nav-text">${escapeHtml(f.symbol)} ${spec.currency}</span></button></div></form></div></nav></div>
  <div class="row align-items-center header-row"><div class="col-12 col-lg-auto header-logo-col"><div class="header-logo-main"><a class="header-logo-main-link" href="/" title="Zur Startseite gehen"><picture class="header-logo-picture"><img src="https://cdn.shop.example/media/logo.png" alt="Zur Startseite gehen" class="img-fluid header-logo-main-img"></picture></a></div></div>
  <div class="col-12 order-2 col-sm order-sm-1 header-search-col"><form action="/search" method="get" class="header-search-form"><input type="search" name="search" class="form-control header-search-input" autocomplete="off" placeholder="Suchbegriff eingeben ..." aria-label="Suchbegriff eingeben ..." value=""></form></div>
  <div class="col-12 order-1 col-sm-auto order-sm-2 header-actions-col"><div class="row g-0"><div class="col-auto"><div class="header-cart" data-off-canvas-cart="true"><a class="btn header-cart-btn header-actions-btn" href="/checkout/cart" title="${w.cart}"><span class="header-cart-icon"></span><span class="header-cart-total d-none d-sm-inline-block ms-sm-2">${star('0')}</span></a></div></div></div></div>
  </div>
</div></header>
<div class="nav-main"><div class="main-navigation" id="mainNavigation"><div class="container"><nav class="nav main-navigation-menu" itemscope="itemscope" itemtype="https://schema.org/SiteNavigationElement"><a class="nav-link main-navigation-link home-link" href="/" itemprop="url" title="Home"><div class="main-navigation-link-text"><span itemprop="name">Home</span></div></a>${spec.category.map((c) => `<a class="nav-link main-navigation-link" href="/${escapeHtml(c)}/" itemprop="url" title="${escapeHtml(c)}"><div class="main-navigation-link-text"><span itemprop="name">${escapeHtml(c)}</span></div></a>`).join('')}</nav></div></div></div>
<main class="content-main" id="content-main"><div class="flashbags container"></div>
<div class="container-main"><div class="cms-breadcrumb container"><nav aria-label="breadcrumb"><ol class="breadcrumb" itemscope itemtype="https://schema.org/BreadcrumbList">${spec.category.map((c, i) => `<li class="breadcrumb-item" itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem"><a href="/${escapeHtml(c)}/" class="breadcrumb-link" title="${escapeHtml(c)}" itemprop="item"><link itemprop="url" href="/${escapeHtml(c)}/"/><span class="breadcrumb-title" itemprop="name">${escapeHtml(c)}</span></a><meta itemprop="position" content="${i + 1}"/></li>`).join('')}</ol></nav></div>
<div class="cms-page" itemscope itemtype="https://schema.org/Product">
<meta itemprop="brand" content="${escapeHtml(spec.brand)}"/>
<meta itemprop="gtin13" content="${escapeHtml(spec.gtin ?? '')}"/>
<meta itemprop="image" content="https://cdn.shop.example/media/main.jpg"/>
<div class="cms-sections"><div class="cms-section pos-0 cms-section-default"><div class="cms-section-default boxed"><div class="cms-block pos-0 cms-block-product-heading pos-0 cms-block-product-heading"><div class="cms-block-container"><div class="cms-block-container-row row cms-row ">
<div class="col-lg-8"><div class="cms-element-product-name"><h1 class="product-detail-name" itemprop="name">${escapeHtml(spec.title)}</h1></div></div>
<div class="col-lg-4"><div class="cms-element-manufacturer-logo"><a href="/manufacturer/" class="product-detail-manufacturer-link" title="${escapeHtml(spec.brand)}">${escapeHtml(spec.brand)}</a></div></div>
</div></div></div>
<div class="cms-block pos-1 cms-block-gallery-buybox"><div class="cms-block-container"><div class="cms-block-container-row row cms-row ">
<div class="col-lg-7 product-detail-media"><div class="cms-element-image-gallery"><div class="base-slider gallery-slider"><div class="gallery-slider-container"><div class="gallery-slider-item-container"><div class="gallery-slider-item is-contain js-magnifier-container"><img src="https://cdn.shop.example/media/main.jpg" class="img-fluid gallery-slider-image magnifier-image js-magnifier-image" alt="${escapeHtml(spec.title)}" itemprop="image"></div></div></div></div></div></div>
<div class="col-lg-5 product-detail-buy"><div class="cms-element-buy-box" data-buy-box="true" data-buy-box-options='{"elementId":"0190a1b2c3d4e5f8","buyBoxContentUrl":"/widgets/cms/buybox/0190a1b2c3d4e5f8/switch"}'>
<div class="product-detail-buy">
<div itemprop="offers" itemscope itemtype="http://schema.org/Offer">
<meta itemprop="url" content="${spec.url}"/>
<meta itemprop="priceCurrency" content="${spec.currency}"/>
<div class="product-detail-price-container">
<meta itemprop="price" content="${spec.price}">
${spec.was ? `<meta itemprop="priceValidUntil" content="2030-12-31">` : ''}
<p class="product-detail-price${spec.was ? ' with-list-price' : ''}">${star(spec.price)}</p>
${list}
${unit}
</div>
<p class="product-detail-tax-container"><a class="product-detail-tax-link" href="/widgets/cms/shipping-information" title="${w.tax}" data-ajax-modal="true">${w.tax}</a></p>
<div class="product-delivery-information">
<link itemprop="availability" href="http://schema.org/${spec.available ? 'InStock' : 'OutOfStock'}"/>
<p class="delivery-information ${spec.available ? 'delivery-available' : 'delivery-soldout'}"><span class="delivery-status-indicator ${spec.available ? 'bg-success' : 'bg-danger'}"></span>${spec.available ? w.available : w.soldOut}</p>
</div>
</div>
<div class="product-detail-form-container">${buy}</div>
<div class="product-detail-ordernumber-container"><span class="product-detail-ordernumber-label">${w.productNumber}</span><meta itemprop="productID" content="0190a1b2c3d4e5f9"/><span class="product-detail-ordernumber" itemprop="sku">${escapeHtml(spec.sku)}</span></div>
</div>
</div></div>
</div></div></div>
<div class="cms-block pos-2 cms-block-product-description-reviews"><div class="cms-element-product-description-reviews"><div class="product-detail-tabs"><ul class="nav nav-tabs product-detail-tab-navigation-list" id="product-detail-tabs" role="tablist"><li class="nav-item"><a class="nav-link active product-detail-tab-navigation-link" id="description-tab" data-bs-toggle="tab" href="#description-tab-pane">${w.description}</a></li><li class="nav-item"><a class="nav-link product-detail-tab-navigation-link" id="review-tab" data-bs-toggle="tab" href="#review-tab-pane">${w.reviews}</a></li></ul>
<div class="product-detail-tabs-content card-body"><div class="tab-content"><div class="tab-pane fade show active" id="description-tab-pane" role="tabpanel"><div class="product-detail-description tab-pane-container"><div class="h3 product-detail-description-title">${w.details}</div><div class="product-detail-description-text" itemprop="description">${spec.description
    .split('\n')
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join(
      '',
    )}</div><div class="product-detail-properties"><table class="table table-striped product-detail-properties-table"><tbody><tr class="properties-row"><th class="properties-label">Hersteller:</th><td class="properties-value"><span>${escapeHtml(spec.brand)}</span></td></tr>${spec.gtin ? `<tr class="properties-row"><th class="properties-label">EAN:</th><td class="properties-value"><span>${escapeHtml(spec.gtin)}</span></td></tr>` : ''}</tbody></table></div></div></div></div></div></div></div></div>
<div class="cms-block pos-3 cms-block-cross-selling"><div class="cms-element-cross-selling"><div class="product-detail-cross-selling"><div class="card card-tabs"><div class="card-header product-detail-tab-navigation product-cross-selling-tab-navigation"><ul class="nav nav-tabs product-detail-tab-navigation-list" role="tablist"><li class="nav-item"><a class="nav-link product-detail-tab-navigation-link active" href="#cross-selling-tab-pane">${w.cross}</a></li></ul></div>
<div class="product-detail-tabs-content card-body"><div class="tab-content"><div class="tab-pane fade show active" id="cross-selling-tab-pane" role="tabpanel"><div class="cms-element-product-slider"><div class="base-slider product-slider has-nav"><div class="product-slider-container">
${boxes}
</div></div></div></div></div></div></div></div></div></div>
</div></div></div>
</div>
</div>
</main>
<footer class="footer-main"><div class="container"><div id="footerColumns" class="row footer-columns"><div class="col-md-4 footer-column"><div class="footer-column-headline footer-headline h5">Service-Hotline</div><div class="footer-column-content"><p class="footer-service-hotline"><a href="tel:+49180000123">0180 - 000000</a></p></div></div></div>
<div class="footer-vat"><p>* Alle Preise inkl. MwSt. zzgl. Versandkosten, wenn nicht anders angegeben.</p></div>
<div class="footer-copyright">Realisiert mit Shopware</div></div></footer>
</body>
</html>
`;
}
