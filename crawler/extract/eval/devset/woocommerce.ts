/**
 * A WooCommerce product page in the Storefront theme, as WooCommerce's templates
 * `single-product/title.php`, `price.php` (`wc_format_sale_price`: `<del>` / `<ins>` with
 * screen-reader texts), `single-product/stock.php` (`<p class="stock in-stock">`),
 * `single-product/meta.php` ("SKU: …"), `add-to-cart/variable.php` (`data-product_variations`)
 * and `WC_Structured_Data` (a JSON-LD `@graph` with an Offer or an AggregateOffer) render them.
 * Options: `noJsonLd` for shops whose SEO plugin drops WooCommerce's product markup, and a
 * variable product whose price shows as a range.
 */
import { escapeHtml, json, money, type PageSpec } from './common.ts';

const WORDS = {
  en: {
    sku: 'SKU:',
    category: 'Category:',
    addToCart: 'Add to cart',
    outOfStock: 'Out of stock',
    inStock: (n: number) => `${n} in stock`,
    was: 'Original price was:',
    now: 'Current price is:',
    related: 'Related products',
    description: 'Description',
    additional: 'Additional information',
    readMore: 'Read more',
    cart: 'Cart',
    choose: 'Choose an option',
    size: 'Size',
    range: 'Price range:',
    through: 'through',
  },
  es: {
    sku: 'SKU:',
    category: 'Categoría:',
    addToCart: 'Añadir al carrito',
    outOfStock: 'Agotado',
    inStock: (n: number) => `${n} disponibles`,
    was: 'El precio original era:',
    now: 'El precio actual es:',
    related: 'Productos relacionados',
    description: 'Descripción',
    additional: 'Información adicional',
    readMore: 'Leer más',
    cart: 'Carrito',
    choose: 'Elige una opción',
    size: 'Talla',
    range: 'Rango de precios:',
    through: 'a',
  },
  fr: {
    sku: 'UGS :',
    category: 'Catégorie :',
    addToCart: 'Ajouter au panier',
    outOfStock: 'Rupture de stock',
    inStock: (n: number) => `${n} en stock`,
    was: 'Le prix initial était :',
    now: 'Le prix actuel est :',
    related: 'Produits similaires',
    description: 'Description',
    additional: 'Informations complémentaires',
    readMore: 'Lire la suite',
    cart: 'Panier',
    choose: 'Choisir une option',
    size: 'Taille',
    range: 'Plage de prix :',
    through: 'à',
  },
};

function amount(value: string, spec: PageSpec): string {
  const f = spec.format;
  const digits = money(value, f, { symbol: false });
  const symbol = `<span class="woocommerce-Price-currencySymbol">${escapeHtml(f.symbol)}</span>`;
  return `<span class="woocommerce-Price-amount amount"><bdi>${f.before ? `${symbol}${digits}` : `${digits}&nbsp;${symbol}`}</bdi></span>`;
}

function priceHtml(price: string, was: string | undefined, spec: PageSpec, w: (typeof WORDS)['en']): string {
  if (!was) return amount(price, spec);
  return `<del aria-hidden="true">${amount(was, spec)}</del> <span class="screen-reader-text">${w.was} ${escapeHtml(money(was, spec.format))}.</span><ins aria-hidden="true">${amount(price, spec)}</ins><span class="screen-reader-text">${w.now} ${escapeHtml(money(price, spec.format))}.</span>`;
}

