import type { DemoCategory, DemoProduct } from './catalog.ts';
import { decimalPrice, displayPrice, escapeHtml, scriptJson } from './format.ts';
import { breadcrumbs, layout, stockClass, stockLabel } from './layout.ts';
import { categoryPath, productPath, type ShopIndex } from './shop-index.ts';

/**
 * One layout for every product; `markup` only decides which structured data rides along.
 * Microdata attributes sit on inner elements so each itemprop's text is the bare value.
 */
export function productPage(index: ShopIndex, baseUrl: string, product: DemoProduct): string {
  const category = index.category(product.categorySlug);
  const canonical = baseUrl + productPath(product);
  const md = product.markup === 'microdata';
  const attr = (value: string) => (md ? ` ${value}` : '');
  const wrap = (prop: string, text: string) => (md ? `<span itemprop="${prop}">${text}</span>` : text);
  const title = escapeHtml(product.title);

  const images = product.images
    .map(
      (src, i) =>
        `<img class="product-image"${attr('itemprop="image"')} src="${src}" alt="${title} – view ${i + 1}" width="480" height="480">`,
    )
    .join('\n');
  const was = product.wasPriceCents
    ? `<span class="was-price">Was <del>${escapeHtml(displayPrice(product, product.wasPriceCents))}</del></span> `
    : '';
  const body = `${category ? breadcrumbs(index, category) : ''}
<article class="product"${attr('itemscope itemtype="https://schema.org/Product"')}>
<div class="gallery">
${images}
</div>
<div class="summary">
<h1 class="product-title"${attr('itemprop="name"')}>${title}</h1>
<p class="byline">by <span class="product-brand"${attr('itemprop="brand" itemscope itemtype="https://schema.org/Brand"')}>${wrap('name', escapeHtml(product.brand))}</span></p>
<div class="price-box"${attr('itemprop="offers" itemscope itemtype="https://schema.org/Offer"')}>
${md ? `<meta itemprop="priceCurrency" content="${product.currency}">\n<link itemprop="url" href="${escapeHtml(canonical)}">\n` : ''}${was}<span class="product-price"${attr(`itemprop="price" content="${decimalPrice(product.priceCents)}"`)}>${escapeHtml(displayPrice(product, product.priceCents))}</span> <span class="vat-note">incl. VAT</span>
<p class="stock ${stockClass(product)}">${md ? `<link itemprop="availability" href="https://schema.org/${product.availability}">` : ''}${stockLabel(product)}</p>
</div>
<p class="identifiers"><span class="sku">SKU: ${wrap('sku', escapeHtml(product.sku))}</span> · <span class="gtin">EAN: ${wrap('gtin13', product.gtin)}</span></p>
<a class="button add-to-cart" href="/cart?add=${encodeURIComponent(product.sku)}" rel="nofollow">Add to cart</a>
</div>
<section class="details">
<h2>Description</h2>
<div class="product-description"${attr('itemprop="description"')}><p>${escapeHtml(product.description)}</p></div>
</section>
</article>
<section id="reviews" class="reviews"><h2>Reviews</h2><p>No reviews yet. Be the first to review this product.</p></section>
${relatedBlock(index, product)}`;

  const head = [
    `<meta name="description" content="${escapeHtml(product.description)}">`,
    `<meta property="og:type" content="product">`,
    `<meta property="og:site_name" content="Trawl Demo Shop">`,
    `<meta property="og:title" content="${title}">`,
    `<meta property="og:url" content="${escapeHtml(canonical)}">`,
    `<meta property="og:image" content="${escapeHtml(baseUrl + product.images[0])}">`,
    ...jsonLdScripts(product, category ? index.lineage(category) : [], baseUrl, canonical),
  ].join('\n');
  return layout(index, { title: product.title, canonical, head, body });
}

/** Tracking parameters and fragments on purpose: a crawler must reduce them to the canonical URL. */
const relatedHrefSuffixes = ['?utm_source=related&utm_medium=product-page#reviews', '#reviews', ''];

function relatedBlock(index: ShopIndex, product: DemoProduct): string {
  const items = index.related(product).map((other, i) => {
    const href = productPath(other) + (relatedHrefSuffixes[i] ?? '');
    return `<li class="related-item"><a href="${escapeHtml(href)}"><img class="thumb" src="${other.images[0]}" alt="" width="96" height="96"><span class="related-title">${escapeHtml(other.title)}</span></a> <span class="price">${escapeHtml(displayPrice(other, other.priceCents))}</span></li>`;
  });
  return `<section class="related"><h2>Customers also viewed</h2><ul class="related-list">\n${items.join('\n')}\n</ul></section>`;
}

function jsonLdScripts(
  product: DemoProduct,
  lineage: DemoCategory[],
  baseUrl: string,
  canonical: string,
): string[] {
  if (product.markup === 'plain') return [];
  const offer = {
    '@type': 'Offer',
    url: canonical,
    price: decimalPrice(product.priceCents),
    priceCurrency: product.currency,
    availability: `https://schema.org/${product.availability}`,
    itemCondition: 'https://schema.org/NewCondition',
  };
  // Real shops vary in how they shape the same data; cycle through the common shapes.
  const shape = Number(product.id.slice(1)) % 3;
  const data = {
    '@type': 'Product',
    '@id': `${canonical}#product`,
    name: product.title,
    description: product.description,
    sku: product.sku,
    gtin13: product.gtin,
    brand: { '@type': 'Brand', name: product.brand },
    image: product.images.map((src) => baseUrl + src),
    url: canonical,
    offers: shape === 2 ? [offer] : offer,
  };
  const crumbs = {
    '@type': 'BreadcrumbList',
    itemListElement: lineage.map((c, i) => ({
      '@type': 'ListItem',
      position: i + 1,
      name: c.name,
      item: baseUrl + categoryPath(c.slug),
    })),
  };
  const script = (json: string) => `<script type="application/ld+json">${json}</script>`;
  if (product.markup === 'microdata') {
    // Only the deliberately broken page carries JSON-LD beside its microdata: the closing brace is cut off.
    return product.brokenJsonLd
      ? [script(`${scriptJson({ '@context': 'https://schema.org', ...data }).slice(0, -1)},`)]
      : [];
  }
  if (shape === 1)
    return [script(scriptJson({ '@context': 'https://schema.org', '@graph': [data, crumbs] }))];
  return [
    script(scriptJson({ '@context': 'https://schema.org', ...data })),
    script(scriptJson({ '@context': 'https://schema.org', ...crumbs })),
  ];
}
