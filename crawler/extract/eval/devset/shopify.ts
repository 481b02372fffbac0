/**
 * A Shopify product page in the Dawn theme (Online Store 2.0), as the theme's
 * `sections/main-product.liquid`, `snippets/price.liquid`, `snippets/product-variant-picker.liquid`
 * and `layout/theme.liquid` render it, with the storefront's `var meta` analytics script and
 * `Shopify.currency`. Traps it carries: the "Sold out" badge Dawn renders on every page (hidden by
 * CSS unless the price block has `price--sold-out`), "Variant sold out or unavailable" labels in
 * the variant picker, prices in cents in scripts, one JSON-LD offer per variant, and a
 * recommendations block with other products' prices and sold-out badges.
 */
import { cents, escapeHtml, json, money, type PageSpec } from './common.ts';

function priceBlock(spec: PageSpec, amount: string, was: string | undefined, soldOut: boolean): string {
  const f = spec.format;
  const classes = ['price', 'price--large', 'price--show-badge'];
  if (was) classes.push('price--on-sale');
  if (soldOut) classes.push('price--sold-out');
  const unit = spec.unit
    ? `<small class="unit-price caption">
          <span class="visually-hidden">Unit price</span>
          <span class="price-item price-item--last">
            <span>${money(spec.unit.price, f)}</span>
            <span aria-hidden="true">/</span>
            <span class="visually-hidden">&nbsp;per&nbsp;</span>
            <span>${escapeHtml(spec.unit.per)}</span>
          </span>
        </small>`
    : `<small class="unit-price caption hidden">
          <span class="visually-hidden">Unit price</span>
          <span class="price-item price-item--last"><span></span><span aria-hidden="true">/</span><span class="visually-hidden">&nbsp;per&nbsp;</span><span></span></span>
        </small>`;
  return `<div class="${classes.join(' ')}">
  <div class="price__container">
    <div class="price__regular">
      <span class="visually-hidden visually-hidden--inline">Regular price</span>
      <span class="price-item price-item--regular">${money(amount, f)}</span>
    </div>
    <div class="price__sale">
      <span class="visually-hidden visually-hidden--inline">Regular price</span>
      <span><s class="price-item price-item--regular">${was ? money(was, f) : ''}</s></span>
      <span class="visually-hidden visually-hidden--inline">Sale price</span>
      <span class="price-item price-item--sale price-item--last">${money(amount, f)}</span>
    </div>
    ${unit}
  </div>
  <span class="badge price__badge-sale color-accent-2">Sale</span>
  <span class="badge price__badge-sold-out color-inverse">Sold out</span>
</div>`;
}

export function renderShopify(spec: PageSpec): string {
  const f = spec.format;
  const shop = new URL(spec.url).origin;
  const handle = new URL(spec.url).pathname.split('/').pop() ?? 'product';
  const variants = spec.variants ?? [
    { name: 'Default Title', sku: spec.sku, price: spec.price, was: spec.was, available: spec.available },
  ];
  const selected = variants.find((v) => v.available) ?? variants[0]!;
  const soldOut = !variants.some((v) => v.available);
  // Dawn's og:price:amount is `product.price`: the lowest variant price, whichever is selected.
  const lowest = variants.map((v) => v.price).sort((a, b) => Number(a) - Number(b))[0] ?? selected.price;
  const productId = 7000000000000 + spec.id.length * 1_234_567;
  const variantIds = variants.map((_, i) => 42000000000000 + i * 1_000_003 + spec.id.length);
  const meta = {
    product: {
      id: productId,
      gid: `gid://shopify/Product/${productId}`,
      vendor: spec.brand,
      type: spec.category.at(-1) ?? '',
      variants: variants.map((v, i) => ({
        id: variantIds[i],
        price: cents(v.price),
        name: `${spec.title}${v.name === 'Default Title' ? '' : ` - ${v.name}`}`,
        public_title: v.name === 'Default Title' ? null : v.name,
        sku: v.sku,
      })),
    },
    page: { pageType: 'product', resourceType: 'product', resourceId: productId },
  };
  const offers = variants.map((v, i) => ({
    '@type': 'Offer',
    sku: v.sku,
    availability: `http://schema.org/${v.available ? 'InStock' : 'OutOfStock'}`,
    price: Number(v.price),
    priceCurrency: spec.currency,
    url: `${spec.url}?variant=${variantIds[i]}`,
  }));
  const structured =
    spec.options?.noJsonLd === true
      ? ''
      : `<script type="application/ld+json">
  ${json({
    '@context': 'http://schema.org/',
    '@type': 'Product',
    name: spec.title,
    url: spec.url,
    image: [`https://cdn.shopify.com/s/files/1/0555/files/${handle}.jpg?v=1690000000`],
    description: spec.description.split('\n')[0],
    sku: selected.sku,
    brand: { '@type': 'Brand', name: spec.brand },
    offers,
  })}