export function renderWooCommerce(spec: PageSpec): string {
  const lang = spec.lang.split('-')[0] as keyof typeof WORDS;
  const w = WORDS[lang] ?? WORDS.en;
  const postId = 400 + spec.id.length * 11;
  const variants = spec.variants;
  const prices = (variants ?? []).map((v) => Number(v.price));
  const low = variants ? Math.min(...prices).toFixed(2) : spec.price;
  const high = variants ? Math.max(...prices).toFixed(2) : spec.price;
  const shownPrice =
    variants && low !== high
      ? `<span aria-hidden="true">${amount(low, spec)} &ndash; ${amount(high, spec)}</span><span class="screen-reader-text">${w.range} ${escapeHtml(money(low, spec.format))} ${w.through} ${escapeHtml(money(high, spec.format))}</span>`
      : priceHtml(spec.price, spec.was, spec, w);
  const stock = spec.available
    ? spec.options?.stockCount
      ? `<p class="stock in-stock">${w.inStock(Number(spec.options.stockCount))}</p>`
      : ''
    : `<p class="stock out-of-stock">${w.outOfStock}</p>`;
  const form = variants
    ? `<form class="variations_form cart" action="${spec.url}" method="post" enctype='multipart/form-data' data-product_id="${postId}" data-product_variations="${escapeHtml(
        json(
          variants.map((v, i) => ({
            attributes: { attribute_pa_size: v.name.toLowerCase() },
            availability_html: v.available ? '' : `<p class="stock out-of-stock">${w.outOfStock}</p>`,
            display_price: Number(v.price),
            display_regular_price: Number(v.was ?? v.price),
            is_in_stock: v.available,
            is_purchasable: true,
            price_html: `<span class="price">${amount(v.price, spec)}</span>`,
            sku: v.sku,
            variation_id: postId + 1 + i,
            variation_is_active: true,
          })),
        ),
      )}">
  <table class="variations" cellspacing="0" role="presentation"><tbody><tr>
    <th class="label"><label for="pa_size">${w.size}</label></th>
    <td class="value"><select id="pa_size" class="" name="attribute_pa_size" data-attribute_name="attribute_pa_size"><option value="">${w.choose}</option>${variants.map((v) => `<option value="${escapeHtml(v.name.toLowerCase())}" class="attached enabled">${escapeHtml(v.name)}</option>`).join('')}</select><a class="reset_variations" href="#">Clear</a></td>
  </tr></tbody></table>
  <div class="single_variation_wrap">
    <div class="woocommerce-variation single_variation"></div>
    <div class="woocommerce-variation-add-to-cart variations_button">
      <div class="quantity"><label class="screen-reader-text" for="quantity_1">${escapeHtml(spec.title)} quantity</label><input type="number" id="quantity_1" class="input-text qty text" name="quantity" value="1" min="1" step="1"></div>
      <button type="submit" class="single_add_to_cart_button button alt disabled wc-variation-selection-needed">${w.addToCart}</button>
      <input type="hidden" name="add-to-cart" value="${postId}" /><input type="hidden" name="product_id" value="${postId}" /><input type="hidden" name="variation_id" class="variation_id" value="0" />
    </div>
  </div>
</form>`
    : spec.available
      ? `<form class="cart" action="${spec.url}" method="post" enctype='multipart/form-data'>
  <div class="quantity"><label class="screen-reader-text" for="quantity_1">${escapeHtml(spec.title)} quantity</label><input type="number" id="quantity_1" class="input-text qty text" name="quantity" value="1" aria-label="Product quantity" min="1" step="1" inputmode="numeric" autocomplete="off" /></div>
  <button type="submit" name="add-to-cart" value="${postId}" class="single_add_to_cart_button button alt">${w.addToCart}</button>
</form>`
      : '';
  const offer = variants
    ? {
        '@type': 'AggregateOffer',
        lowPrice: low,
        highPrice: high,
        offerCount: variants.length,
        priceCurrency: spec.currency,
        availability: `http://schema.org/${spec.available ? 'InStock' : 'OutOfStock'}`,
        url: spec.url,
      }
    : {
        '@type': 'Offer',
        price: spec.price,
        priceValidUntil: '2025-12-31',
        priceSpecification: {
          price: spec.price,
          priceCurrency: spec.currency,
          valueAddedTaxIncluded: 'false',
        },
        priceCurrency: spec.currency,
        availability: `http://schema.org/${spec.available ? 'InStock' : 'OutOfStock'}`,
        url: spec.url,
        seller: {
          '@type': 'Organization',
          name: String(spec.options?.shopName ?? 'Shop'),
          url: new URL(spec.url).origin,
        },
      };
  const structured =
    spec.options?.noJsonLd === true
      ? ''
      : `<script type="application/ld+json">${json({
          '@context': 'https://schema.org/',
          '@graph': [
            {
              '@context': 'https://schema.org/',
              '@type': 'BreadcrumbList',
              itemListElement: spec.category.map((c, i) => ({
                '@type': 'ListItem',
                position: i + 1,
                item: { name: c, '@id': `${new URL(spec.url).origin}/product-category/${c.toLowerCase()}/` },
              })),
            },
            {
              '@context': 'https://schema.org/',
              '@type': 'Product',
              '@id': `${spec.url}#product`,
              name: spec.title,
              url: spec.url,
              description: spec.description.split('\n')[0],
              image: `${new URL(spec.url).origin}/wp-content/uploads/2023/05/${postId}.jpg`,
              sku: spec.sku,
              offers: [offer],
            },
          ],
        })}</script>`;
  const related = spec.others
    .map(
      (
        o,
        i,
      ) => `<li class="product type-product post-${postId + 20 + i} status-publish ${o.soldOut ? 'outofstock' : 'instock'} product_cat-${escapeHtml((spec.category.at(-1) ?? '').toLowerCase())} has-post-thumbnail${o.was ? ' sale' : ''} shipping-taxable purchasable product-type-simple">
  <a href="${o.url}" class="woocommerce-LoopProduct-link woocommerce-loop-product__link"><img width="324" height="324" src="${new URL(spec.url).origin}/wp-content/uploads/2023/05/r${i}-324x324.jpg" class="attachment-woocommerce_thumbnail size-woocommerce_thumbnail" alt="" decoding="async" /><h2 class="woocommerce-loop-product__title">${escapeHtml(o.name)}</h2>
  ${o.was ? '<span class="onsale">Sale!</span>' : ''}<span class="price">${priceHtml(o.price, o.was, spec, w)}</span></a>${
    o.soldOut
      ? `<a href="${o.url}" data-quantity="1" class="button product_type_simple" rel="nofollow">${w.readMore}</a>`
      : `<a href="?add-to-cart=${postId + 20 + i}" data-quantity="1" class="button product_type_simple add_to_cart_button ajax_add_to_cart" data-product_id="${postId + 20 + i}" rel="nofollow">${w.addToCart}</a>`
  }
