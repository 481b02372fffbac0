import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteSchema } from '../core/site.ts';
import {
  type DemoProduct,
  type DemoShop,
  demoSite,
  expectedPageCount,
  expectedPagePaths,
  generateCatalog,
  groundTruth,
  isValidGtin,
  startDemoShop,
} from './index.ts';

describe('demo catalog', () => {
  it('is large, varied and deterministic', () => {
    const started = performance.now();
    const catalog = generateCatalog();
    expect(performance.now() - started).toBeLessThan(200);
    expect(generateCatalog()).toEqual(catalog);
    expect(generateCatalog({ seed: 7 })).not.toEqual(catalog);

    const { products, categories } = catalog;
    expect(products.length).toBeGreaterThanOrEqual(520);
    expect(categories.length).toBeGreaterThanOrEqual(12);
    expect(categories.some((c) => c.parentSlug !== null)).toBe(true);
    expect(new Set(products.map((p) => p.brand)).size).toBeGreaterThanOrEqual(20);
    for (const key of ['id', 'slug', 'sku', 'gtin', 'title'] as const) {
      expect(new Set(products.map((p) => p[key])).size).toBe(products.length);
    }
    expect(products.every((p) => isValidGtin(p.gtin) && p.gtin.length === 13)).toBe(true);
    expect(products.every((p) => Number.isInteger(p.priceCents) && p.priceCents > 0)).toBe(true);
    expect(products.every((p) => p.images.length >= 1 && p.images.length <= 3)).toBe(true);

    const share = (pick: (p: DemoProduct) => boolean) => products.filter(pick).length / products.length;
    expect(share((p) => p.markup === 'jsonld')).toBeCloseTo(0.4, 1);
    expect(share((p) => p.markup === 'microdata')).toBeCloseTo(0.35, 1);
    expect(share((p) => p.markup === 'plain')).toBeCloseTo(0.25, 1);
    expect(share((p) => p.currency === 'GBP')).toBeGreaterThan(0.05);
    expect(share((p) => p.currency === 'USD')).toBeGreaterThan(0.05);
    expect(share((p) => p.availability === 'OutOfStock')).toBeCloseTo(0.12, 1);
    expect(products.some((p) => p.availability === 'PreOrder')).toBe(true);
    expect(products.filter((p) => p.brokenJsonLd)).toHaveLength(1);
  });
});

