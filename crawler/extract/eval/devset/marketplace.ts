/**
 * A large marketplace's detail page, written after the element ids and classes Amazon's pages
 * have served for years (`#productTitle`, `#corePrice_feature_div` with `.a-price` /
 * `.a-offscreen`, "List Price:" with `data-a-strike`, the per-unit price "($0.42 / Count)",
 * `#availability`, `#add-to-cart-button`, `#buy-now-button`, "Other Sellers" / "New (5) from",
 * Subscribe & Save, the detail bullets and the product-details table with ASIN, "Item model
 * number", and carousels of sponsored and related products). Its traps: prices of other offers
 * and products everywhere, out-of-stock wording in hidden templates (`aok-hidden`) and in other
 * sellers' offers, a model number beside the ASIN, and no structured data at all.
 *
 * `flipkart` follows the other large marketplace layout (obfuscated class names, ₹ with lakh
 * grouping, "% off", a "Sold Out" banner, specifications table; the FSN is the URL's `pid`).
 */
import { escapeHtml, json, money, type PageSpec } from './common.ts';

const WORDS = {
  en: {
    list: 'List Price:',
    inStock: 'In Stock',
    unavailable: 'Currently unavailable.',
    unavailableNote: "We don't know when or if this item will be back in stock.",
    addToCart: 'Add to Cart',
    buyNow: 'Buy Now',
    others: 'Other Sellers on Amazon',
    newFrom: (n: number) => `New (${n}) from`,
    details: 'Product details',
    info: 'Product information',
    model: 'Item model number',
    related: 'Products related to this item',
    sponsored: 'Sponsored',
    mrp: 'M.R.P.:',
    taxes: 'Inclusive of all taxes',
    sns: 'Subscribe & Save:',
    typical: 'Typical price:',
    deliver: 'FREE delivery',
    sold: 'Sold by',
    ships: 'Ships from',
    qty: 'Quantity:',
    save: 'Save',
    bought: 'Customers who viewed this item also viewed',
    dateFirst: 'Date First Available',
    manufacturer: 'Manufacturer',
    rank: 'Best Sellers Rank',
    weight: 'Item Weight',
  },
  de: {
    list: 'UVP:',
    inStock: 'Auf Lager',
    unavailable: 'Derzeit nicht verfügbar.',
    unavailableNote: 'Ob und wann dieser Artikel wieder vorrätig sein wird, ist unbekannt.',
    addToCart: 'In den Einkaufswagen',
    buyNow: 'Jetzt kaufen',
    others: 'Andere Verkäufer auf Amazon',
    newFrom: (n: number) => `Neu (${n}) ab`,
    details: 'Produktinformation',
    info: 'Produktinformation',
    model: 'Modellnummer',
    related: 'Produkte, die mit diesem Artikel in Zusammenhang stehen',
    sponsored: 'Gesponsert',
    mrp: 'UVP:',
    taxes: 'Preisangaben inkl. USt.',
    sns: 'Spar-Abo:',
    typical: 'Mittlerer Preis:',
    deliver: 'KOSTENFREIE Lieferung',
    sold: 'Verkauf durch',
    ships: 'Versand durch',
    qty: 'Menge:',
    save: 'Sie sparen',
    bought: 'Kunden, die diesen Artikel angesehen haben, haben auch angesehen',
    dateFirst: 'Im Angebot von Amazon.de seit',
    manufacturer: 'Hersteller',
    rank: 'Amazon Bestseller-Rang',
    weight: 'Artikelgewicht',
  },
  ja: {
    list: '参考価格:',
    inStock: '在庫あり。',
    unavailable: '現在お取り扱いできません。',
    unavailableNote: 'この商品の再入荷予定は立っておりません。',
    addToCart: 'カートに入れる',
    buyNow: '今すぐ買う',
    others: 'その他の出品者',
    newFrom: (n: number) => `新品 (${n}点):`,
    details: '登録情報',
    info: '商品の情報',
    model: '型番',
    related: 'この商品に関連する商品',
    sponsored: 'スポンサー',
    mrp: '参考価格:',
    taxes: '税込',
    sns: '定期おトク便:',
    typical: '参考価格:',
    deliver: '配送料無料',
    sold: '販売者',
    ships: '出荷元',
    qty: '数量:',
    save: 'OFF',
    bought: 'この商品をチェックした人はこんな商品もチェックしています',
    dateFirst: 'Amazon.co.jp での取り扱い開始日',
    manufacturer: 'メーカー',
    rank: 'Amazon 売れ筋ランキング',
    weight: '商品の重量',
  },
};