</li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${spec.lang}">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(spec.title)} &#8211; ${escapeHtml(String(spec.options?.shopName ?? 'Shop'))}</title>
<meta name='robots' content='max-image-preview:large' />
<link rel="alternate" type="application/rss+xml" title="Feed" href="${new URL(spec.url).origin}/feed/" />
<link rel='stylesheet' id='storefront-style-css' href='${new URL(spec.url).origin}/wp-content/themes/storefront/style.css?ver=4.5.2' media='all' />
<link rel="canonical" href="${spec.url}" />
<script type="text/javascript" id="wc-add-to-cart-js-extra">
/* <![CDATA[ */
var wc_add_to_cart_params = {"ajax_url":"\\/wp-admin\\/admin-ajax.php","wc_ajax_url":"\\/?wc-ajax=%%endpoint%%","i18n_view_cart":"View cart","cart_url":"${new URL(spec.url).origin}\\/cart\\/","is_cart":"","cart_redirect_after_add":"no"};
/* ]]> */
</script>
</head>
<body class="product-template-default single single-product postid-${postId} theme-storefront woocommerce woocommerce-page woocommerce-js storefront-align-wide right-sidebar woocommerce-active">
<div id="page" class="hfeed site">
<header id="masthead" class="site-header" role="banner" style="">
  <div class="col-full"><a class="skip-link screen-reader-text" href="#site-navigation">Skip to navigation</a>
    <div class="site-branding"><p class="site-title"><a href="/" rel="home">${escapeHtml(String(spec.options?.shopName ?? 'Shop'))}</a></p></div>
    <div class="site-search"><div class="widget woocommerce widget_product_search"><form role="search" method="get" class="woocommerce-product-search" action="/"><input type="search" class="search-field" placeholder="Search products&hellip;" value="" name="s" /><button type="submit" value="Search">Search</button><input type="hidden" name="post_type" value="product" /></form></div></div>
  </div>
  <div class="storefront-primary-navigation"><div class="col-full">
    <nav id="site-navigation" class="main-navigation" role="navigation" aria-label="Primary Navigation"><div class="primary-navigation"><ul id="menu-primary" class="menu"><li class="menu-item"><a href="/shop/">Shop</a></li><li class="menu-item"><a href="/my-account/">My account</a></li></ul></div></nav>
    <ul id="site-header-cart" class="site-header-cart menu"><li class=""><a class="cart-contents" href="/cart/" title="View your shopping cart"><span class="woocommerce-Price-amount amount">${escapeHtml(money('0', spec.format))}</span> <span class="count">0 items</span></a></li><li><div class="widget woocommerce widget_shopping_cart"><div class="widget_shopping_cart_content"></div></div></li></ul>
  </div></div>
