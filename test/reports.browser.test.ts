import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refundLines } from '../commerce/orders/index.ts';
import { reportNames } from '../commerce/reports/index.ts';
import { db } from '../core/db/index.ts';
import { Decimal } from '../core/money.ts';
import { type TestUser, userWithRole } from './accounts.ts';
import { launchChromium, screenshot } from './browser.ts';
import { startApi } from './http.ts';
import { buy, fundWallet, payFromBalance } from './promotion-world.ts';
import { merchantWithListings, shopperWithAddress } from './shop-world.ts';
import { closeConnections } from './support.ts';

/**
 * The report pages in real Chromium: an admin opens the reports, reads a figure that must equal
 * the API's, changes the range with the keyboard, downloads the CSV, and every report page
 * draws its charts without a script error (the CSP would report an inline script as one).
 */
// The README's copy is refreshed only on request (TRAWL_README_IMAGES=docs/images): a test run leaves the tree clean.
const README_IMAGES = process.env.TRAWL_README_IMAGES;
const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let api: Awaited<ReturnType<typeof startApi>>;
let browser: Browser;
let admin: TestUser;

beforeAll(async () => {
  // Sales over the last three weeks, in two currencies, one of them partly refunded.
  const shop = await merchantWithListings(
    [
      { title: 'Porcelain Tea Set', price: '268.00', currency: 'CNY' },
      { title: 'Glass Cup', price: '32.50', currency: 'CNY' },
      { title: 'Wool Scarf', price: '49.90', currency: 'EUR' },
    ],
    { name: 'Tea House' },
  );
  const ids = Object.fromEntries(shop.listings.map((l) => [l.title, l.id]));
  await db().product.updateMany({
    where: { id: { in: [ids['Porcelain Tea Set']!, ids['Glass Cup']!] } },
    data: { category: 'Kitchen' },
  });
  await db().product.update({ where: { id: ids['Wool Scarf']! }, data: { category: 'Clothing' } });
  const shopper = await shopperWithAddress();
  await fundWallet(shopper.id, '20000.00', 'CNY');
  await fundWallet(shopper.id, '2000.00', 'EUR');
  const today = Date.parse(`${day(Date.now())}T00:00:00Z`);
  const plan: Array<[string, number, number]> = [
    ['Porcelain Tea Set', 1, 20],
    ['Glass Cup', 4, 18],
    ['Porcelain Tea Set', 2, 15],
    ['Wool Scarf', 1, 14],
    ['Glass Cup', 2, 11],
    ['Porcelain Tea Set', 1, 9],
    ['Wool Scarf', 3, 7],
    ['Porcelain Tea Set', 3, 5],
    ['Glass Cup', 6, 3],
    ['Wool Scarf', 2, 1],
  ];
  for (const [i, [title, quantity, daysAgo]] of plan.entries()) {
    const [orderId] = await buy(shopper, [{ productId: ids[title]!, quantity }]);
    await payFromBalance(shopper, orderId!);
    if (i === 2) {
      const line = await db().orderLine.findFirstOrThrow({ where: { orderId: orderId! } });
      await refundLines(shop, orderId!, { lines: [{ lineId: line.id, quantity: 1 }], reason: 'one cracked' });
    }
    const at = new Date(today - daysAgo * DAY_MS + (9 + i) * 3_600_000)
      .toISOString()
      .replace('T', ' ')
      .slice(0, 19);
    await db()
      .$executeRaw`UPDATE app_order SET paid_at = ${at}::timestamp, created_at = ${at}::timestamp - interval '10 minutes' WHERE id = ${orderId!}::uuid`;
  }
  api = await startApi();
  admin = await userWithRole('admin');
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await closeConnections();
});

async function signIn(page: Page) {
  await page.goto(`${api.url}/login`);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/account');
}

interface ApiReport {
  from: string;
  to: string;
  grain: string;
  rows: Array<Record<string, string | number>>;
}

