import type { DemoCategory, DemoProduct } from './catalog.ts';
import { displayPrice, escapeHtml } from './format.ts';
import { breadcrumbs, layout, stockLabel } from './layout.ts';
import { categoryPath, productPath, type ShopIndex } from './shop-index.ts';

export function homePage(index: ShopIndex, baseUrl: string): string {
  const tree = index
    .topLevel()
    .map((top) => {
      const children = index.children(top.slug);
      const sub = children.length
        ? `<ul>${children.map((c) => `<li><a href="${categoryPath(c.slug)}">${escapeHtml(c.name)}</a></li>`).join('')}</ul>`
        : '';
      return `<li><a href="${categoryPath(top.slug)}">${escapeHtml(top.name)}</a>${sub}</li>`;
    })
    .join('\n');
  const products = index.catalog.products;
  const featured = products.filter((_, i) => i % 67 === 3).slice(0, 8);
  const body = `<h1>Welcome to the Trawl Demo Shop</h1>
<section class="categories"><h2>Shop by category</h2><ul class="category-tree">
${tree}
</ul></section>
<section class="featured"><h2>Featured</h2><ul class="product-grid">
${featured.map((p) => productCard(p, '?utm_source=home&utm_campaign=featured')).join('\n')}
</ul></section>`;
  return layout(index, { title: 'Home', canonical: `${baseUrl}/`, body });
}

/** Null when the category or page does not exist. */
export function categoryPage(
  index: ShopIndex,
  baseUrl: string,
  category: DemoCategory,
  page: number,
): string | null {
  const pages = index.pageCount(category);
  if (!Number.isInteger(page) || page < 1 || page > pages) return null;
  const canonical = baseUrl + categoryPath(category.slug, page);
  if (!category.isLeaf) {
    const children = index
      .children(category.slug)
      .map(
        (c) =>
          `<li><a href="${categoryPath(c.slug)}">${escapeHtml(c.name)}</a> <span class="count">(${index.productsIn(c.slug).length})</span></li>`,
      );
    const body = `${breadcrumbs(index, category)}
<h1>${escapeHtml(category.name)}</h1>
<ul class="subcategories">
${children.join('\n')}
</ul>`;
    return layout(index, { title: category.name, canonical, body });
  }
  const all = index.productsIn(category.slug);
  const items = all.slice((page - 1) * index.pageSize, page * index.pageSize);
  const body = `${breadcrumbs(index, category)}
<h1>${escapeHtml(category.name)}</h1>
<p class="result-count">${all.length} products · page ${page} of ${pages}</p>
<ul class="product-grid">
${items.length ? items.map((p) => productCard(p, '')).join('\n') : '<li class="empty">No products yet.</li>'}
</ul>
${pagination(category.slug, page, pages)}`;
  const title = page > 1 ? `${category.name} – page ${page}` : category.name;
  return layout(index, { title, canonical, body });
}

function productCard(product: DemoProduct, hrefSuffix: string): string {
  const href = escapeHtml(productPath(product) + hrefSuffix);
  const stock =
    product.availability === 'InStock' ? '' : ` <span class="card-stock">${stockLabel(product)}</span>`;
  return `<li class="product-card"><a class="card-link" href="${href}"><img class="thumb" src="${product.images[0]}" alt="" width="180" height="180"><span class="card-title">${escapeHtml(product.title)}</span></a> <span class="price">${escapeHtml(displayPrice(product, product.priceCents))}</span>${stock}</li>`;
}

function pagination(slug: string, page: number, pages: number): string {
  if (pages <= 1) return '';
  const parts: string[] = [];
  if (page > 1)
    parts.push(
      `<a class="prev" rel="prev" href="${escapeHtml(categoryPath(slug, page - 1))}">‹ Previous</a>`,
    );
  for (let n = 1; n <= pages; n++) {
    parts.push(
      n === page
        ? `<span class="current" aria-current="page">${n}</span>`
        : `<a href="${escapeHtml(categoryPath(slug, n))}">${n}</a>`,
    );
  }
  if (page < pages)
    parts.push(`<a class="next" rel="next" href="${escapeHtml(categoryPath(slug, page + 1))}">Next ›</a>`);
  return `<nav class="pagination" aria-label="Pages">${parts.join(' ')}</nav>`;
}

export function cartPage(index: ShopIndex, baseUrl: string): string {
  return layout(index, {
    title: 'Your cart',
    canonical: `${baseUrl}/cart`,
    body: '<h1>Your cart</h1><p>Your cart is empty.</p>',
  });
}

export function loginPage(index: ShopIndex, baseUrl: string): string {
  return layout(index, {
    title: 'Sign in',
    canonical: `${baseUrl}/account/login`,
    body: `<h1>Sign in</h1>
<form method="post" action="/account/login"><label>Email <input type="email" name="email"></label>
<label>Password <input type="password" name="password"></label><button type="submit">Sign in</button></form>`,
  });
}

export function notFoundPage(index: ShopIndex, baseUrl: string, path: string): string {
  return layout(index, {
    title: 'Page not found',
    canonical: baseUrl + path,
    body: `<h1>Page not found</h1><p>Nothing lives at <code>${escapeHtml(path)}</code>. Try the <a href="/">home page</a>.</p>`,
  });
}

export function robotsTxt(baseUrl: string): string {
  return `User-agent: *\nDisallow: /cart\nDisallow: /account/\n\nSitemap: ${baseUrl}/sitemap.xml\n`;
}

/** Every crawlable HTML page: home, every category page, every product. */
export function crawlablePaths(index: ShopIndex): string[] {
  const paths = ['/'];
  for (const category of index.catalog.categories) {
    for (let page = 1; page <= index.pageCount(category); page++)
      paths.push(categoryPath(category.slug, page));
  }
  for (const product of index.catalog.products) paths.push(productPath(product));
  return paths;
}

export function sitemapXml(index: ShopIndex, baseUrl: string): string {
  const urls = crawlablePaths(index).map(
    (path) => `<url><loc>${escapeHtml(baseUrl + path)}</loc><lastmod>2024-06-01</lastmod></url>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls.join('\n')}
</urlset>
`;
}

/** A flat colour per file, so every product image is distinct but tiny. */
export function placeholderSvg(file: string): string {
  let hash = 0;
  for (const ch of file) hash = (Math.imul(hash, 31) + (ch.codePointAt(0) ?? 0)) >>> 0;
  const label = escapeHtml(file.replace(/\.svg$/, '').slice(-24));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="480" viewBox="0 0 480 480"><rect width="480" height="480" fill="hsl(${hash % 360},45%,78%)"/><text x="240" y="250" text-anchor="middle" font-family="sans-serif" font-size="20" fill="#234">${label}</text></svg>`;
}
