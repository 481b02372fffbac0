import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.ts';
import { CrawlRuns, putSite, writeProducts } from '../catalog/index.ts';
import { closeDb, db } from '../core/db/index.ts';
import type { NormalisedProduct } from '../core/product.ts';
import { closeQueues } from '../core/queues.ts';
import { closeRedis } from '../core/redis.ts';
import { launchChromium, screenshot } from './browser.ts';

const EVIL_TITLE = 'Evil <script>window.__pwned=1</script> Kettle';

/** Flat product pictures, served locally: the test machine has no internet, and the screenshots should look real. */
const pictures: Record<string, (hue: number) => string> = {
  machine: (h) =>
    `<rect x="40" y="40" width="120" height="110" rx="14" fill="hsl(${h} 30% 35%)"/>` +
    `<rect x="55" y="60" width="90" height="20" rx="6" fill="hsl(${h} 20% 80%)"/>` +
    `<rect x="88" y="90" width="24" height="22" rx="4" fill="#333"/><rect x="84" y="125" width="32" height="22" rx="5" fill="#fff"/>` +
    `<rect x="30" y="150" width="140" height="12" rx="6" fill="hsl(${h} 30% 25%)"/>`,
  grinder: (h) =>
    `<path d="M65 30h70l-15 50H80z" fill="hsl(${h} 25% 75%)" opacity=".9"/>` +
    `<rect x="70" y="80" width="60" height="80" rx="12" fill="hsl(${h} 45% 35%)"/>` +
    `<rect x="60" y="158" width="80" height="12" rx="6" fill="hsl(${h} 45% 22%)"/>`,
  kettle: (h) =>
    `<path d="M60 70h80l10 90H50z" fill="hsl(${h} 55% 45%)"/><path d="M140 85c25 0 25 45 5 55" stroke="hsl(${h} 55% 30%)" stroke-width="9" fill="none"/>` +
    `<path d="M60 85L35 70" stroke="hsl(${h} 55% 30%)" stroke-width="9" stroke-linecap="round"/><rect x="85" y="55" width="30" height="15" rx="5" fill="#222"/>`,
  headphones: (h) =>
    `<path d="M50 120a50 55 0 0 1 100 0" stroke="hsl(${h} 15% 25%)" stroke-width="12" fill="none"/>` +
    `<rect x="38" y="110" width="30" height="50" rx="12" fill="hsl(${h} 50% 45%)"/><rect x="132" y="110" width="30" height="50" rx="12" fill="hsl(${h} 50% 45%)"/>`,
  lamp: (h) =>
    `<path d="M70 40h60l20 55H50z" fill="hsl(${h} 70% 60%)"/><rect x="96" y="95" width="8" height="60" fill="#555"/><rect x="65" y="155" width="70" height="12" rx="6" fill="#444"/>`,
  book: (h) =>
    `<rect x="55" y="35" width="90" height="130" rx="6" fill="hsl(${h} 55% 40%)"/><rect x="70" y="60" width="60" height="8" rx="4" fill="#fff" opacity=".8"/>` +
    `<rect x="70" y="75" width="40" height="6" rx="3" fill="#fff" opacity=".6"/>`,
};