function aPrice(amount: string, spec: PageSpec, size: string, strike = false): string {
  const f = spec.format;
  const digits = money(amount, f, { symbol: false });
  const [whole = digits, fraction] = f.decimals > 0 ? digits.split(f.decimal) : [digits, undefined];
  const symbol = `<span class="a-price-symbol">${escapeHtml(f.symbol)}</span>`;
  const visible = strike
    ? `<span aria-hidden="true">${escapeHtml(money(amount, f))}</span>`
    : `<span aria-hidden="true">${f.before ? symbol : ''}<span class="a-price-whole">${escapeHtml(whole)}${fraction !== undefined ? `<span class="a-price-decimal">${f.decimal}</span>` : ''}</span>${fraction !== undefined ? `<span class="a-price-fraction">${fraction}</span>` : ''}${f.before ? '' : symbol}</span>`;
  return `<span class="a-price${strike ? ' a-text-price' : ''}" data-a-size="${size}"${strike ? ' data-a-strike="true"' : ''} data-a-color="${strike ? 'secondary' : 'base'}"><span class="a-offscreen">${escapeHtml(money(amount, f))}</span>${visible}</span>`;
}

function renderAmazon(spec: PageSpec): string {
  const lang = spec.lang.split('-')[0] as keyof typeof WORDS;
  const w = WORDS[lang] ?? WORDS.en;
  const f = spec.format;
  const asin = spec.sku;
  const india = spec.currency === 'INR';
  const otherOffers = Number(spec.options?.otherOffers ?? 0);
  const otherFrom = String(spec.options?.otherFrom ?? '');
  const subscribe = spec.options?.subscribe ? String(spec.options.subscribe) : '';
  const unit = spec.unit
    ? ` <span class="a-size-small a-color-price aok-align-center">(${aPrice(spec.unit.price, spec, 'mini')}<span class="a-size-mini aok-offscreen"> ${escapeHtml(money(spec.unit.price, f))} per ${escapeHtml(spec.unit.per)} </span> / ${escapeHtml(spec.unit.per)})</span>`
    : '';
  const list = spec.was
    ? `<div class="a-section a-spacing-small aok-align-center"><span><span class="a-size-small a-color-secondary aok-align-center basisPrice">${india ? w.mrp : w.list} <span class="a-price a-text-price" data-a-size="s" data-a-strike="true" data-a-color="secondary"><span class="a-offscreen">${escapeHtml(money(spec.was, f))}</span><span aria-hidden="true">${escapeHtml(money(spec.was, f))}</span></span></span></span></div>`
    : '';
  const savings = spec.was
    ? `<span class="a-size-large a-color-price savingPriceOverride aok-align-center reinventPriceSavingsPercentageMargin savingsPercentage">-${Math.round((1 - Number(spec.price) / Number(spec.was)) * 100)}%</span>`
    : '';
  const core = spec.available
    ? `<div id="corePriceDisplay_desktop_feature_div" class="celwidget" data-feature-name="corePriceDisplay_desktop">
  <div class="a-section a-spacing-none aok-align-center aok-relative">${savings}<span class="a-price aok-align-center reinventPricePriceToPayMargin priceToPay" data-a-size="xl" data-a-color="base"><span class="a-offscreen">${escapeHtml(money(spec.price, f))}</span><span aria-hidden="true">${f.before ? `<span class="a-price-symbol">${escapeHtml(f.symbol)}</span>` : ''}<span class="a-price-whole">${escapeHtml(money(spec.price, f, { symbol: false }).split(f.decimal)[0] ?? '')}${f.decimals > 0 ? `<span class="a-price-decimal">${f.decimal}</span>` : ''}</span>${f.decimals > 0 ? `<span class="a-price-fraction">${money(spec.price, f, { symbol: false }).split(f.decimal)[1]}</span>` : ''}${f.before ? '' : `<span class="a-price-symbol">${escapeHtml(f.symbol)}</span>`}</span></span>${unit}</div>
  ${list}
  ${india ? `<div id="taxInclusiveMessage" class="a-section a-spacing-none a-padding-none"><span class="a-size-small a-color-base">${w.taxes}</span></div>` : ''}
</div>`
    : '';
  const availability = spec.available
    ? `<div id="availability" class="a-section a-spacing-base"><span class="a-size-medium a-color-success">${w.inStock}</span></div>`
    : `<div id="availability" class="a-section a-spacing-base"><span class="a-size-medium a-color-price">${w.unavailable}</span><br/><span class="a-size-base a-color-base">${w.unavailableNote}</span></div>`;
  const buybox = spec.available
    ? `<div id="buybox" data-csa-c-type="widget" data-csa-c-content-id="offer_display_desktop">
  <div id="qualifiedBuybox" class="a-section a-spacing-none">
    <div class="a-section a-spacing-none"><span class="a-price aok-align-center" data-a-size="l" data-a-color="price"><span class="a-offscreen">${escapeHtml(money(spec.price, f))}</span><span aria-hidden="true">${escapeHtml(money(spec.price, f))}</span></span></div>
    <div id="mir-layout-DELIVERY_BLOCK"><span data-csa-c-type="element" data-csa-c-delivery-price="FREE">${w.deliver} <span class="a-text-bold">Friday, June 14</span></span></div>
    ${availability}
    <div id="selectQuantity" class="a-section a-spacing-none a-padding-none"><span class="a-dropdown-container"><label for="quantity" class="a-native-dropdown">${w.qty}</label><select name="quantity" autocomplete="off" id="quantity" class="a-native-dropdown a-declarative"><option value="1" selected>1</option><option value="2">2</option><option value="3">3</option></select></span></div>
    <div id="addToCart_feature_div" class="celwidget"><span class="a-button a-spacing-small a-button-primary a-button-icon natc-enabled" id="a-autoid-0"><span class="a-button-inner"><input id="add-to-cart-button" name="submit.add-to-cart" title="${w.addToCart}" data-hover="Select &lt;b&gt;__dims__&lt;/b&gt; from the left&lt;br&gt; to add to Shopping Cart" class="a-button-input" type="submit" value="${w.addToCart}" aria-labelledby="submit.add-to-cart-announce"><span id="submit.add-to-cart-announce" class="a-button-text" aria-hidden="true">${w.addToCart}</span></span></span></div>
    <div id="buyNow_feature_div" class="celwidget"><span class="a-button a-button-oneclick a-button-icon onml-buy-now-button" id="a-autoid-1"><span class="a-button-inner"><input id="buy-now-button" name="submit.buy-now" title="${w.buyNow}" class="a-button-input" type="submit" aria-labelledby="submit.buy-now-announce"><span id="submit.buy-now-announce" class="a-button-text" aria-hidden="true">${w.buyNow}</span></span></span></div>
    <div class="tabular-buybox-container"><div class="tabular-buybox-text" tabular-attribute-name="Ships from"><span class="a-size-small">${w.ships}</span> <span class="a-size-small tabular-buybox-text-message">Amazon</span></div><div class="tabular-buybox-text" tabular-attribute-name="Sold by"><span class="a-size-small">${w.sold}</span> <span class="a-size-small tabular-buybox-text-message">${escapeHtml(spec.brand)}</span></div></div>
  </div>
</div>`
    : `<div id="buybox" data-csa-c-type="widget"><div id="outOfStockBuyBox_feature_div" class="celwidget"><div class="a-box a-text-center"><div class="a-box-inner">${availability}<span class="a-button a-button-normal a-spacing-small a-button-icon"><span class="a-button-inner"><input class="a-button-input" type="submit" aria-labelledby="a-autoid-5-announce"><span class="a-button-text" id="a-autoid-5-announce">Add to List</span></span></span></div></div></div></div>`;
  // A hidden template the page's scripts show when another size is picked.
  const template = spec.available
    ? `<div id="outOfStock" class="a-section a-spacing-none aok-hidden"><div class="a-box a-alert-inline a-alert-inline-error"><div class="a-box-inner a-alert-container"><span class="a-size-medium a-color-price">${w.unavailable}</span></div></div></div>`
    : `<div id="inStockTemplate" class="a-section aok-hidden"><span class="a-size-medium a-color-success">${w.inStock}</span></div>`;
  const subscribeBlock = subscribe
    ? `<div id="snsAccordionRowMiddle" class="a-box a-accordion-row-container"><div class="a-box-inner"><span class="a-text-bold">${w.sns}</span> ${aPrice(subscribe, spec, 'base')} <span class="a-size-small">(${escapeHtml(money(subscribe, f))} / delivery)</span></div></div>`
    : '';
  const others =
    otherOffers > 0
      ? `<div id="olp_feature_div" class="celwidget"><div class="a-section a-spacing-small a-spacing-top-small"><span><a href="/gp/offer-listing/${asin}/ref=dp_olp_NEW_mbc"><span>${w.newFrom(otherOffers)}</span> <span class="a-price" data-a-size="s" data-a-color="base"><span class="a-offscreen">${escapeHtml(money(otherFrom, f))}</span><span aria-hidden="true">${escapeHtml(money(otherFrom, f))}</span></span></a></span></div></div>
<div id="aod-container" class="a-section"><h5>${w.others}</h5>${[1, 2]
          .map(
            (i) =>
              `<div id="aod-offer" class="a-section a-spacing-none a-padding-base aod-information-block aod-clear-float"><div id="aod-offer-price" class="a-section a-spacing-none">${aPrice((Number(otherFrom) + i * 3).toFixed(f.decimals > 0 ? 2 : 0), spec, 'base')}</div><div id="aod-offer-availability" class="a-section"><span class="a-size-base a-color-price">${i === 2 ? w.unavailable : w.inStock}</span></div><div id="aod-offer-soldBy"><span class="a-size-small a-color-tertiary">${w.sold}</span> <a class="a-size-small a-link-normal" href="/gp/aag/main?seller=A${i}XYZ">Seller ${i}</a></div></div>`,
          )
          .join('')}</div>`
      : '';
  const carousel = spec.others
    .map(
      (o, i) =>
        `<li class="a-carousel-card" role="listitem" aria-setsize="${spec.others.length}" aria-posinset="${i + 1}"><div class="a-section sp_offerVertical p13n-asin sp_ltr_offer"><a class="a-link-normal" href="${o.url}"><div class="sponsored-products-truncator-truncated" data-click-el="title">${escapeHtml(o.name)}</div></a>${o.soldOut ? `<span class="a-size-small a-color-price">${w.unavailable}</span>` : `<div class="a-row">${aPrice(o.price, spec, 'base')}</div>`}${o.was ? `<div class="a-row">${w.list} ${aPrice(o.was, spec, 'base', true)}</div>` : ''}</div></li>`,
    )
    .join('');
  const detailRows: [string, string][] = [
    ['ASIN', asin],
    [w.model, spec.mpn ?? ''],
    [w.manufacturer, spec.brand],
    [w.weight, String(spec.options?.weight ?? '249 g')],
    [w.dateFirst, String(spec.options?.since ?? 'March 3, 2021')],
  ];
  const details =
    spec.options?.bullets === true
      ? `<div id="detailBulletsWrapper_feature_div"><h2>${w.details}</h2><div id="detailBullets_feature_div"><ul class="a-unordered-list a-nostyle a-vertical a-spacing-none detail-bullet-list">${detailRows
          .filter(([, v]) => v)
          .map(
            ([label, value]) =>
              `<li><span class="a-list-item"><span class="a-text-bold">${escapeHtml(label)} &rlm; : &lrm; </span><span>${escapeHtml(value)}</span></span></li>`,
          )
          .join('')}</ul></div></div>`
      : `<div id="prodDetails" class="a-section"><h2>${w.info}</h2><div class="a-row a-spacing-top-base"><div class="a-column a-span6"><table id="productDetails_detailBullets_sections1" class="a-keyvalue prodDetTable" role="presentation">${detailRows
          .filter(([, v]) => v)
          .map(
            ([label, value]) =>
              `<tr><th class="a-color-secondary a-size-base prodDetSectionEntry">${escapeHtml(label)}</th><td class="a-size-base prodDetAttrValue">${escapeHtml(value)}</td></tr>`,
          )
          .join(
            '',
          )}<tr><th class="a-color-secondary a-size-base prodDetSectionEntry">${w.rank}</th><td><span><span>#1,204 in Electronics</span></span></td></tr></table></div></div></div>`;
  const variants = spec.variants ?? [];
  const twister =
    variants.length > 0
      ? `<div id="twister_feature_div" class="celwidget"><form id="twister" class="a-spacing-none" method="get" action="/gp/product/${asin}"><div id="variation_size_name" class="a-section a-spacing-small"><div class="a-row a-spacing-micro"><label class="a-form-label">Size: </label><span class="selection">${escapeHtml(variants.find((v) => v.sku === asin)?.name ?? '')}</span></div><ul class="a-unordered-list a-nostyle a-button-list a-declarative a-button-toggle-group a-horizontal" role="radiogroup">${variants
          .map(
            (v) =>
              `<li id="size_name_${variants.indexOf(v)}" data-defaultasin="${v.sku}" data-dp-url="/dp/${v.sku}" class="swatch${v.sku === asin ? 'Selected' : v.available ? 'Available' : 'Unavailable'}" title="Click to select ${escapeHtml(v.name)}"><span class="a-list-item"><span class="a-button a-button-toggle"><span class="a-button-inner"><input name="${escapeHtml(v.name)}" class="a-button-input" type="submit"><span class="a-button-text" aria-hidden="true"><div class="twisterTextDiv text"><p class="a-text-left a-size-base">${escapeHtml(v.name)}</p></div><div class="twisterSlotDiv"><span class="a-size-mini twisterSwatchPrice">${v.available ? escapeHtml(money(v.price, f)) : 'Currently unavailable.'}</span></div></span></span></span></span></li>`,
          )
          .join('')}</ul></div></form></div>`
      : '';
  const host = new URL(spec.url).host;
  return `<!doctype html><html lang="${spec.lang}" class="a-no-js" data-19ax5a9jf="dingo"><head><script>var aPageStart = (new Date()).getTime();</script><meta charset="utf-8"/>
<script type='text/javascript'>var ue_t0=ue_t0||+new Date();</script>
<link rel="canonical" href="https://${host}/${escapeHtml(
    spec.title
      .split(' ')
      .slice(0, 6)
      .join('-')
      .replace(/[^\p{L}\p{N}-]/gu, ''),
  )}/dp/${asin}" />
<meta name="description" content="${escapeHtml(spec.title)} : ${escapeHtml(spec.category.join(' : '))}" />
<meta name="title" content="${escapeHtml(spec.title)} : ${escapeHtml(spec.category.at(-1) ?? '')}" />
<title>${escapeHtml(spec.title)} : ${escapeHtml(spec.category.at(-1) ?? '')}</title>
<script>P.when('A').register("ImageBlockATF", function(A){ var data = {'colorImages': { 'initial': [{"hiRes":"https://m.media-amazon.com/images/I/71abc.jpg","thumb":"https://m.media-amazon.com/images/I/41abc._SS40_.jpg","large":"https://m.media-amazon.com/images/I/41abc.jpg","main":{"https://m.media-amazon.com/images/I/71abc._AC_SX679_.jpg":[679,679]},"variant":"MAIN"}]}, 'colorToAsin': {'initial': {}}, 'holderRatio': 1.0, 'heroImage': {'initial': []}}; A.trigger('P.AboveTheFold'); return data; });</script>
</head>
<body class="a-m-${spec.lang.split('-')[1]?.toLowerCase() ?? 'us'} a-aui_72554-c dp">
<div id="a-page">
<header id="navbar-main" class="nav-opt-sprite nav-flex nav-locale-${spec.lang.split('-')[1]?.toLowerCase() ?? 'us'} nav-lang-${lang} nav-ssl nav-unrec"><div id="navbar" cel_widget_id="Navigation-desktop-navbar" role="navigation" class="nav-sprite-v1 celwidget nav-bluebeacon nav-a11y-t1 bold-focus-hover layout2 nav-flex layout3 layout3-alt nav-packard-glow hamburger using-mouse"><div id="nav-belt"><div class="nav-left"><div id="nav-logo"><a href="/ref=nav_logo" id="nav-logo-sprites" class="nav-logo-link nav-progressive-attribute" aria-label="Amazon"><span class="nav-sprite nav-logo-base"></span></a></div></div>
<div class="nav-fill" id="nav-fill-search"><form id="nav-search-bar-form" accept-charset="utf-8" action="/s/ref=nb_sb_noss" class="nav-searchbar nav-progressive-attribute" method="GET" name="site-search" role="search"><input type="text" id="twotabsearchtextbox" value="" name="field-keywords" autocomplete="off" placeholder="Search" class="nav-input nav-progressive-attribute" dir="auto" tabindex="0" aria-label="Search"></form></div>
<div class="nav-right"><a href="/gp/cart/view.html?ref_=nav_cart" aria-label="0 items in cart" class="nav-a nav-a-2 nav-truncate nav-progressive-attribute" id="nav-cart"><div id="nav-cart-count-container"><span id="nav-cart-count" aria-hidden="true" class="nav-cart-count nav-cart-0 nav-progressive-attribute nav-progressive-content">0</span></div><div id="nav-cart-text-container" class=" nav-progressive-attribute"><span aria-hidden="true" class="nav-line-2">Cart</span></div></a></div></div></div></header>
<div id="dp" class="${escapeHtml(spec.category.at(-1)?.toLowerCase() ?? 'electronics')} ${lang}_${spec.lang.split('-')[1] ?? 'US'}">
<div id="dp-container" class="a-container" role="main">
<div id="wayfinding-breadcrumbs_feature_div" class="a-section a-spacing-none a-padding-medium"><ul class="a-unordered-list a-horizontal a-size-small">${spec.category.map((c) => `<li><span class="a-list-item"><a class="a-link-normal a-color-tertiary" href="/b/ref=dp_bc_aui_C_1?node=123">${escapeHtml(c)}</a></span></li><li class="a-breadcrumb-divider"><span class="a-list-item a-color-tertiary">›</span></li>`).join('')}</ul></div>
<div id="ppd">
<div id="leftCol" class="a-column a-span5"><div id="imageBlock_feature_div" class="celwidget"><div id="imageBlock" class="a-section imageBlockRearch"><div id="main-image-container" class="a-dynamic-image-container"><img alt="${escapeHtml(spec.title)}" src="https://m.media-amazon.com/images/I/41abc.jpg" data-old-hires="https://m.media-amazon.com/images/I/71abc._AC_SL1500_.jpg" id="landingImage" data-a-dynamic-image="{&quot;https://m.media-amazon.com/images/I/71abc._AC_SX679_.jpg&quot;:[679,679]}"></div></div></div></div>
<div id="centerCol" class="centerColAlign">
<div id="title_feature_div" class="celwidget"><div id="titleSection" class="a-section a-spacing-none"><h1 id="title" class="a-size-large a-spacing-none"><span id="productTitle" class="a-size-large product-title-word-break">        ${escapeHtml(spec.title)}       </span></h1></div></div>
<div id="bylineInfo_feature_div" class="celwidget"><div class="a-section a-spacing-none"><a id="bylineInfo" class="a-link-normal" href="/stores/${escapeHtml(spec.brand)}/page/ABC">Visit the ${escapeHtml(spec.brand)} Store</a></div></div>
<div id="averageCustomerReviews_feature_div" class="celwidget"><div id="averageCustomerReviews" data-asin="${asin}"><span class="a-declarative"><a href="javascript:void(0)" class="a-popover-trigger a-declarative"><span class="a-size-base a-color-base">4.5</span></a></span><span id="acrCustomerReviewText" class="a-size-base">12,804 ratings</span></div></div>
<hr class="a-divider-normal" />
<div id="apex_desktop" class="celwidget" data-csa-c-asin="${asin}">${core}</div>
${subscribeBlock}
${twister}
${template}
<div id="featurebullets_feature_div" class="celwidget"><div id="feature-bullets" class="a-section a-spacing-medium a-spacing-top-small"><h1 class="a-size-base-plus a-text-bold">About this item</h1><ul class="a-unordered-list a-vertical a-spacing-mini">${spec.description
    .split('\n')
    .map((p) => `<li><span class="a-list-item">${escapeHtml(p)}</span></li>`)
    .join('')}</ul></div></div>
</div>
<div id="rightCol" class="rightColAlign">${buybox}${others}</div>
</div>
<div id="sims-consolidated-2_feature_div" class="celwidget"><div class="a-section a-spacing-large"><h2 class="a-carousel-heading">${w.related}</h2><span class="sp_desktop_sponsored_label">${w.sponsored}</span><div class="a-carousel-container a-carousel-display-swap"><div class="a-carousel-viewport"><ol class="a-carousel" role="list">${carousel}</ol></div></div></div></div>
${details}
<div id="similarities_feature_div" class="celwidget"><div class="a-section"><h2>${w.bought}</h2><ol class="a-carousel">${spec.others
    .slice(0, 2)
    .map(
      (o) =>
        `<li class="a-carousel-card"><a class="a-link-normal" href="${o.url}">${escapeHtml(o.name)}</a> <span class="a-color-price">${escapeHtml(money(o.price, f))}</span></li>`,
    )
    .join('')}</ol></div></div>
</div>
</div>
<footer class="nav-mobile nav-ftr-batmobile"><div id="navFooter" class="navLeftFooter nav-sprite-v1"><div class="navFooterLine navFooterLogoLine"><a href="/ref=footer_logo" aria-label="Amazon"><div class="nav-logo-base nav-sprite"></div></a></div><div class="navFooterLine navFooterLinkLine navFooterPadItemLine"><ul><li class="nav_first"><a href="/gp/help/customer/display.html?nodeId=508088" class="nav_a">Conditions of Use</a></li></ul><span>© 1996-2024, Amazon.com, Inc. or its affiliates</span></div></div></footer>
</div>
<script type="a-state" data-a-state="{&quot;key&quot;:&quot;turbo-checkout-page-state&quot;}">${json({ strings: { TURBO_CHECKOUT_HEADER: 'Buy now' }, asin, isOutOfStock: !spec.available })}</script>
</body></html>
`;
}