</script>`;
  const picker =
    variants.length > 1
      ? `<variant-radios class="no-js-hidden" data-section="template--main" data-url="/products/${handle}">
  <fieldset class="js product-form__input">
    <legend class="form__label">Size</legend>
    ${variants
      .map(
        (
          v,
          i,
        ) => `<input type="radio" id="template--main-1-${i}" name="Size" value="${escapeHtml(v.name)}" form="product-form-main"${v === selected ? ' checked' : ''}${v.available ? '' : ' class="disabled"'}>
    <label for="template--main-1-${i}">${escapeHtml(v.name)}<span class="visually-hidden label-unavailable">Variant sold out or unavailable</span></label>`,
      )
      .join('\n    ')}
  </fieldset>
  <script type="application/json">${json(
    variants.map((v, i) => ({
      id: variantIds[i],
      title: v.name,
      option1: v.name,
      sku: v.sku,
      available: v.available,
      price: cents(v.price),
      compare_at_price: v.was ? cents(v.was) : null,
    })),
  )}</script>
</variant-radios>`
      : '';
  const cards = spec.others
    .map(
      (o) => `<li class="grid__item">
  <div class="card-wrapper product-card-wrapper">
    <div class="card card--standard card--media">
      <div class="card__content">
        <div class="card__information">
          <h3 class="card__heading h5"><a href="${o.url}" class="full-unstyled-link">${escapeHtml(o.name)}</a></h3>
          <div class="card-information">
            <div class="price${o.was ? ' price--on-sale' : ''}${o.soldOut ? ' price--sold-out' : ''}">
              <div class="price__container">
                <div class="price__regular"><span class="visually-hidden visually-hidden--inline">Regular price</span><span class="price-item price-item--regular">${money(o.price, f)}</span></div>
                <div class="price__sale"><span class="visually-hidden visually-hidden--inline">Sale price</span><span class="price-item price-item--sale price-item--last">${money(o.price, f)}</span><span><s class="price-item price-item--regular">${o.was ? money(o.was, f) : ''}</s></span></div>
              </div>
            </div>
          </div>
        </div>
        <div class="card__badge bottom left">${o.soldOut ? '<span class="badge badge--bottom-left color-inverse">Sold out</span>' : ''}</div>
      </div>
    </div>
  </div>
</li>`,
    )
    .join('\n');
  const button = soldOut
    ? `<button id="ProductSubmitButton-main" type="submit" name="add" class="product-form__submit button button--full-width button--secondary" disabled><span>Sold out</span></button>`
    : `<button id="ProductSubmitButton-main" type="submit" name="add" class="product-form__submit button button--full-width button--secondary"><span>Add to cart</span></button>
            <div data-shopify="payment-button" class="shopify-payment-button"><button class="shopify-payment-button__button shopify-payment-button__button--unbranded">Buy it now</button></div>`;
  return `<!doctype html>
<html class="no-js" lang="${spec.lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width,initial-scale=1">
  <link rel="canonical" href="${spec.url}">
  <title>${escapeHtml(spec.title)} &ndash; ${escapeHtml(String(spec.options?.shopName ?? 'Shop'))}</title>
  <meta name="description" content="${escapeHtml(spec.description.split('\n')[0] ?? '')}">
  <meta property="og:site_name" content="${escapeHtml(String(spec.options?.shopName ?? 'Shop'))}">
  <meta property="og:url" content="${spec.url}">
  <meta property="og:title" content="${escapeHtml(spec.title)}">
  <meta property="og:type" content="product">
  <meta property="og:image" content="http://${new URL(shop).host}/cdn/shop/products/${handle}.jpg?v=1690000000">
  <meta property="og:price:amount" content="${money(lowest, f, { symbol: false })}">
  <meta property="og:price:currency" content="${spec.currency}">
  <meta name="twitter:card" content="summary_large_image">
  <script>window.Shopify = window.Shopify || {};
