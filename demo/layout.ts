import type { DemoCategory, DemoProduct } from './catalog.ts';
import { escapeHtml } from './format.ts';
import { categoryPath, type ShopIndex } from './shop-index.ts';

export const shopName = 'Trawl Demo Shop';

const css = `body{font-family:system-ui,sans-serif;margin:0;color:#222}
.site-header{display:flex;gap:1.5rem;align-items:center;padding:.75rem 1.5rem;background:#17324d}
.site-header a{color:#fff;text-decoration:none}.logo{font-weight:700}.account-nav{margin-left:auto;display:flex;gap:1rem}
main{max-width:1080px;margin:0 auto;padding:1rem 1.5rem}.breadcrumbs a{color:#17324d}
.product-grid,.related-list{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:1rem;list-style:none;padding:0}
.product-price{font-size:1.6rem;font-weight:700}.was-price{color:#888}.out-of-stock{color:#b00}
.pagination{display:flex;gap:.5rem;margin:1.5rem 0}.current{font-weight:700}
.site-footer{padding:1rem 1.5rem;color:#666;border-top:1px solid #ddd}`;

export interface PageParts {
  title: string;
  /** Absolute canonical URL. */
  canonical: string;
  head?: string;
  body: string;
}

export function layout(index: ShopIndex, parts: PageParts): string {
  const nav = index
    .topLevel()
    .map((c) => `<a href="${categoryPath(c.slug)}">${escapeHtml(c.name)}</a>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(parts.title)} | ${shopName}</title>
<link rel="canonical" href="${escapeHtml(parts.canonical)}">
${parts.head ?? ''}
<style>${css}</style>
</head>
<body>
<header class="site-header">
<a class="logo" href="/">${shopName}</a>
<nav class="main-nav" aria-label="Categories">${nav}</nav>
<nav class="account-nav"><a href="/account/login">Sign in</a><a href="/cart">Cart (0)</a></nav>
</header>
<main>
${parts.body}
</main>
<footer class="site-footer"><p>© 2024 ${shopName}. Prices include VAT where applicable. Free shipping from €50.</p></footer>
</body>
</html>
`;
}

/** Only category links, no "Home", so `nav.breadcrumbs a` yields exactly the category path. */
export function breadcrumbs(index: ShopIndex, category: DemoCategory): string {
  const links = index
    .lineage(category)
    .map((c) => `<a href="${categoryPath(c.slug)}">${escapeHtml(c.name)}</a>`)
    .join(' <span class="sep">›</span> ');
  return `<nav class="breadcrumbs" aria-label="Breadcrumb">${links}</nav>`;
}

export function stockLabel(product: Pick<DemoProduct, 'availability'>): string {
  switch (product.availability) {
    case 'InStock':
      return 'In stock';
    case 'OutOfStock':
      return 'Out of stock';
    case 'PreOrder':
      return 'Pre-order';
  }
}

export function stockClass(product: Pick<DemoProduct, 'availability'>): string {
  return product.availability.replace(/[A-Z]/g, (ch, at: number) => (at > 0 ? '-' : '') + ch.toLowerCase());
}
