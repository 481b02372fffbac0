import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putSite } from '../catalog/index.ts';
import { addToCart } from '../commerce/cart/index.ts';
import { placeOrders, quoteCheckout } from '../commerce/orders/index.ts';
import { db } from '../core/db/index.ts';
import { queue } from '../core/queues.ts';
import { type DemoShop, demoSite, generateCatalog, startDemoShop } from '../demo/index.ts';
import { type TestUser, userWithRole } from './accounts.ts';
import { launchChromium, screenshot } from './browser.ts';
import { startApi } from './http.ts';
import { merchantWithListings, shopperWithAddress, type TestMerchant } from './shop-world.ts';
import { closeConnections, type Pipeline, startPipeline, waitForRun } from './support.ts';

/**
 * The back office in real Chromium, one role at a time: an admin opens every module (and the
 * queue board), an operator repairs a site's rule and the next run uses it, a merchant sees
 * only its own shop, a shopper is refused. Each admin page is saved as a screenshot.
 */
const SITE = 'console-shop';

let api: Awaited<ReturnType<typeof startApi>>;
let shop: DemoShop;
let pipeline: Pipeline;
let browser: Browser;
let admin: TestUser;
let operator: TestUser;
let shopper: Awaited<ReturnType<typeof shopperWithAddress>>;
let kettles: TestMerchant;
let teas: TestMerchant;
const orderNumbers: Record<string, string> = {};

/** One unpaid order from `merchant`'s shop: enough for its order list. */
async function orderFrom(merchant: TestMerchant): Promise<string> {
  await addToCart({ userId: shopper.id }, { productId: merchant.listings[0]!.id, quantity: 1 });
  const quote = await quoteCheckout(shopper.id, { addressId: shopper.addressId });
  const placed = await placeOrders(shopper, `admin-${randomUUID()}`, {
    addressId: shopper.addressId,
    digest: quote.digest,
  });
  const order = await db().order.findUniqueOrThrow({ where: { id: placed.orderIds[0]! } });
  return order.number;
}

beforeAll(async () => {
  shop = await startDemoShop({ catalog: generateCatalog({ products: 24 }) });
  // A site whose title rule reads the brand: the operator's test repairs it.
  const site = demoSite(shop.url);
  await putSite({
    ...site,
    name: SITE,
    extraction: {
      ...site.extraction,
      mode: 'selectors',
      selectors: { ...site.extraction?.selectors, title: '.product-brand' },
    },
  });
  pipeline = await startPipeline({ crawlers: 1, concurrency: 4 });
  api = await startApi();
  admin = await userWithRole('admin');
  operator = await userWithRole('operator');
  shopper = await shopperWithAddress();
  kettles = await merchantWithListings([{ title: 'Console Kettle', price: '30.00' }], {
    name: 'Kettle Console',
  });
  teas = await merchantWithListings([{ title: 'Console Tea', price: '12.00' }], { name: 'Tea Console' });
  orderNumbers.kettles = await orderFrom(kettles);
  orderNumbers.teas = await orderFrom(teas);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await pipeline?.close();
  await shop?.close();
  await closeConnections();
});