/** The other large marketplace layout: obfuscated class names, no structured product data. */
function renderFlipkart(spec: PageSpec): string {
  const f = spec.format;
  const off = spec.was ? Math.round((1 - Number(spec.price) / Number(spec.was)) * 100) : 0;
  const cards = spec.others
    .map(
      (o) =>
        `<div class="_4ddWXP"><a class="s1Q9rs" title="${escapeHtml(o.name)}" href="${o.url}">${escapeHtml(o.name)}</a><div class="_3LWZlK">4.2</div><a class="_8VNy32" href="${o.url}"><div class="_25b18c"><div class="_30jeq3">${escapeHtml(money(o.price, f))}</div>${o.was ? `<div class="_3I9_wc">${escapeHtml(money(o.was, f))}</div><div class="_3Ay6Sb"><span>20% off</span></div>` : ''}</div></a></div>`,
    )
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<link rel="canonical" href="${spec.url.replace(/\?.*$/, '')}"/>
<title>${escapeHtml(spec.title)} Price in India - Buy ${escapeHtml(spec.title)} online at Flipkart.com</title>
<meta name="Description" content="${escapeHtml(spec.title)} online at best price in India. Check out ${escapeHtml(spec.title)} reviews, ratings, specifications and more at Flipkart.com"/>
<meta property="og:title" content="${escapeHtml(spec.title)}"/>
<meta property="og:url" content="${spec.url}"/>
<meta property="og:image" content="https://rukminim2.flixcart.com/image/416/416/x.jpeg?q=70"/>
<meta name="twitter:card" content="summary_large_image"/>
<script id="is_script">window.__INITIAL_STATE__ = ${json({ pageDataV4: { page: { pageData: { pageContext: { pageType: 'ProductPage', productId: spec.sku, fdpEventTracking: { events: { psi: { pls: { isAvailable: spec.available } } } }, pricing: { finalPrice: { decimalValue: spec.price, currency: 'INR' }, mrp: { decimalValue: spec.was ?? spec.price } } } } } } })};</script>
</head>
<body>
<div id="container"><div><div class="_1kfTjk"><div class="_3ZqtNW"><div class="_3qX0zy"><a href="/"><img width="75" height="20" src="//static-assets-web.flixcart.com/batman-returns/batman-returns/p/images/fkheaderlogo_exploreplus-44005d.svg" title="Flipkart" class="_2xm1JU"/></a></div>
<div class="col-5-12 _2NhfCm"><form class="_2M8cLY header-form-search" action="/search" method="GET"><input class="_3704LK" type="text" title="Search for products, brands and more" name="q" autocomplete="off" placeholder="Search for products, brands and more" value=""/></form></div>
<div class="_3WVNio"><a class="_1_3w1N" href="/account/login?ret=/">Login</a></div><div class="_2bHkOt"><a class="_3SkBxJ" href="/viewcart?exploreMode=true&amp;preference=FLIPKART"><span>Cart</span></a></div></div></div></div>
<div class="_1YokD2 _2GoDe3"><div class="_1YokD2 _3Mn1Gg col-5-12 _78xt5Y"><div class="_1AtVbE col-12-12"><div class="CXW8mj _3nMexc"><img loading="eager" class="_396cs4 _2amPTt _3qGmMb" alt="${escapeHtml(spec.title)}" src="https://rukminim2.flixcart.com/image/416/416/x.jpeg?q=70"/></div>
<ul class="row"><li class="col col-6-12"><button class="_2KpZ6l _2U9uOA _3v1-ww"${spec.available ? '' : ' disabled'}><svg class="_1KOMV2" width="16" height="16" viewBox="0 0 16 15"></svg>ADD TO CART</button></li><li class="col col-6-12"><form><button class="_2KpZ6l _2U9uOA ihZ75k _3AWRsL" type="button"${spec.available ? '' : ' disabled'}>BUY NOW</button></form></li></ul></div></div>
<div class="_1YokD2 _3Mn1Gg col-8-12"><div class="_1AtVbE col-12-12"><div class="_1MR4o5"><div class="_3GIHBu"><a class="_2whKao" href="/">Home</a></div>${spec.category.map((c) => `<div class="_3GIHBu"><a class="_2whKao" href="/${escapeHtml(c.toLowerCase())}/pr">${escapeHtml(c)}</a></div>`).join('')}</div></div>
<div class="_1AtVbE col-12-12"><div class="aMaAEs"><div><h1 class="yhB1nd"><span class="B_NuCI">${escapeHtml(spec.title)}&nbsp;&nbsp;</span></h1></div>
<div class="_3_L3jD"><div class="gUuXy- _16VRIQ"><span class="_1lRcqv" id="productRating_LSTX_${escapeHtml(spec.sku)}"><div class="_3LWZlK">4.3</div></span><span class="_2_R_DZ"><span><span>12,842 Ratings&nbsp;</span><span class="_13vcmD">&amp;</span><span>&nbsp;1,204 Reviews</span></span></span></div></div>
<div class="dyC4hf"><div class="CEmiEU"><div class="_25b18c"><div class="_30jeq3 _16Jk6d">${escapeHtml(money(spec.price, f))}</div>${spec.was ? `<div class="_3I9_wc _2p6lqe">${escapeHtml(money(spec.was, f))}</div><div class="_3Ay6Sb _31Dcoz"><span>${off}% off</span></div>` : ''}</div></div></div>
${spec.available ? '' : `<div class="_16FRp0">Sold Out</div><div class="Z8JjpR">This item is currently out of stock</div>`}
${spec.options?.emi ? `<div class="_3Ay6Sb"><span>EMI starting from ${escapeHtml(money(String(spec.options.emi), f))}/month</span></div>` : ''}
</div></div>
<div class="_1AtVbE col-12-12"><div class="_3dtsli"><div class="_1UhVsV">Specifications</div><div class="_3k-BhJ"><div class="flxcaE">General</div><table class="_14cfVK"><tbody>
<tr class="_1s_Smc row"><td class="_1hKmbr col col-3-12">Model Number</td><td class="URwL2w col col-9-12"><ul><li class="_21lJbe">${escapeHtml(spec.mpn ?? '')}</li></ul></td></tr>
<tr class="_1s_Smc row"><td class="_1hKmbr col col-3-12">Brand</td><td class="URwL2w col col-9-12"><ul><li class="_21lJbe">${escapeHtml(spec.brand)}</li></ul></td></tr>
<tr class="_1s_Smc row"><td class="_1hKmbr col col-3-12">Color</td><td class="URwL2w col col-9-12"><ul><li class="_21lJbe">${escapeHtml(String(spec.options?.color ?? 'Black'))}</li></ul></td></tr>
</tbody></table></div></div></div>
<div class="_1AtVbE col-12-12"><div class="_1YokD2 _3Mn1Gg"><div class="_2MImiq"><div class="_1YokD2">Similar Products</div>${cards}</div></div></div>
</div></div>
<footer class="_1ZMrY_"><div class="_2Brcj4"><div class="_1ZMrY_"><div class="_2lzn0o">ABOUT</div><a href="/helpcentre" class="_1arVagkj">Contact Us</a></div></div><div class="_3W6rZd"><span>© 2007-2024 <span>Flipkart.com</span></span></div></footer>
</div></div>
</body>
</html>
`;
}

export function renderMarketplace(spec: PageSpec): string {
  return spec.options?.flipkart === true ? renderFlipkart(spec) : renderAmazon(spec);
}
