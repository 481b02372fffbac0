import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putSite } from '../catalog/index.ts';
import { type DemoShop, demoSite, generateCatalog, startDemoShop } from '../demo/index.ts';
import { type TestUser, userWithRole } from './accounts.ts';
import { launchChromium, screenshot } from './browser.ts';
import { startApi } from './http.ts';
import { closeConnections, type Pipeline, startPipeline, waitForRun } from './support.ts';

/**
 * The live run page in real Chromium: an admin starts a crawl of the demo shop from the back
 * office and watches its counters and charts move without reloading; the finished run shows
 * its history from Postgres with the same charts; without JavaScript a reload shows the latest.
 */

let api: Awaited<ReturnType<typeof startApi>>;
/** A site of this file's own: products of other files' demo-shop runs stay apart. */
const SITE = 'live-page-shop';
let shop: DemoShop;
let pipeline: Pipeline;
let browser: Browser;
let admin: TestUser;

beforeAll(async () => {
  shop = await startDemoShop({ catalog: generateCatalog({ products: 300 }), latencyMs: 15 });
  // At most 25 pages a second over some 340 pages: about 14 s, long enough to watch it move
  // (the checks below need about 10 s of the run).
  await putSite({ ...demoSite(shop.url), name: SITE, politeness: { maxInFlightPerHost: 2, minDelayMs: 40 } });
  pipeline = await startPipeline({ crawlers: 2, concurrency: 4 });
  api = await startApi();
  admin = await userWithRole('admin');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await pipeline?.close();
  await shop?.close();
  await closeConnections();
});

async function signIn(page: Page) {
  await page.goto(`${api.url}/login`);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/account');
}

const counter = async (page: Page, name: string) =>
  Number(((await page.locator(`[data-counter="${name}"]`).textContent()) ?? '').replace(/,/g, ''));

async function chartState(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-chart]')].map((box) => ({
      name: box.getAttribute('data-chart'),
      points: Number(box.getAttribute('data-points') ?? 0),
      pixels: box.querySelector('canvas')?.toDataURL() ?? '',
    })),
  );
}

describe('the live run page', () => {
  it('an admin starts a crawl of the demo shop and watches counters and charts grow without reloading', async () => {
    // A run that was cancelled at once: its page offers "Crawl again".
    const earlier = await pipeline.runs.start(SITE);
    await pipeline.runs.cancel(earlier.id);

    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await signIn(page);
    await page.goto(`${api.url}/admin/crawls/${earlier.id}`);
    expect((await page.locator('[data-status]').textContent())?.trim()).toBe('cancelled');
    await page.getByRole('button', { name: 'Crawl again' }).click();
    await page.waitForURL(/\/admin\/crawls\/[0-9a-f-]{36}\?done=started$/);
    const runId = /crawls\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    expect(runId).not.toBe(earlier.id);
    expect(await page.locator('h1').textContent()).toContain('Trawl Demo Shop');

    // The stream is open and the page fills in by itself.
    await page.locator('[data-connection][data-state="live"]').waitFor({ timeout: 15_000 });
    await page.waitForFunction(
      () => Number(document.querySelector('[data-chart="pages"]')?.getAttribute('data-points')) > 2,
    );
    const urlBefore = page.url();
    const first = {
      fetched: await counter(page, 'fetched'),
      found: await counter(page, 'productsFound'),
      charts: await chartState(page),
    };
    await page.waitForTimeout(3000);
    const second = {
      fetched: await counter(page, 'fetched'),
      found: await counter(page, 'productsFound'),
      charts: await chartState(page),
    };
    expect(page.url(), 'no reload, no navigation').toBe(urlBefore);
    expect(second.fetched).toBeGreaterThan(first.fetched);
    expect(second.found).toBeGreaterThan(first.found);
    expect(second.charts).toHaveLength(7);
    for (const [i, chart] of second.charts.entries()) {
      expect(chart.pixels, `${chart.name} is drawn`).toMatch(/^data:image\/png/);
      expect(chart.points, `${chart.name} has more points`).toBeGreaterThan(first.charts[i]!.points);
    }
    expect(second.charts.find((c) => c.name === 'pages')!.pixels).not.toBe(
      first.charts.find((c) => c.name === 'pages')!.pixels,
    );
    expect(await page.locator('.uplot').count()).toBe(7);
    // Both crawler nodes alive, with memory; the shop's host with its latency.
    await page.waitForFunction(() => document.querySelectorAll('[data-table="nodes"] tbody tr').length === 2);
    expect(await page.locator('[data-table="nodes"] tbody tr').first().textContent()).toMatch(/MiB/);
    expect(await page.locator('[data-table="hosts"] tbody').textContent()).toContain(new URL(shop.url).host);
    await screenshot(page, 'admin-live-run.png');

    // Without JavaScript the page is the same numbers, and a reload shows newer ones.
    const plain = await browser.newContext({
      javaScriptEnabled: false,
      storageState: await context.storageState(),
    });
    const still = await plain.newPage();
    await still.goto(`${api.url}/admin/crawls/${runId}`);
    const before = await counter(still, 'fetched');
    await still.waitForTimeout(1500);
    await still.reload();
    expect(await counter(still, 'fetched')).toBeGreaterThan(before);
    await plain.close();

    // The end arrives over the stream; the charts then come from the stored history.
    const finished = await waitForRun(pipeline.runs, runId, 120_000);
    expect(finished.status).toBe('completed');
    await page.locator('[data-connection][data-state="ended"]').waitFor({ timeout: 15_000 });
    expect((await page.locator('[data-status]').textContent())?.trim()).toBe('completed');
    expect(await counter(page, 'fetched')).toBe(finished.fetched);

    await page.goto(`${api.url}/admin/crawls/${runId}`);
    await page.waitForFunction(
      () => Number(document.querySelector('[data-chart="pages"]')?.getAttribute('data-points')) > 5,
    );
    expect(await page.locator('.uplot').count()).toBe(7);
    expect(await page.locator('[data-table="nodes"] tbody tr').count()).toBe(2);
    await screenshot(page, 'admin-run-history.png');
    expect(errors).toEqual([]);
    await context.close();
  });
});