describe('demo shop server', () => {
  let shop: DemoShop;
  const byMarkup = (markup: DemoProduct['markup']) =>
    shop.catalog.products.filter((p) => p.markup === markup);
  const truthOf = (product: DemoProduct) =>
    groundTruth(shop.catalog, shop.url).find((t) => t.sku === product.sku)!;
  const page = async (path: string) => {
    const response = await fetch(shop.url + path);
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: await response.text(),
    };
  };
  const dom = async (path: string) => cheerio.load((await page(path)).body);

  beforeAll(async () => {
    shop = await startDemoShop({ port: 0 });
  });
  afterAll(async () => {
    await shop.close();
  });

  it('is reached by a polite crawl exactly as the ground truth predicts', async () => {
    shop.resetRequests();
    const fetched = await miniCrawl(shop.url);
    const expected = expectedPagePaths(shop.catalog);
    expect(fetched.size).toBe(expectedPageCount(shop.catalog));
    expect([...fetched].sort()).toEqual([...expected].sort());

    // Pagination and listings reach every product exactly once.
    const listed: string[] = [];
    for (const category of shop.catalog.categories.filter((c) => c.isLeaf)) {
      let path: string | undefined = `/category/${category.slug}`;
      while (path) {
        const $ = await dom(path);
        $('.product-card a.card-link').each((_, a) => {
          listed.push($(a).attr('href')!);
        });
        path = $('.pagination a.next').attr('href');
      }
    }
    expect(listed.sort()).toEqual(shop.catalog.products.map((p) => `/product/${p.slug}`).sort());

    const paths = shop.requests.map((r) => r.path);
    expect(paths).toContain('/');
    expect(paths.some((p) => p.startsWith('/cart') || p.startsWith('/account/'))).toBe(false);
  });

  it('serves each markup kind with data matching the ground truth', async () => {
    for (const product of byMarkup('jsonld').slice(0, 40)) {
      const $ = await dom(`/product/${product.slug}`);
      const blocks = $('script[type="application/ld+json"]')
        .toArray()
        .map((el) => JSON.parse($(el).text()));
      const nodes = blocks.flatMap((b) => b['@graph'] ?? [b]);
      const item = nodes.find((n) => n['@type'] === 'Product');
      const offer = [item.offers].flat()[0];
      const truth = truthOf(product);
      expect(item).toMatchObject({
        name: truth.title,
        sku: truth.sku,
        gtin13: truth.gtin,
        brand: { name: truth.brand },
      });
      expect(offer).toMatchObject({
        price: truth.price,
        priceCurrency: truth.currency,
        availability: `https://schema.org/${truth.availability}`,
      });
      const crumbs = nodes.find((n) => n['@type'] === 'BreadcrumbList');
      expect(crumbs.itemListElement.map((e: { name: string }) => e.name)).toEqual(truth.categoryPath);
      expect($('link[rel=canonical]').attr('href')).toBe(truth.url);
    }

    for (const product of byMarkup('microdata').slice(0, 40)) {
      const $ = await dom(`/product/${product.slug}`);
      const truth = truthOf(product);
      const scope = $('[itemtype="https://schema.org/Product"]');
      const prop = (name: string) => scope.find(`[itemprop="${name}"]`).first();
      expect(prop('name').text()).toBe(truth.title);
      expect(prop('sku').text()).toBe(truth.sku);
      expect(prop('gtin13').text()).toBe(truth.gtin);
      expect(prop('brand').find('[itemprop=name]').text()).toBe(truth.brand);
      expect(prop('price').attr('content')).toBe(truth.price);
      expect(prop('priceCurrency').attr('content')).toBe(truth.currency);
      expect(prop('availability').attr('href')).toBe(`https://schema.org/${truth.availability}`);
      if (!product.brokenJsonLd) expect($('script[type="application/ld+json"]')).toHaveLength(0);
    }

    const site = siteSchema.parse(demoSite(shop.url));
    for (const product of byMarkup('plain')) {
      const { body } = await page(`/product/${product.slug}`);
      expect(body).not.toMatch(/itemprop|itemscope|application\/ld\+json|og:price|product:price/);
      const $ = cheerio.load(body);
      const truth = truthOf(product);
      const rules = site.extraction.selectors;
      const text = (selector: string) => $(selector).first().text().trim();
      const regex = (field: 'sku' | 'gtin') => {
        const rule = rules[field] as { selector: string; regex: string };
        return new RegExp(rule.regex).exec(text(rule.selector))?.[1];
      };
      expect(text(rules.title as string)).toBe(truth.title);
      expect(text(rules.brand as string)).toBe(truth.brand);
      expect(regex('sku')).toBe(truth.sku);
      expect(regex('gtin')).toBe(truth.gtin);
      expect(text(rules.price as string).replace(/\D/g, '')).toBe(truth.price.replace('.', ''));
      expect(text(rules.price as string)).toMatch({ EUR: /€/, GBP: /£/, USD: /\$/ }[truth.currency]);
      expect(text(rules.availability as string)).toBe(
        { InStock: 'In stock', OutOfStock: 'Out of stock', PreOrder: 'Pre-order' }[truth.availability],
      );
      expect(
        $('nav.breadcrumbs a')
          .toArray()
          .map((a) => $(a).text()),
      ).toEqual(truth.categoryPath);
      expect($('img.product-image').length).toBe(product.images.length);
      expect($('.related-item')).toHaveLength(3);
      expect($('meta[property="og:title"]').attr('content')).toBe(truth.title);
    }
  });

  it('escapes hostile titles yet keeps them as literal text', async () => {
    const hostile = shop.catalog.products.find((p) => p.title.includes('<script>alert(1)</script>'))!;
    const { body } = await page(`/product/${hostile.slug}`);
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(body).not.toContain('<script>alert(1)');
    const $ = cheerio.load(body);
    expect($('h1.product-title').text()).toBe(hostile.title);
    const ld = JSON.parse($('script[type="application/ld+json"]').first().text());
    expect([ld, ...(ld['@graph'] ?? [])].some((n) => n.name === hostile.title)).toBe(true);

    const unicode = shop.catalog.products.find((p) => p.title.includes('日本'))!;
    for (const ch of ['&', '"', 'é', 'ü', '日本']) expect(unicode.title).toContain(ch);
    const $u = await dom(`/product/${unicode.slug}`);
    expect($u('h1.product-title').text()).toBe(unicode.title);
    expect(
      shop.catalog.products.some((p) => p.markup === 'plain' && /&/.test(p.title) && /"/.test(p.title)),
    ).toBe(true);
  });

  it('keeps the broken JSON-LD page extractable through microdata', async () => {
    const broken = shop.catalog.products.find((p) => p.brokenJsonLd)!;
    expect(broken.slug).toMatch(/^broken-jsonld-/);
    const $ = await dom(`/product/${broken.slug}`);
    expect(() => JSON.parse($('script[type="application/ld+json"]').text())).toThrow();
    expect($('[itemprop=price]').attr('content')).toBe(truthOf(broken).price);
  });

  it('serves robots.txt, the sitemap, images, cart and 404s', async () => {
    const robots = await page('/robots.txt');
    expect(robots.body).toMatch(/^User-agent: \*$/m);
    expect(robots.body).toMatch(/^Disallow: \/cart$/m);
    expect(robots.body).toMatch(/^Disallow: \/account\/$/m);
    expect(robots.body).toContain(`Sitemap: ${shop.url}/sitemap.xml`);

    const sitemap = await page('/sitemap.xml');
    const locs = new Set([...sitemap.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]));
    for (const truth of groundTruth(shop.catalog, shop.url)) expect(locs.has(truth.url)).toBe(true);
    expect(locs.size).toBe(expectedPageCount(shop.catalog));

    const image = await fetch(shop.url + shop.catalog.products[0]!.images[0]!);
    expect(image.headers.get('content-type')).toBe('image/svg+xml');
    expect(await image.text()).toMatch(/^<svg/);

    expect((await page('/cart')).status).toBe(200);
    expect((await page('/account/login')).status).toBe(200);
    const home = await page('/');
    expect(home.type).toBe('text/html; charset=utf-8');
    expect(home.body).toContain('href="/cart"');
    for (const path of [
      '/nope',
      '/product/nope',
      '/category/nope',
      '/category/coffee?page=999',
      '/static/img/x.svg',
    ]) {
      const missing = await page(path);
      expect(missing.status, path).toBe(404);
      expect(missing.type).toBe('text/html; charset=utf-8');
    }
  });

  it('reflects setPrice and setAvailability on every page showing the product', async () => {
    const product = byMarkup('jsonld')[0]!;
    const $before = await dom(`/category/${product.categorySlug}`);
    expect($before.html()).toContain(`/product/${product.slug}`);

    shop.setPrice(product.id, 123456);
    shop.setAvailability(product.slug, 'OutOfStock');
    const { body } = await page(`/product/${product.slug}`);
    expect(body).toContain('"price":"1234.56"');
    expect(body).toContain('https://schema.org/OutOfStock');
    expect(body).toMatch(/1[.,]234[.,]56/);
    const listing = await page(`/category/${product.categorySlug}`);
    expect(listing.body).toMatch(/1[.,]234[.,]56/);
    expect(truthOf(product)).toMatchObject({ price: '1234.56', availability: 'OutOfStock' });
    expect(() => shop.setPrice('nope', 1)).toThrow();
    expect(() => shop.setPrice(product.id, 1.5)).toThrow();
  });

  it('logs requests and can reset the log', async () => {
    shop.resetRequests();
    await page('/category/coffee?page=2#top');
    expect(shop.requests.map((r) => r.path)).toEqual(['/category/coffee?page=2']);
    expect(shop.requests[0]!.at).toBeGreaterThan(Date.now() - 10_000);
    shop.resetRequests();
    expect(shop.requests).toHaveLength(0);
  });
});