async function signedIn(user: TestUser): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${api.url}/login`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/account');
  return { page, errors, close: () => context.close() };
}

/** Titles the crawl stored for the console shop's pages, by URL. */
async function storedTitles(): Promise<Map<string, string>> {
  const site = await db().site.findUniqueOrThrow({ where: { name: SITE } });
  const rows = await db().product.findMany({
    where: { siteId: site.id },
    select: { url: true, title: true },
  });
  return new Map(rows.map((r) => [r.url, r.title]));
}

describe('the back office in a browser', () => {
  it('an admin opens every module, each page finished and without script errors', async () => {
    const { page, errors, close } = await signedIn(admin);
    await page.goto(`${api.url}/admin`);
    const nav = await page
      .locator('nav.admin-nav a')
      .evaluateAll((links) => links.map((a) => [a.getAttribute('href'), a.textContent?.trim()] as const));
    expect(nav.map(([href]) => href)).toEqual([
      '/admin',
      '/admin/products',
      '/admin/orders',
      '/admin/promotions',
      '/admin/reviews',
      '/admin/payments',
      '/admin/reports',
      '/admin/sites',
      '/admin/settings',
      '/admin/users',
      '/admin/queues',
    ]);
    for (const [href, label] of nav) {
      const response = await page.goto(`${api.url}${href}`);
      expect(response?.status(), `${href}`).toBe(200);
      const section = href === '/admin' ? 'home' : href!.slice('/admin/'.length);
      if (href === '/admin/queues') {
        // bull-board renders in the browser: its queue list appears once its scripts ran.
        expect(page.url()).toBe(`${api.url}/admin/queues/`);
        await page.getByText('orders', { exact: true }).first().waitFor({ timeout: 20_000 });
        await page.waitForLoadState('networkidle');
      } else {
        // The page names itself after its module, and marks it current in the navigation.
        await expect
          .poll(() => page.locator('nav.admin-nav a[aria-current="page"]').textContent())
          .toBe(label);
      }
      await screenshot(page, `admin-${section}.png`);
    }

    // The pages behind the modules: details, editors, history.
    const listing = await db().product.findUniqueOrThrow({ where: { id: kettles.listings[0]!.id } });
    const details: Array<[string, string]> = [
      [`/admin/products/${listing.id}`, 'product'],
      ['/admin/products/new', 'product-new'],
      [`/admin/orders/${orderNumbers.kettles}`, 'order'],
      ['/admin/promotions/new', 'promotion-new'],
      ['/admin/membership', 'membership'],
      [`/admin/sites/${SITE}`, 'site'],
      [`/admin/sites/${SITE}/versions/1`, 'site-version'],
      ['/admin/sites/new', 'site-new'],
      [`/admin/catalog/${listing.catalogProductId}`, 'catalog-product'],
    ];
    expect(listing.catalogProductId, 'ingestion groups every listing into a catalog product').not.toBeNull();
    for (const [path, name] of details) {
      const response = await page.goto(`${api.url}${path}`);
      expect(response?.status(), path).toBe(200);
      expect(await page.locator('h1').count(), path).toBe(1);
      await screenshot(page, `admin-${name}.png`);
    }
    expect(errors, 'script errors or CSP violations on the admin pages').toEqual([]);
    await close();
  });

  it('the queue board pauses and resumes a queue, and refuses actions that would undo Postgres', async () => {
    const { page, errors, close } = await signedIn(admin);
    await page.goto(`${api.url}/admin/queues/`);
    await page.getByText('promotions', { exact: true }).first().waitFor({ timeout: 20_000 });
    // The board's own fetches from its page: our script adds the session's CSRF token.
    const call = (method: string, path: string, body?: unknown) =>
      page.evaluate(
        async ([m, p, b]) =>
          (
            await fetch(`/admin/queues/api/${p}`, {
              method: m as string,
              headers: { 'content-type': 'application/json' },
              body: b === undefined ? undefined : JSON.stringify(b),
            })
          ).status,
        [method, path, body] as const,
      );
    // The two orders placed in beforeAll each wait on a cancel-unpaid timer.
    const timers = await queue('orders').getDelayedCount();
    expect(timers).toBeGreaterThanOrEqual(2);
    expect(await call('PUT', 'queues/promotions/pause')).toBe(200);
    expect(await queue('promotions').isPaused()).toBe(true);
    expect(await call('PUT', 'queues/promotions/resume')).toBe(200);
    expect(await queue('promotions').isPaused()).toBe(false);
    expect(await call('POST', 'queues/orders/add', { name: 'x', data: { kind: 'sweep' } })).toBe(403);
    expect(await call('PUT', 'queues/orders/obliterate')).toBe(403);
    expect(await call('PUT', 'queues/crawl/empty')).toBe(403);
    expect(await queue('orders').getDelayedCount(), 'the refused actions removed nothing').toBe(timers);
    expect(errors.filter((e) => !/403/.test(e))).toEqual([]);
    await close();
  });

  it('an operator repairs a title rule, previews it on a page, saves it, and the next run uses it', async () => {
    const before = await pipeline.runs.start(SITE);
    await waitForRun(pipeline.runs, before.id);
    const product = shop.catalog.products.find((p) => p.title !== p.brand)!;
    const productUrl = `${shop.url}/product/${product.slug}`;
    expect((await storedTitles()).get(productUrl), 'the broken rule stores the brand').toBe(product.brand);

    const { page, errors, close } = await signedIn(operator);
    await page.goto(`${api.url}/admin/sites/${SITE}`);
    const rules = JSON.parse(await page.locator('#rules-json').inputValue());
    rules.extraction.selectors.title = 'h1.product-title';
    await page.locator('#rules-json').fill(JSON.stringify(rules, null, 2));
    await page.locator('#preview-url').fill(productUrl);
    await page.getByRole('button', { name: 'Preview on this page' }).click();
    const titleRow = page.locator('#preview tr', { has: page.locator('th', { hasText: /^title$/ }) });
    await expect.poll(() => titleRow.locator('.preview-value').textContent()).toBe(product.title);
    await expect.poll(() => titleRow.locator('code').textContent()).toBe('selectors');
    await screenshot(page, 'admin-site-preview.png');

    await page.locator('#rules-note').fill('title from the heading, not the brand');
    await page
      .locator('form', { has: page.locator('#rules-json') })
      .getByRole('button', { name: 'Save as a new version' })
      .click();
    await page.waitForLoadState();
    await expect.poll(() => page.locator('#history-h').isVisible()).toBe(true);
    expect(await page.locator('body').textContent()).toContain('title from the heading, not the brand');

    await page.getByRole('button', { name: 'Start a crawl' }).click();
    await page.waitForURL(/\/admin\/crawls\/[0-9a-f-]{36}/);
    const runId = /crawls\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    await waitForRun(pipeline.runs, runId);
    const titles = await storedTitles();
    const expected = new Map(shop.catalog.products.map((p) => [`${shop.url}/product/${p.slug}`, p.title]));
    const compared = [...titles].filter(([url]) => expected.has(url));
    expect(compared.length).toBeGreaterThan(10);
    for (const [url, title] of compared) expect(title, url).toBe(expected.get(url));
    expect(errors).toEqual([]);
    await close();
  });

  it('a merchant sees only its own products and orders', async () => {
    const { page, close } = await signedIn(kettles);
    await page.goto(`${api.url}/admin/products`);
    const products = (await page.locator('main').textContent()) ?? '';
    expect(products).toContain('Console Kettle');
    expect(products).not.toContain('Console Tea');
    await screenshot(page, 'admin-merchant-products.png');

    await page.goto(`${api.url}/admin/orders`);
    const orders = (await page.locator('main').textContent()) ?? '';
    expect(orders).toContain(orderNumbers.kettles);
    expect(orders).not.toContain(orderNumbers.teas);
    expect((await page.goto(`${api.url}/admin/orders/${orderNumbers.kettles}`))?.status()).toBe(200);
    expect((await page.goto(`${api.url}/admin/orders/${orderNumbers.teas}`))?.status()).toBe(404);
    const teaListing = teas.listings[0]!.id;
    expect((await page.goto(`${api.url}/admin/products/${teaListing}`))?.status()).toBe(404);
    for (const forbidden of ['/admin/settings', '/admin/queues/', '/admin/users'])
      expect((await page.goto(`${api.url}${forbidden}`))?.status(), forbidden).toBe(403);
    await close();
  });

  it('a shopper gets 403 at /admin', async () => {
    const { page, close } = await signedIn(shopper);
    const response = await page.goto(`${api.url}/admin`);
    expect(response?.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toMatch(/access/i);
    await close();
  });
});