</header>
<div class="storefront-breadcrumb"><div class="col-full"><nav class="woocommerce-breadcrumb" aria-label="breadcrumbs"><a href="/">Home</a><span class="breadcrumb-separator"> / </span>${spec.category.map((c) => `<a href="/product-category/${escapeHtml(c.toLowerCase())}/">${escapeHtml(c)}</a><span class="breadcrumb-separator"> / </span>`).join('')}${escapeHtml(spec.title)}</nav></div></div>
<div id="content" class="site-content" tabindex="-1"><div class="col-full"><div class="woocommerce"></div>
<div id="primary" class="content-area"><main id="main" class="site-main" role="main">
<div class="woocommerce-notices-wrapper"></div>
<div id="product-${postId}" class="product type-product post-${postId} status-publish first ${spec.available ? 'instock' : 'outofstock'} product_cat-${escapeHtml((spec.category.at(-1) ?? '').toLowerCase())} has-post-thumbnail${spec.was ? ' sale' : ''} shipping-taxable purchasable product-type-${variants ? 'variable' : 'simple'}">
  ${spec.was ? '<span class="onsale">Sale!</span>' : ''}
  <div class="woocommerce-product-gallery woocommerce-product-gallery--with-images woocommerce-product-gallery--columns-4 images" data-columns="4"><div class="woocommerce-product-gallery__wrapper"><div data-thumb="${new URL(spec.url).origin}/wp-content/uploads/2023/05/${postId}-100x100.jpg" class="woocommerce-product-gallery__image"><a href="${new URL(spec.url).origin}/wp-content/uploads/2023/05/${postId}.jpg"><img width="416" height="416" src="${new URL(spec.url).origin}/wp-content/uploads/2023/05/${postId}-416x416.jpg" class="wp-post-image" alt="" /></a></div></div></div>
  <div class="summary entry-summary">
    <h1 class="product_title entry-title">${escapeHtml(spec.title)}</h1>
    <p class="price">${shownPrice}</p>
    <div class="woocommerce-product-details__short-description"><p>${escapeHtml(spec.description.split('\n')[0] ?? '')}</p></div>
    ${stock}
    ${form}
    <div class="product_meta">
      <span class="sku_wrapper">${w.sku} <span class="sku">${escapeHtml(spec.sku)}</span></span>
      <span class="posted_in">${w.category} <a href="/product-category/${escapeHtml((spec.category.at(-1) ?? '').toLowerCase())}/" rel="tag">${escapeHtml(spec.category.at(-1) ?? '')}</a></span>
    </div>
  </div>
  <div class="woocommerce-tabs wc-tabs-wrapper">
    <ul class="tabs wc-tabs" role="tablist"><li class="description_tab" id="tab-title-description" role="tab"><a href="#tab-description">${w.description}</a></li><li class="additional_information_tab" id="tab-title-additional_information" role="tab"><a href="#tab-additional_information">${w.additional}</a></li></ul>
    <div class="woocommerce-Tabs-panel woocommerce-Tabs-panel--description panel entry-content wc-tab" id="tab-description" role="tabpanel"><h2>${w.description}</h2>${spec.description
      .split('\n')
      .map((p) => `<p>${escapeHtml(p)}</p>`)
      .join('')}</div>
    <div class="woocommerce-Tabs-panel woocommerce-Tabs-panel--additional_information panel entry-content wc-tab" id="tab-additional_information" role="tabpanel" style="display: none;"><h2>${w.additional}</h2><table class="woocommerce-product-attributes shop_attributes"><tr class="woocommerce-product-attributes-item woocommerce-product-attributes-item--weight"><th class="woocommerce-product-attributes-item__label">Weight</th><td class="woocommerce-product-attributes-item__value">${escapeHtml(String(spec.options?.weight ?? '0.4 kg'))}</td></tr></table></div>
  </div>
  <section class="related products"><h2>${w.related}</h2><ul class="products columns-4">
${related}
  </ul></section>
</div>
</main></div>
<div id="secondary" class="widget-area" role="complementary"><div class="widget woocommerce widget_products"><span class="gamma widget-title">Products</span><ul class="product_list_widget">${spec.others
    .slice(0, 2)
    .map(
      (o) =>
        `<li><a href="${o.url}"><span class="product-title">${escapeHtml(o.name)}</span></a>${amount(o.price, spec)}</li>`,
    )
    .join('')}</ul></div></div>
</div></div>
<footer id="colophon" class="site-footer" role="contentinfo"><div class="col-full"><div class="site-info">&copy; ${escapeHtml(String(spec.options?.shopName ?? 'Shop'))} 2024<br /><a href="https://woocommerce.com" target="_blank" title="WooCommerce - The Best eCommerce Platform for WordPress" rel="noreferrer nofollow">Built with WooCommerce</a>.</div></div></footer>
</div>
${structured}
<script type="text/javascript" id="wc-single-product-js-extra">
/* <![CDATA[ */
var wc_single_product_params = {"i18n_required_rating_text":"Please select a rating","review_rating_required":"yes","flexslider":{"rtl":false,"animation":"slide"},"zoom_enabled":"1","photoswipe_enabled":"1"};
/* ]]> */
</script>
</body>
</html>
`;
}