describe('demo shop options', () => {
  it('honours a given catalog, page size and latency without mutating the caller catalog', async () => {
    const catalog = generateCatalog({ products: 60, seed: 3 });
    const shop = await startDemoShop({ catalog, pageSize: 5, latencyMs: 60 });
    try {
      const started = performance.now();
      const response = await fetch(`${shop.url}/`);
      await response.text();
      expect(performance.now() - started).toBeGreaterThanOrEqual(55);
      expect(expectedPageCount(catalog, 5)).toBeGreaterThan(expectedPageCount(catalog, 24));
      const first = catalog.products[0]!;
      shop.setPrice(first.id, first.priceCents + 100);
      expect(first.priceCents).not.toBe(shop.catalog.products[0]!.priceCents);
    } finally {
      await shop.close();
    }
  });

  it('provides crawl rules valid under siteSchema', () => {
    const site = siteSchema.parse(demoSite('http://127.0.0.1:4100'));
    expect(site.name).toBe('demo-shop');
    expect(site.startUrls).toEqual(['http://127.0.0.1:4100/']);
    expect(site.allowPrivateNetwork).toBe(true);
    expect(site.maxPages).toBeGreaterThanOrEqual(expectedPageCount(generateCatalog()));
  });
});

/**
 * Breadth-first crawl of HTML links on the shop's host, honouring the shop's robots.txt
 * rules, dropping fragments and utm_* parameters; returns the paths fetched.
 */
async function miniCrawl(baseUrl: string): Promise<Set<string>> {
  const seen = new Set<string>(['/']);
  let frontier = ['/'];
  const crawlable = (path: string) =>
    !path.startsWith('/cart') && !path.startsWith('/account/') && !path.startsWith('/static/');
  while (frontier.length > 0) {
    const next: string[] = [];
    await Promise.all(
      frontier.map(async (path) => {
        const $ = cheerio.load(await (await fetch(baseUrl + path)).text());
        $('a[href]').each((_, a) => {
          const url = new URL($(a).attr('href')!, baseUrl + path);
          if (url.origin !== baseUrl) return;
          url.hash = '';
          for (const name of [...url.searchParams.keys()])
            if (name.startsWith('utm_')) url.searchParams.delete(name);
          const found = url.pathname + url.search;
          if (crawlable(found) && !seen.has(found)) {
            seen.add(found);
            next.push(found);
          }
        });
      }),
    );
    frontier = next;
  }
  return seen;
}