Shopify.shop = "${new URL(shop).host.replace(/^www\./, '').split('.')[0]}.myshopify.com";
Shopify.locale = "${spec.lang.split('-')[0]}";
Shopify.currency = {"active":"${spec.currency}","rate":"1.0"};
Shopify.country = "${spec.lang.split('-')[1] ?? 'US'}";
Shopify.theme = {"name":"Dawn","id":130000000000,"schema_name":"Dawn","schema_version":"12.0.0","theme_store_id":887,"role":"main"};</script>
  <script>var meta = ${json(meta)};
for (var attr in meta) { window.ShopifyAnalytics.meta[attr] = meta[attr]; }</script>
  <script>window.ShopifyAnalytics = window.ShopifyAnalytics || {}; window.ShopifyAnalytics.meta = window.ShopifyAnalytics.meta || {}; window.ShopifyAnalytics.meta.currency = '${spec.currency}';</script>
  <link href="//${new URL(shop).host}/cdn/shop/t/3/assets/base.css?v=1690000000" rel="stylesheet" type="text/css" media="all">
</head>
<body class="gradient">
  <a class="skip-to-content-link button visually-hidden" href="#MainContent">Skip to content</a>
  <div class="shopify-section shopify-section-group-header-group announcement-bar-section">
    <div class="announcement-bar" role="region" aria-label="Announcement"><p class="announcement-bar__message h5"><span>${escapeHtml(String(spec.options?.announcement ?? 'Free shipping on orders over 50'))}</span></p></div>
  </div>
  <div class="section-header shopify-section-group-header-group">
    <sticky-header class="header-wrapper color-background-1 gradient">
      <header class="header header--middle-left header--mobile-center page-width header--has-menu">
        <h2 class="header__heading"><a href="/" class="header__heading-link link link--text focus-inset"><span class="h2">${escapeHtml(String(spec.options?.shopName ?? 'Shop'))}</span></a></h2>
        <nav class="header__inline-menu"><ul class="list-menu list-menu--inline" role="list">
          <li><a href="/" class="header__menu-item list-menu__item link link--text focus-inset"><span>Home</span></a></li>
          <li><a href="/collections/all" class="header__menu-item list-menu__item link link--text focus-inset"><span>Catalog</span></a></li>
          <li><a href="/pages/contact" class="header__menu-item list-menu__item link link--text focus-inset"><span>Contact</span></a></li>
        </ul></nav>
        <div class="header__icons">
          <a href="/account/login" class="header__icon header__icon--account link focus-inset"><span class="visually-hidden">Log in</span></a>
          <a href="/cart" class="header__icon header__icon--cart link focus-inset" id="cart-icon-bubble"><span class="visually-hidden">Cart</span></a>
        </div>
      </header>
    </sticky-header>
  </div>
  <main id="MainContent" class="content-for-layout focus-none" role="main" tabindex="-1">
    <section id="shopify-section-template--main" class="shopify-section section">
      <section class="page-width section-template--main-padding">
        <div class="product product--large product--left product--thumbnail_slider grid grid--1-col grid--2-col-tablet">
          <div class="grid__item product__media-wrapper">
            <media-gallery id="MediaGallery-template--main" role="region" class="product__column-sticky" aria-label="Gallery Viewer">
              <div id="GalleryStatus-template--main" class="visually-hidden" role="status"></div>
              <slider-component id="GalleryViewer-template--main" class="slider-mobile-gutter">
                <ul id="Slider-Gallery-template--main" class="product__media-list contains-media grid grid--peek list-unstyled slider slider--mobile" role="list">
                  <li class="product__media-item grid__item slider__slide is-active"><div class="product-media-container media-type-image media-fit-contain global-media-settings gradient constrain-height"><img src="//${new URL(shop).host}/cdn/shop/products/${handle}.jpg?v=1690000000&width=1946" alt="${escapeHtml(spec.title)}" width="1946" height="1946"></div></li>
                </ul>
              </slider-component>
            </media-gallery>
          </div>
          <div class="product__info-wrapper grid__item">
            <section id="ProductInfo-template--main" class="product__info-container product__column-sticky">
              <p class="product__text inline-richtext caption-with-letter-spacing">${escapeHtml(spec.brand)}</p>
              <div class="product__title"><h1>${escapeHtml(spec.title)}</h1></div>
              <p class="product__text inline-richtext"></p>
              <div class="no-js-hidden" id="price-template--main" role="status">
                ${priceBlock(spec, selected.price, selected.was, soldOut)}
              </div>
              <div class="product__tax caption rte">${escapeHtml(String(spec.options?.taxNote ?? 'Tax included.'))} <a href="/policies/shipping-policy">Shipping</a> calculated at checkout.</div>
              ${picker}
              <div class="product-form__input product-form__quantity">
                <label class="quantity__label form__label" for="Quantity-template--main">Quantity</label>
                <quantity-input class="quantity"><button class="quantity__button no-js-hidden" name="minus" type="button"><span class="visually-hidden">Decrease quantity for ${escapeHtml(spec.title)}</span></button><input class="quantity__input" type="number" name="quantity" id="Quantity-template--main" min="1" value="1" form="product-form-main"><button class="quantity__button no-js-hidden" name="plus" type="button"><span class="visually-hidden">Increase quantity for ${escapeHtml(spec.title)}</span></button></quantity-input>
              </div>
              <div>
                <product-form class="product-form" data-hide-errors="false" data-section-id="template--main">
                  <div class="product-form__error-message-wrapper" role="alert" hidden><span class="product-form__error-message"></span></div>
                  <form method="post" action="/cart/add" id="product-form-main" accept-charset="UTF-8" class="form" enctype="multipart/form-data" novalidate="novalidate" data-type="add-to-cart-form">
                    <input type="hidden" name="form_type" value="product"><input type="hidden" name="utf8" value="✓">
                    <input type="hidden" name="id" value="${variantIds[variants.indexOf(selected)]}" class="product-variant-id">
                    <div class="product-form__buttons">
            ${button}
                    </div>
                  </form>
                </product-form>
              </div>
              <pickup-availability class="product__pickup-availabilities no-js-hidden quick-add-hidden" ${soldOut ? '' : 'available'} data-root-url="/" data-variant-id="${variantIds[0]}" data-has-only-default-variant="${variants.length === 1}"></pickup-availability>
              <div class="product__description rte quick-add-hidden">${spec.description
                .split('\n')
                .map((p) => `<p>${escapeHtml(p)}</p>`)
                .join('')}</div>
              <share-button id="Share-template--main" class="share-button quick-add-hidden"><button class="share-button__button hidden"><span>Share</span></button></share-button>
            </section>
          </div>
        </div>
      </section>
    </section>
    <section class="shopify-section section">
      <div class="color-background-1 gradient">
        <div class="related-products page-width section-template--related-padding isolate">
          <h2 class="related-products__heading inline-richtext h2">You may also like</h2>
          <ul class="grid product-grid grid--4-col-desktop grid--2-col-tablet-down" role="list">