async function apiReport(page: Page, name: string, query: string): Promise<ApiReport> {
  const response = await page.request.get(`${api.url}/api/v1/admin/reports/${name}?${query}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as ApiReport;
}

/** The table cell of a row (found by its first cell and currency) and column, as shown. */
async function cell(page: Page, first: string, currency: string, key: string): Promise<string> {
  const row = page
    .locator('table.report-table tbody tr')
    .filter({
      has: page.locator('th', { hasText: new RegExp(`^${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }),
    })
    .filter({ has: page.locator('td[data-key="currency"]', { hasText: currency }) });
  return ((await row.locator(`td[data-key="${key}"]`).textContent()) ?? '').trim();
}

const grouped = (amount: string | number) => String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

describe('the report pages', () => {
  it('an admin reads sales that equal the API’s, changes the range by keyboard and downloads the CSV', async () => {
    // A browser far from UTC: the page's periods (and the chart's axis) are still UTC days.
    const context = await browser.newContext({
      viewport: { width: 1400, height: 1000 },
      acceptDownloads: true,
      timezoneId: 'America/Los_Angeles',
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await signIn(page);

    // The index: every report, each a link that keeps the range.
    await page.goto(`${api.url}/admin`);
    await page
      .getByRole('navigation', { name: 'Back office' })
      .getByRole('link', { name: 'Reports' })
      .click();
    await page.waitForURL('**/admin/reports');
    expect(await page.locator('h1').textContent()).toBe('Reports');
    await expect(page.locator('.report-card h2 a').allTextContents()).resolves.toHaveLength(
      reportNames.length,
    );
    await page.getByRole('link', { name: 'Sales', exact: true }).click();
    await page.waitForURL(/\/admin\/reports\/sales\?/);

    // The default range (the last 30 days, per day): a figure on the page is the API's.
    await page.locator('[data-chart="0"][data-drawn="1"] canvas').first().waitFor();
    // The legend under the cursor names the UTC day of the first period, not the day before.
    const firstPeriod = await page.locator('table.report-table tbody tr th').first().textContent();
    const box = (await page.locator('[data-chart="0"] .u-over').boundingBox())!;
    await page.mouse.move(box.x + 1, box.y + box.height / 2);
    await expect
      .poll(() =>
        page.locator('[data-chart="0"] .u-legend .u-series').first().locator('.u-value').textContent(),
      )
      .toBe(firstPeriod);
    const query = new URL(page.url()).search.slice(1);
    const daily = await apiReport(page, 'sales', query);
    const busy = daily.rows.filter((r) => r.currency === 'CNY' && r.orders !== 0);
    expect(busy.length).toBeGreaterThanOrEqual(6);
    const refunded = busy.find((r) => r.refunds !== '0.00')!;
    expect(refunded).toBeDefined();
    expect(await cell(page, String(refunded.period), 'CNY', 'net')).toBe(grouped(refunded.net!));
    expect(await cell(page, String(refunded.period), 'CNY', 'refunds')).toBe(grouped(refunded.refunds!));
    expect(await cell(page, String(refunded.period), 'CNY', 'orders')).toBe(String(refunded.orders));
    // The range's totals at the top, as the API summed them.
    const cnyTotal = (daily as ApiReport & { totals: ApiReport['rows'] }).totals.find(
      (t) => t.currency === 'CNY',
    )!;
    const kpi = page.locator('.report-kpis .kpi').filter({ hasText: 'Net sales (CNY)' });
    expect((await kpi.locator('.kpi-value').textContent())?.trim()).toBe(grouped(cnyTotal.net!));
    // One chart per currency: amounts in yuan and in euros are never drawn (or added) together.
    expect(await page.locator('.report-panel h2').allTextContents()).toEqual([
      'Sales in CNY',
      'Sales in EUR',
    ]);
    await page.mouse.move(0, 0);
    await screenshot(page, 'admin-reports-full.png');
    // For the README: the top of the page (totals, charts and the first rows of the table).
    await page.setViewportSize({ width: 1400, height: 1350 });
    if (README_IMAGES) await screenshot(page, 'admin-reports.png', { dir: README_IMAGES, fullPage: false });

    // The range, changed with the keyboard alone: the last 21 days, per week.
    const to = day(Date.now());
    const from = day(Date.now() - 20 * DAY_MS);
    await page.locator('#r-from').fill(from);
    await page.locator('#r-to').fill(to);
    await page.locator('#r-grain').focus();
    await page.keyboard.press('ArrowDown'); // day → week
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent?.trim())).resolves.toBe('Show');
    await page.keyboard.press('Enter');
    await page.waitForURL(
      (url) => url.searchParams.get('grain') === 'week' && url.searchParams.get('from') === from,
    );
    await page.locator('[data-chart="0"][data-drawn="1"] canvas').first().waitFor();
    const weekly = await apiReport(page, 'sales', `from=${from}&to=${to}&grain=week`);
    expect(weekly.grain).toBe('week');
    for (const row of weekly.rows.filter((r) => r.orders !== 0)) {
      expect(await cell(page, String(row.period), String(row.currency), 'gross')).toBe(grouped(row.gross!));
      expect(await cell(page, String(row.period), String(row.currency), 'net')).toBe(grouped(row.net!));
    }
    expect(await page.locator('#table-h').textContent()).toContain('per week');

    // The CSV download: the same rows as the API's, named after the report and its range.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`trawl-sales-${from}-to-${to}-week.csv`);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('Period,Currency,Orders,Gross paid,Refunds,Net');
    expect(lines.slice(1, -1)).toEqual(
      weekly.rows.map((r) => [r.period, r.currency, r.orders, r.gross, r.refunds, r.net].join(',')),
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows every figure without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page);
    await page.goto(`${api.url}/admin/reports/sales-by-category`);
    const rows = page.locator('table[data-report="sales-by-category"] tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('th', { hasText: /^Kitchen$/ }).count()).toBe(1);
    expect(await page.locator('[data-chart] canvas').count()).toBe(0);
    await context.close();
  });

  it('opens every report with its table and charts, and top products by revenue', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await signIn(page);
    for (const name of reportNames) {
      const response = await page.goto(`${api.url}/admin/reports/${name}`);
      expect(response?.status(), name).toBe(200);
      const table = page.locator(`table[data-report="${name}"]`);
      if (name !== 'crawls') {
        await table.waitFor();
        await page.locator('[data-chart="0"][data-drawn="1"] canvas').first().waitFor();
      }
      await screenshot(page, `admin-report-${name}.png`);
    }
    await page.goto(`${api.url}/admin/reports?from=2026-01-01&to=2026-03-31&grain=month`);
    // The index keeps the range in every link, and says what it could not use.
    expect(await page.locator('.report-card h2 a').first().getAttribute('href')).toBe(
      '/admin/reports/sales?from=2026-01-01&to=2026-03-31&grain=month',
    );
    await page.goto(`${api.url}/admin/reports`);
    await screenshot(page, 'admin-reports-index.png');
    await page.goto(`${api.url}/admin/reports/top-products`);
    await page.getByLabel('Rank by').selectOption('revenue');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/by=revenue/);
    const top = await apiReport(page, 'top-products', new URL(page.url()).search.slice(1));
    // Other test files share this database: the ranking is checked, not which product leads it.
    const cny = top.rows.filter((r) => r.currency === 'CNY');
    expect(cny.map((r) => r.product)).toContain('Porcelain Tea Set');
    for (const [i, row] of cny.entries())
      if (i > 0)
        expect(new Decimal(row.net!).lte(cny[i - 1]!.net!), `row ${i + 1} ranks by revenue`).toBe(true);
    const first = cny[0]!;
    expect(await cell(page, '1', 'CNY', 'net')).toBe(grouped(first.net!));
    expect(errors).toEqual([]);
    // A range the service refuses is said so, and the page still shows the last 30 days.
    const bad = await page.goto(`${api.url}/admin/reports/sales?from=2020-01-01&to=2024-12-31`);
    expect(bad?.status()).toBe(400);
    expect(await page.locator('.notice-error').textContent()).toContain('at most 731 days');
    await context.close();
  });
});
