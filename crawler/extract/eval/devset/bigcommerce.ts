/**
 * A BigCommerce product page in the Cornerstone theme, as `templates/components/products/
 * product-view.html` and `price.html` render it: the price sections for MSRP ("MSRP:", hidden
 * when unset), the non-sale price ("Was:"), the price ("Price:" / "Now:"), and the saving ("You
 * save"), each toggled by `style="display: none;"`; the SKU / UPC / weight definition list; the
 * stock field (`u-hiddenVisually` until the theme shows it); the add-to-cart input whose value
 * becomes "Out of stock" and `disabled`; the `BCData` script with the product's price and
 * `instock`; and related product cards.
 */
import { escapeHtml, json, money, type PageSpec } from './common.ts';

export function renderBigCommerce(spec: PageSpec): string {
  const f = spec.format;
  const hide = (show: boolean) => (show ? '' : ' style="display: none;"');
  const saved = spec.was ? (Number(spec.was) - Number(spec.price)).toFixed(2) : undefined;
  const formatted = (amount: string) => ({
    formatted: money(amount, f),
    value: Number(amount),
    currency: spec.currency,
  });
  const bcdata = {
    csrf_token: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    product_attributes: {
      sku: spec.sku,
      upc: spec.gtin ?? null,
      mpn: spec.mpn ?? null,
      gtin: null,
      weight: null,
      base: true,
      image: null,
      price: {
        without_tax: formatted(spec.price),
        tax_label: 'Tax',
        ...(spec.was
          ? { sale_price_without_tax: formatted(spec.price), non_sale_price_without_tax: formatted(spec.was) }
          : {}),
      },
      stock: null,
      instock: spec.available,
      stock_message: null,
      purchasable: true,
      purchasing_message: null,
      call_for_price_message: null,
    },
  };
  const cards = spec.others
    .map(
      (o) => `<div class="productCarousel-slide">
  <article class="card" data-test="card-${o.name.length}">
    <figure class="card-figure"><a href="${o.url}" class="card-figure__link" aria-label="${escapeHtml(o.name)}"><div class="card-img-container"><img src="https://cdn11.bigcommerce.com/s-abc123/images/stencil/500x659/products/${o.name.length}/x.jpg" alt="${escapeHtml(o.name)}" class="card-image lazyload"></div></a>
      <figcaption class="card-figcaption"><div class="card-figcaption-body">${o.soldOut ? '' : `<a href="/cart.php?action=add&amp;product_id=${o.name.length}" data-event-type="product-click" data-button-type="add-cart" class="button button--small card-figcaption-button">Add to Cart</a>`}</div></figcaption></figure>
    <div class="card-body">
      <p class="card-text" data-test-info-type="brandName">${escapeHtml(spec.brand)}</p>
      <h3 class="card-title"><a aria-label="${escapeHtml(o.name)}" href="${o.url}">${escapeHtml(o.name)}</a></h3>
      <div class="card-text" data-test-info-type="price">
        <div class="price-section price-section--withoutTax rrp-price--withoutTax" style="display: none;">MSRP: <span data-product-rrp-price-without-tax class="price price--rrp"></span></div>
        <div class="price-section price-section--withoutTax non-sale-price--withoutTax"${hide(Boolean(o.was))}>Was: <span data-product-non-sale-price-without-tax class="price price--non-sale">${o.was ? money(o.was, f) : ''}</span></div>
        <div class="price-section price-section--withoutTax"><span class="price-label"${hide(!o.was)}></span><span class="price-now-label"${hide(Boolean(o.was))}>Now:</span><span data-product-price-without-tax class="price price--withoutTax">${money(o.price, f)}</span></div>
      </div>
    </div>
  </article>
</div>`,
    )
    .join('\n');
  const structured =
    spec.options?.jsonLd === true
      ? `<script type="application/ld+json">${json({
          '@context': 'https://schema.org/',
          '@type': 'Product',
          name: spec.title,
          sku: spec.sku,
          description: spec.description.split('\n')[0],
          image: 'https://cdn11.bigcommerce.com/s-abc123/images/stencil/1280x1280/products/1/main.jpg',
          brand: { '@type': 'Brand', url: `${new URL(spec.url).origin}/brands/`, name: spec.brand },
          offers: {
            '@type': 'Offer',
            priceSpecification: {
              '@type': 'UnitPriceSpecification',
              price: Number(spec.price),
              priceCurrency: spec.currency,
              valueAddedTaxIncluded: false,
            },
            availability: `https://schema.org/${spec.available ? 'InStock' : 'OutOfStock'}`,
            url: spec.url,
            itemCondition: 'https://schema.org/Condition',
            seller: { '@type': 'Organization', name: String(spec.options?.shopName ?? 'Shop') },
          },
        })}</script>`
      : '';
  return `<!DOCTYPE html>