${cards}
          </ul>
        </div>
      </div>
    </section>
  </main>
  <footer class="footer color-background-1 gradient section-sections--footer-padding">
    <div class="footer__content-top page-width">
      <div class="footer-block--newsletter"><h2 class="footer-block__heading inline-richtext">Subscribe to our emails</h2>
        <form method="post" action="/contact#contact_form" id="ContactFooter" class="footer__newsletter newsletter-form"><input type="email" name="contact[email]" placeholder="Email"><button type="submit" class="newsletter-form__button field__button">Subscribe</button></form></div>
    </div>
    <div class="footer__content-bottom"><div class="footer__column footer__localization isolate">
      <localization-form><form method="post" action="/localization" id="FooterCountryForm" accept-charset="UTF-8" class="localization-form" enctype="multipart/form-data"><h2 class="caption-large text-body" id="FooterCountryLabel">Country/region</h2>
        <div class="disclosure"><button type="button" class="disclosure__button localization-form__select localization-selector link link--text caption-large">${escapeHtml(String(spec.options?.countryLabel ?? 'United States | USD $'))}</button></div>
      </form></localization-form>
      <div class="footer__copyright caption"><small class="copyright__content">&copy; 2024, <a href="/">${escapeHtml(String(spec.options?.shopName ?? 'Shop'))}</a></small><small class="copyright__content"><a target="_blank" rel="nofollow" href="https://www.shopify.com?utm_campaign=poweredby">Powered by Shopify</a></small></div>
    </div></div>
  </footer>
  ${structured}
</body>
</html>
`;
}