function startImageServer(): Promise<Server> {
  const server = createServer((req, res) => {
    const match = /^\/img\/(\w+)-(\d+)(?:-\d+)?\.svg$/.exec(req.url ?? '');
    const draw = match ? pictures[match[1]!] : undefined;
    if (!match || !draw) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'max-age=3600' });
    res.end(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200">${draw(Number(match[2]))}</svg>`);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let images = '';
const shop = 'http://shop.test';

function product(
  fields: Partial<NormalisedProduct> & { title: string; slug: string; picture: string },
): NormalisedProduct {
  const { slug, picture, ...rest } = fields;
  const hue = [...slug].reduce((sum, ch) => sum + ch.charCodeAt(0), 0) % 360;
  return {
    url: `${shop}/p/${slug}`,
    description: `<p>${fields.title}, tested and loved.</p>`,
    brand: null,
    sku: `SKU-${slug.toUpperCase()}`,
    gtin: null,
    price: '10.00',
    currency: 'EUR',
    availability: 'InStock',
    images: [`${images}/img/${picture}-${hue}.svg`, `${images}/img/${picture}-${(hue + 40) % 360}-2.svg`],
    categoryPath: [],
    attributes: {},
    ...rest,
  };
}

const espresso = ['Kitchen', 'Coffee', 'Espresso Machines'];
const grinders = ['Kitchen', 'Coffee', 'Coffee Grinders'];

function catalog(): NormalisedProduct[] {
  const machine = (
    slug: string,
    title: string,
    brand: string,
    price: string,
    extra: Partial<NormalisedProduct> = {},
  ) => product({ slug, title, brand, price, picture: 'machine', categoryPath: espresso, ...extra });
  const grinder = (
    slug: string,
    title: string,
    brand: string,
    price: string,
    extra: Partial<NormalisedProduct> = {},
  ) => product({ slug, title, brand, price, picture: 'grinder', categoryPath: grinders, ...extra });
  return [
    machine('barista-express', 'Breville Barista Express Espresso Machine', 'Breville', '599.95', {
      gtin: '9312432022532',
      description:
        '<p>Grind, dose and extract in under a minute.</p><ul><li>Integrated conical burr grinder</li><li>15 bar pump</li></ul>',
      attributes: { Pump: '15 bar', 'Water tank': '2 l', Colour: 'Brushed stainless steel' },
    }),
    machine('classic-pro', 'Gaggia Classic Pro Espresso Machine', 'Gaggia', '449.00'),
    machine('dedica', "De'Longhi Dedica Espresso Machine EC685", "De'Longhi", '199.99'),
    machine('silvia', 'Rancilio Silvia V6 Espresso Machine', 'Rancilio', '899.00', {
      availability: 'OutOfStock',
    }),
    machine('bambino', 'Sage Bambino Plus Espresso Machine', 'Sage', '379.00'),
    machine('linea-micra', 'La Marzocco Linea Micra Espresso Machine', 'La Marzocco', '3290.00', {
      availability: 'PreOrder',
    }),
    grinder('smart-grinder', 'Breville Smart Grinder Pro Coffee Grinder', 'Breville', '199.95', {
      description: '<p>60 grind settings from espresso to French press.</p>',
    }),
    grinder('encore', 'Baratza Encore Coffee Grinder', 'Baratza', '149.00'),
    grinder('mignon', 'Eureka Mignon Specialita Coffee Grinder', 'Eureka', '469.00', {
      description: '<p>Silent grinder made for espresso.</p>',
    }),
    grinder('c40', 'Comandante C40 Hand Coffee Grinder', 'Comandante', '265.00'),
    grinder('ode', 'Fellow Ode Gen 2 Coffee Grinder', 'Fellow', '345.00'),
    product({
      slug: 'stagg',
      title: 'Fellow Stagg EKG Electric Kettle',
      brand: 'Fellow',
      price: '165.00',
      picture: 'kettle',
      categoryPath: ['Kitchen', 'Kettles'],
    }),
    product({
      slug: 'bonavita',
      title: 'Bonavita Gooseneck Kettle 1 l',
      brand: 'Bonavita',
      price: '59.90',
      picture: 'kettle',
      categoryPath: ['Kitchen', 'Kettles'],
    }),
    product({
      slug: 'evil',
      title: EVIL_TITLE,
      brand: '"><svg onload="window.__pwned=5">',
      price: '13.37',
      picture: 'kettle',
      categoryPath: ['Kitchen', 'Kettles'],
      description:
        '<p>Boils water.</p><img src=x onerror="window.__pwned=2"><script>window.__pwned=3</script>' +
        '<p onclick="window.__pwned=4"><a href="javascript:window.__pwned=6">Totally safe</a></p>',
      images: ['javascript:window.__pwned=7', `${images}/img/kettle-0.svg`],
      attributes: { '<b>Power</b>': '<img src=x onerror="window.__pwned=8">' },
    }),
    product({
      slug: 'wh1000',
      title: 'Sony WH-1000XM5 Headphones',
      brand: 'Sony',
      price: '379.00',
      picture: 'headphones',
      categoryPath: ['Electronics', 'Headphones'],
    }),
    product({
      slug: 'qc45',
      title: 'Bose QuietComfort 45 Headphones',
      brand: 'Bose',
      price: '279.95',
      currency: 'USD',
      picture: 'headphones',
      categoryPath: ['Electronics', 'Headphones'],
    }),
    product({
      slug: 'px7',
      title: 'Bowers & Wilkins Px7 S2 Headphones',
      brand: 'Bowers & Wilkins',
      price: '349.00',
      currency: 'GBP',
      picture: 'headphones',
      categoryPath: ['Electronics', 'Headphones'],
    }),
    product({
      slug: 'momentum',
      title: 'Sennheiser Momentum 4 Wireless',
      brand: 'Sennheiser',
      price: '299.00',
      picture: 'headphones',
      categoryPath: ['Electronics', 'Headphones'],
      availability: 'BackOrder',
    }),
    product({
      slug: 'panthella',
      title: 'Louis Poulsen Panthella Table Lamp',
      brand: 'Louis Poulsen',
      price: '520.00',
      picture: 'lamp',
      categoryPath: ['Home', 'Lighting'],
    }),
    product({
      slug: 'pipistrello',
      title: 'Martinelli Luce Pipistrello Lamp',
      brand: 'Martinelli Luce',
      price: '890.00',
      picture: 'lamp',
      categoryPath: ['Home', 'Lighting'],
    }),
    product({
      slug: 'tolomeo',
      title: 'Artemide Tolomeo Desk Lamp',
      brand: 'Artemide',
      price: '315.00',
      picture: 'lamp',
      categoryPath: ['Home', 'Lighting'],
    }),
    product({
      slug: 'flowerpot',
      title: '&Tradition Flowerpot VP3 Lamp',
      brand: '&Tradition',
      price: '249.00',
      picture: 'lamp',
      categoryPath: ['Home', 'Lighting'],
    }),
    product({
      slug: 'coffee-book',
      title: 'The World Atlas of Coffee',
      brand: 'Mitchell Beazley',
      price: '24.99',
      currency: 'GBP',
      picture: 'book',
      categoryPath: ['Books', 'Food & Drink'],
    }),
    product({
      slug: 'barista-book',
      title: 'The Professional Barista’s Handbook',
      brand: 'Scott Rao',
      price: '39.00',
      picture: 'book',
      categoryPath: ['Books', 'Food & Drink'],
    }),
    product({
      slug: 'blueprint',
      title: 'The Coffee Dictionary',
      brand: 'Mitchell Beazley',
      price: '18.50',
      currency: 'GBP',
      picture: 'book',
      categoryPath: ['Books', 'Food & Drink'],
    }),
    product({
      slug: 'no-price',
      title: 'Mystery Tea Sampler',
      brand: 'Teaforia',
      price: null,
      picture: 'book',
      categoryPath: ['Kitchen', 'Tea'],
      availability: 'Unknown',
    }),
    product({
      slug: 'gooseneck-2',
      title: 'Hario V60 Buono Kettle',
      brand: 'Hario',
      price: '42.00',
      picture: 'kettle',
      categoryPath: ['Kitchen', 'Kettles'],
    }),
    product({
      slug: 'v60',
      title: 'Hario V60 Dripper',
      brand: 'Hario',
      price: '22.00',
      picture: 'grinder',
      categoryPath: ['Kitchen', 'Coffee', 'Brewers'],
    }),
    product({
      slug: 'aeropress',
      title: 'AeroPress Original Coffee Maker',
      brand: 'AeroPress',
      price: '39.95',
      picture: 'grinder',
      categoryPath: ['Kitchen', 'Coffee', 'Brewers'],
    }),
    product({
      slug: 'chemex',
      title: 'Chemex Classic 6 Cup',
      brand: 'Chemex',
      price: '49.00',
      picture: 'grinder',
      categoryPath: ['Kitchen', 'Coffee', 'Brewers'],
      availability: 'Discontinued',
    }),
  ];
}

let imageServer: Server;
let server: ServerType;
let base = '';
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  imageServer = await startImageServer();
  images = `http://127.0.0.1:${(imageServer.address() as AddressInfo).port}`;

  const site = await putSite({
    name: 'browser-shop',
    startUrls: ['http://127.0.0.1:9/'],
    allowPrivateNetwork: true,
  });
  const products = catalog();
  // The Barista Express was first seen at a higher price and got cheaper twice (a price history).
  const express = products[0]!;
  const firstSeen = products.map((p) => (p === express ? { ...p, price: '699.00' } : p));
  await writeProducts(firstSeen.map((p) => ({ siteId: site.id, runId: null, product: p })));
  for (const price of ['649.00', express.price]) {
    await writeProducts([{ siteId: site.id, runId: null, product: { ...express, price } }]);
  }
  // Backdated so the chart spans weeks, as a real crawl schedule would.
  const row = await db().product.findFirstOrThrow({ where: { url: express.url } });
  const observations = await db().priceObservation.findMany({
    where: { productId: row.id },
    orderBy: { id: 'asc' },
  });
  const daysAgo = [60, 31, 6];
  for (const [i, o] of observations.entries()) {
    const observedAt = new Date(Date.now() - (daysAgo[i] ?? 0) * 24 * 3600 * 1000);
    await db().priceObservation.update({ where: { id: o.id }, data: { observedAt } });
  }

  const app = createApp({ runs: new CrawlRuns() });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      base = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });

  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await new Promise((resolve) => (imageServer ? imageServer.close(resolve) : resolve(undefined)));
  await closeQueues();
  await closeRedis();
  await closeDb();
});