<html class="no-js" lang="${spec.lang}">
<head>
<title>${escapeHtml(spec.brand)} ${escapeHtml(spec.title)} - ${escapeHtml(String(spec.options?.shopName ?? 'Shop'))}</title>
<link rel="dns-prefetch preconnect" href="https://cdn11.bigcommerce.com/s-abc123" crossorigin>
<meta property="product:price:amount" content="${spec.price}" /><meta property="product:price:currency" content="${spec.currency}" /><meta property="og:url" content="${spec.url}" /><meta property="og:site_name" content="${escapeHtml(String(spec.options?.shopName ?? 'Shop'))}" /><meta name="keywords" content=""><link rel='canonical' href='${spec.url}' /><meta name='platform' content='bigcommerce.stencil' /><meta property="og:type" content="product" />
<meta property="og:title" content="${escapeHtml(spec.title)}" />
<meta property="og:description" content="${escapeHtml(spec.description.split('\n')[0] ?? '')}" />
<meta property="og:image" content="https://cdn11.bigcommerce.com/s-abc123/products/1/images/1/main.jpg" />
<meta property="og:availability" content="${spec.available ? 'instock' : 'oos'}" />
<script>window.consentManagerTranslations = \`{"locale":"${spec.lang.split('-')[0]}","locales":{},"translations":{}}\`;</script>
</head>
<body>
<svg data-src="https://cdn11.bigcommerce.com/s-abc123/stencil/1/img/icon-sprite.svg" class="icons-svg-sprite"></svg>
<header class="header" role="banner">
  <a href="#" class="mobileMenu-toggle" data-mobile-menu-toggle="menu"><span class="mobileMenu-toggleIcon">Toggle menu</span></a>
  <div class="header-logo header-logo--center"><a href="/" class="header-logo__link" data-header-logo-link><span class="header-logo-text">${escapeHtml(String(spec.options?.shopName ?? 'Shop'))}</span></a></div>
  <nav class="navUser"><ul class="navUser-section navUser-section--alt"><li class="navUser-item"><a class="navUser-action navUser-item--compare" href="/compare" data-compare-nav aria-label="Compare">Compare <span class="countPill countPill--positive countPill--alt"></span></a></li><li class="navUser-item"><a class="navUser-action" href="/login.php" aria-label="Sign in">Sign in</a></li><li class="navUser-item navUser-item--cart"><a class="navUser-action" data-cart-preview data-dropdown="cart-preview-dropdown" href="/cart.php" aria-label="Cart with 0 items"><span class="navUser-item-cartLabel">Cart</span><span class="countPill cart-quantity"></span></a><div class="dropdown-menu" id="cart-preview-dropdown" data-dropdown-content aria-hidden="true"></div></li></ul></nav>
  <div class="navPages-container" id="menu" data-menu><nav class="navPages"><ul class="navPages-list">${spec.category.map((c) => `<li class="navPages-item"><a class="navPages-action" href="/${escapeHtml(c.toLowerCase())}/" aria-label="${escapeHtml(c)}">${escapeHtml(c)}</a></li>`).join('')}</ul></nav></div>
</header>
<main class="body" id='main-content' role='main' data-currency-code="${spec.currency}">
<div class="container">
<nav aria-label="Breadcrumb"><ol class="breadcrumbs"><li class="breadcrumb "><a class="breadcrumb-label" href="/"><span>Home</span></a></li>${spec.category.map((c) => `<li class="breadcrumb "><a class="breadcrumb-label" href="/${escapeHtml(c.toLowerCase())}/"><span>${escapeHtml(c)}</span></a></li>`).join('')}<li class="breadcrumb is-active"><a class="breadcrumb-label" href="${spec.url}" aria-current="page"><span>${escapeHtml(spec.title)}</span></a></li></ol></nav>
<div>
<div class="productView">
  <section class="productView-images" data-image-gallery><figure class="productView-image" data-image-gallery-main><div class="productView-img-container"><a href="https://cdn11.bigcommerce.com/s-abc123/images/stencil/1280x1280/products/1/main.jpg" target="_blank"><img src="https://cdn11.bigcommerce.com/s-abc123/images/stencil/500x659/products/1/main.jpg" alt="${escapeHtml(spec.title)}" title="${escapeHtml(spec.title)}" data-main-image></a></div></figure></section>
  <section class="productView-details product-data">
    <div class="productView-product">
      <h1 class="productView-title">${escapeHtml(spec.title)}</h1>
      <h2 class="productView-brand"><a href="/brands/${escapeHtml(spec.brand)}.html"><span>${escapeHtml(spec.brand)}</span></a></h2>
      <div class="productView-price">
        <div class="price-section price-section--withoutTax rrp-price--withoutTax"${hide(Boolean(spec.options?.msrp))}>MSRP: <span data-product-rrp-price-without-tax class="price price--rrp">${spec.options?.msrp ? money(String(spec.options.msrp), f) : ''}</span></div>
        <div class="price-section price-section--withoutTax non-sale-price--withoutTax"${hide(Boolean(spec.was))}>Was: <span data-product-non-sale-price-without-tax class="price price--non-sale">${spec.was ? money(spec.was, f) : ''}</span></div>
        <div class="price-section price-section--withoutTax"><span class="price-label"${hide(!spec.was)}>Price:</span><span class="price-now-label"${hide(Boolean(spec.was))}>Now:</span><span data-product-price-without-tax class="price price--withoutTax">${money(spec.price, f)}</span></div>
        <div class="price-section price-section--saving price"${hide(Boolean(saved))}><span class="price">(You save</span><span data-product-price-saved class="price price--saving">${saved ? money(saved, f) : ''}</span><span class="price">)</span></div>
      </div>
      <div data-content-region="product_below_price"></div>
      <div class="productView-rating"><span class="productView-reviewLink"><a href="#product-reviews">Write a Review</a></span></div>
      <dl class="productView-info">
        <dt class="productView-info-name sku-label">SKU:</dt><dd class="productView-info-value" data-product-sku>${escapeHtml(spec.sku)}</dd>
        <dt class="productView-info-name upc-label"${hide(Boolean(spec.gtin))}>UPC:</dt><dd class="productView-info-value" data-product-upc>${escapeHtml(spec.gtin ?? '')}</dd>
        <dt class="productView-info-name">Weight:</dt><dd class="productView-info-value" data-product-weight>${escapeHtml(String(spec.options?.weight ?? '2.00 LBS'))}</dd>
        <dt class="productView-info-name">Shipping:</dt><dd class="productView-info-value">Calculated at Checkout</dd>
      </dl>
    </div>
  </section>
  <section class="productView-details product-options">
    <div class="productView-options">
      <form class="form" method="post" action="${new URL(spec.url).origin}/cart.php" enctype="multipart/form-data" data-cart-item-add>
        <input type="hidden" name="action" value="add"><input type="hidden" name="product_id" value="${spec.id.length}"/>
        <div data-product-option-change style="display:none;"></div>
        <div class="form-field form-field--stock u-hiddenVisually"><label class="form-label form-label--alternate">Current Stock:<span data-product-stock></span></label></div>
        <div class="form-field form-field--increments"><label class="form-label form-label--alternate" for="qty[]">Quantity:</label><div class="form-increment" data-quantity-change><button class="button button--icon" data-action="dec"><span class="is-srOnly">Decrease Quantity of ${escapeHtml(spec.title)}</span></button><input class="form-input form-input--incrementTotal" id="qty[]" name="qty[]" type="tel" value="1" data-quantity-min="0" data-quantity-max="0" min="1" pattern="[0-9]*" aria-live="polite"><button class="button button--icon" data-action="inc"><span class="is-srOnly">Increase Quantity of ${escapeHtml(spec.title)}</span></button></div></div>
        <div class="alertBox productAttributes-message" style="display:none"><div class="alertBox-column alertBox-icon"><icon glyph="ic-success" class="icon" aria-hidden="true"></icon></div><p class="alertBox-column alertBox-message"></p></div>
        <div class="form-action"><input id="form-action-addToCart" data-wait-message="Adding to cart…" class="button button--primary" type="submit" value="${spec.available ? 'Add to Cart' : 'Out of stock'}"${spec.available ? '' : ' disabled'}><span class="product-status-message aria-description--hidden">${spec.available ? 'Adding to cart… The item has been added' : ''}</span></div>
      </form>
    </div>
  </section>
  <article class="productView-description"><ul class="tabs" data-tab><li class="tab is-active"><a class="tab-title" href="#tab-description">Description</a></li></ul>
    <div class="tabs-contents"><div class="tab-content is-active" id="tab-description">${spec.description
      .split('\n')
      .map((p) => `<p>${escapeHtml(p)}</p>`)
      .join('')}</div></div></article>
</div>
<div class="tabs" data-tab><ul class="tabs"><li class="tab is-active" role="presentation"><a class="tab-title" href="#tab-related" role="tab">Related Products</a></li></ul></div>
<div class="tabs-contents"><div role="tabpanel" aria-hidden="false" class="tab-content has-jsContent is-active" id="tab-related"><section class="productCarousel" data-list-name="Related Products" data-slick='{"dots": true, "slidesToShow": 4}'>
${cards}
</section></div></div>
</div>
</div>
</main>
<footer class="footer" role="contentinfo"><h2 class="footer-title-sr-only">Footer Start</h2><div class="container"><section class="footer-info"><article class="footer-info-col footer-info-col--small" data-section-type="footer-webPages"><h3 class="footer-info-heading">Navigate</h3><ul class="footer-info-list"><li><a href="/shipping-returns/">Shipping &amp; Returns</a></li></ul></article><article class="footer-info-col" data-section-type="newsletterSubscription"><h3 class="footer-info-heading">Subscribe to our newsletter</h3><form class="form" action="/subscribe.php" method="post"><input class="form-input" id="nl_email" name="nl_email" type="email" placeholder="Your email address"><input class="button button--primary form-prefixPostfix-button--postfix" type="submit" value="Subscribe"></form></article></section><div class="footer-copyright"><p class="powered-by">Powered by <a href="https://www.bigcommerce.com?stencil=1" rel="nofollow">BigCommerce</a></p></div></div></footer>
<script>window.stencilBootstrap("product", "{\\"productId\\":${spec.id.length},\\"zoomSize\\":\\"1280x1280\\",\\"productSize\\":\\"500x659\\",\\"genericError\\":\\"Oops! Something went wrong.\\",\\"urls\\":{\\"home\\":\\"${new URL(spec.url).origin}/\\"},\\"secureBaseUrl\\":\\"${new URL(spec.url).origin}\\",\\"cartId\\":null}").load();</script>
<script type="text/javascript">var BCData = ${json(bcdata)};</script>
${structured}
</body>
</html>
`;
}