const scriptErrors = new WeakMap<Page, Error[]>();

async function openPage(): Promise<Page> {
  const page = await context.newPage();
  const errors: Error[] = [];
  page.on('pageerror', (error) => errors.push(error));
  scriptErrors.set(page, errors);
  return page;
}

/** Any script error on our pages is a bug (or an injection that got through). */
async function closePage(page: Page): Promise<void> {
  expect(scriptErrors.get(page)).toEqual([]);
  await page.close();
}

/** Cards' images are lazy: load them all so a full-page screenshot shows them. */
async function loadImages(page: Page): Promise<void> {
  await page.evaluate(() =>
    Promise.all(
      [...document.images].map((img) => {
        img.loading = 'eager';
        return img.decode().catch(() => undefined);
      }),
    ),
  );
}

async function cardTitles(page: Page): Promise<string[]> {
  return page.locator('.card-title').allInnerTexts();
}

/** Pages are server-rendered and read after navigation, so plain reads need no retrying matchers. */
async function text(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText, wanted for its whitespace normalisation.
  return (await locator.innerText()).trim();
}

const pwned = (page: Page) => page.evaluate(() => (window as { __pwned?: unknown }).__pwned);

describe('storefront in a browser', () => {
  it('finds espresso machines for a misspelt query typed on the home page', async () => {
    const page = await openPage();
    await page.goto(`${base}/`);
    expect(await page.locator('.chips .chip', { hasText: 'Espresso Machines' }).count()).toBe(1);
    await page.locator('main input[name=q]').fill('expresso');
    await page.locator('main input[name=q]').press('Enter');
    await page.waitForURL(/\/search\?q=expresso$/);

    const titles = await cardTitles(page);
    for (const name of [
      'Barista Express',
      'Gaggia Classic Pro',
      'Dedica',
      'Rancilio Silvia',
      'Bambino Plus',
      'Linea Micra',
    ]) {
      expect(
        titles.some((t) => t.includes(name)),
        name,
      ).toBe(true);
    }
    expect(await text(page.locator('.did-you-mean'))).toMatch(/^Showing results for espresso\b/);
    expect(await page.locator('.did-you-mean a', { hasText: 'espresso' }).getAttribute('href')).toBe(
      '/search?q=espresso',
    );
    // Out of stock is red, pre-order amber.
    const silvia = page.locator('.card', { hasText: 'Rancilio Silvia' }).locator('.badge');
    expect(await text(silvia)).toBe('Out of stock');
    expect(await silvia.getAttribute('class')).toContain('badge-bad');
    const micra = page.locator('.card', { hasText: 'Linea Micra' }).locator('.badge');
    expect(await text(micra)).toBe('Pre-order');
    expect(await micra.getAttribute('class')).toContain('badge-warn');

    await loadImages(page);
    await screenshot(page, 'search.png');
    await closePage(page);
  });

  it('narrows results with a brand facet whose count matches, and sorts without losing it', async () => {
    const page = await openPage();
    await page.goto(`${base}/search?q=espresso`);
    const before = Number(await page.locator('.result-count').getAttribute('data-total'));
    const breville = page.locator('.facets a.toggle', { hasText: 'Breville' });
    const count = Number(await text(breville.locator('.toggle-count')));
    expect(count).toBe(2);
    expect(before).toBeGreaterThan(count);

    await breville.click();
    await page.waitForURL(/brand=Breville/);
    expect(await page.locator('.result-count').getAttribute('data-total')).toBe(String(count));
    expect(await page.locator('.card').count()).toBe(count);
    expect(new Set(await page.locator('.card-brand').allInnerTexts())).toEqual(new Set(['BREVILLE']));
    expect(await page.locator('.facets a.toggle', { hasText: 'Breville' }).getAttribute('aria-current')).toBe(
      'true',
    );
    expect(await text(page.locator('.active-filters'))).toContain('Breville');

    // Sorting auto-submits and keeps the query and the brand filter.
    await Promise.all([
      page.waitForURL(/sort=price_asc/),
      page.locator('select[name=sort]').selectOption('price_asc'),
    ]);
    expect(page.url()).toMatch(/q=espresso/);
    expect(page.url()).toMatch(/brand=Breville/);
    expect(await cardTitles(page)).toEqual([
      'Breville Smart Grinder Pro Coffee Grinder',
      'Breville Barista Express Espresso Machine',
    ]);
    await closePage(page);
  });

  it('opens a product page from its card', async () => {
    const page = await openPage();
    await page.goto(`${base}/search?q=barista+express`);
    await page.locator('.card', { hasText: 'Breville Barista Express' }).click();
    await page.waitForURL(/\/product\/[0-9a-f-]{36}$/);

    expect(await text(page.locator('h1'))).toBe('Breville Barista Express Espresso Machine');
    const expected = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(599.95);
    expect(await text(page.locator('.product-buy .price'))).toBe(expected);
    expect(await text(page.locator('.product-buy .badge'))).toBe('In stock');
    const facts = await text(page.locator('.facts'));
    expect(facts).toContain('SKU-BARISTA-EXPRESS');
    expect(facts).toContain('9312432022532');
    expect(await page.locator('.breadcrumb a', { hasText: 'Espresso Machines' }).getAttribute('href')).toBe(
      '/search?category=Espresso+Machines',
    );
    const shopLink = page.locator('a', { hasText: 'View at shop' });
    expect(await shopLink.getAttribute('href')).toBe(`${shop}/p/barista-express`);
    expect(await shopLink.getAttribute('rel')).toBe('nofollow noopener noreferrer');
    expect(await shopLink.getAttribute('target')).toBe('_blank');
    expect(await page.locator('.description li').count()).toBe(2);
    // Three observed prices: a step line with a dot per observation.
    expect(await page.locator('.chart circle').count()).toBe(3);
    expect(await page.locator('.gallery .thumbs img').count()).toBe(2);

    await loadImages(page);
    await screenshot(page, 'product.png');
    await closePage(page);
  });

  it('shows a placeholder where a shop no longer serves a product image', async () => {
    const page = await openPage();
    // The shop's image host answers for every picture but the grinders'.
    await page.route('**/img/grinder-*', (route) => route.abort());
    await page.goto(`${base}/search?category=Coffee+Grinders`);
    await loadImages(page);
    const cards = page.locator('.card');
    expect(await cards.count()).toBeGreaterThan(0);
    await page.locator('.card .img-placeholder[aria-label="Image unavailable"]').first().waitFor();
    expect(await page.locator('.card img[data-product-image]').count()).toBe(0);
    expect(await page.locator('.card .img-placeholder').count()).toBe(await cards.count());
    // Images that load are left alone.
    await page.goto(`${base}/search?category=Espresso+Machines`);
    await loadImages(page);
    expect(await page.locator('.card img[data-product-image]').count()).toBe(
      await page.locator('.card').count(),
    );
    expect(await page.locator('.card .img-placeholder').count()).toBe(0);
    await closePage(page);
  });

  it('shows hostile crawled text as text and runs none of it', async () => {
    const page = await openPage();
    await page.goto(`${base}/search?q=bonavita`);
    await page.locator('header input[name=q]').fill('kettle');
    await page.locator('header input[name=q]').press('Enter');
    await page.waitForURL(/q=kettle/);
    expect(await text(page.locator('.card-title', { hasText: 'Evil' }))).toBe(EVIL_TITLE);
    expect(await pwned(page)).toBeUndefined();

    await page.locator('.card', { hasText: 'Evil' }).click();
    await page.waitForURL(/\/product\//);
    expect(await text(page.locator('h1'))).toBe(EVIL_TITLE);
    expect(await page.locator('body').textContent()).toContain('<script>window.__pwned=1</script>');
    expect(await page.title()).toContain(EVIL_TITLE);
    expect(await text(page.locator('.description'))).toContain('Boils water.');
    expect(await page.locator('.description img').count()).toBe(0);
    expect(await page.locator('.description script, .description a, .description [onclick]').count()).toBe(0);
    expect(await page.locator('[onerror], [onload], [onclick]').count()).toBe(0);
    expect(await page.locator('[src^="javascript:"], [href^="javascript:"]').count()).toBe(0);
    // textContent: innerText would report the CSS upper-casing.
    expect(await page.locator('.product-brand').textContent()).toBe('"><svg onload="window.__pwned=5">');
    expect(await text(page.locator('.specs'))).toContain('<img src=x onerror="window.__pwned=8">');
    expect(await pwned(page)).toBeUndefined();
    await closePage(page);
  });

  it('answers unknown products and bad search parameters with helpful error pages', async () => {
    const page = await openPage();
    const missing = await page.goto(`${base}/product/00000000-0000-4000-8000-000000000000`);
    expect(missing?.status()).toBe(404);
    expect(await text(page.locator('h1'))).toBe("We couldn't find that page");
    expect(await page.locator('main input[name=q]').count()).toBe(1);
    expect(await page.locator('main a[href="/"]').count()).toBe(1);
    expect((await page.goto(`${base}/product/not-a-uuid`))?.status()).toBe(404);

    const bad = await page.goto(`${base}/search?minPrice=50&maxPrice=10`);
    expect(bad?.status()).toBe(400);
    expect(await text(page.locator('.error-detail'))).toContain('minPrice must not exceed maxPrice');
    await closePage(page);
  });

  it('documents the API from the OpenAPI description', async () => {
    const page = await openPage();
    const response = await page.goto(`${base}/api/docs`);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    expect(response?.headers()['x-content-type-options']).toBe('nosniff');
    await page.locator('.docs-path').first().waitFor();
    const operation = page
      .locator('.docs-op')
      .filter({ has: page.locator('.docs-path', { hasText: /\/api\/v1\/products$/ }) });
    expect(await operation.count()).toBe(1);
    const described = await text(operation);
    expect(described).toContain('/api/v1/products');
    expect(described).toContain('Search products');
    expect(described).toContain('minPrice');
    expect(await page.locator('a[href="/api/v1/openapi.json"]').count()).toBeGreaterThan(0);

    const css = await page.request.get(`${base}/static/trawl.css`);
    expect(css.headers()['content-type']).toContain('text/css');
    expect(css.headers()['cache-control']).toBe('public, max-age=3600');
    await closePage(page);
  });
});
