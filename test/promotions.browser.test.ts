import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../core/db/index.ts';
import { type TestUser, userWithRole } from './accounts.ts';
import { launchChromium, screenshot } from './browser.ts';
import { startApi } from './http.ts';
import { fundWallet } from './promotion-world.ts';
import { merchantWithListings, shopperWithAddress, type TestMerchant } from './shop-world.ts';
import { closeConnections } from './support.ts';

/**
 * In real Chromium: an admin sets up a 满减 threshold and a coupon in the back office; a member
 * (VIP, bought on the account page) applies the coupon on top of the threshold at checkout,
 * sees the breakdown, pays, and after delivery writes a review; the rating then shows in search
 * results. Every step is done on the pages, as a person would.
 */

let api: Awaited<ReturnType<typeof startApi>>;
let browser: Browser;
let shop: TestMerchant;
let admin: TestUser;

beforeAll(async () => {
  api = await startApi();
  shop = await merchantWithListings(
    [
      { title: 'Celadon Tea Bowl', price: '180.00', currency: 'CNY' },
      { title: 'Celadon Teapot', price: '160.00', currency: 'CNY' },
    ],
    { name: 'Celadon Studio' },
  );
  admin = await userWithRole('admin');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await closeConnections();
});

async function person() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error' && page.url().startsWith(api.url)) errors.push(message.text());
  });
  return { context, page, errors };
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${api.url}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/account');
}

/** Makes a promotion on the back office's form and publishes it. */
async function makePromotion(page: Page, fields: Record<string, string>, selects: Record<string, string>) {
  await page.goto(`${api.url}/admin/promotions/new`);
  for (const [label, value] of Object.entries(selects))
    await page.getByLabel(label, { exact: true }).selectOption(value);
  for (const [label, value] of Object.entries(fields))
    await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Create draft' }).click();
  await page.waitForURL(/\/admin\/promotions\/[0-9a-f-]{36}\?done=created/);
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.waitForURL('**?done=publish');
  expect((await page.locator('.stat-row .badge').textContent())?.trim()).toBe('active');
  return /promotions\/([0-9a-f-]{36})/.exec(page.url())![1]!;
}

describe('promotions, membership and reviews in a browser', () => {
  it('a member stacks a coupon on a 满减 threshold, pays, reviews after delivery, and the rating shows in search', async () => {
    const start = new Date(Date.now() - 60_000).toISOString().slice(0, 16);
    const end = new Date(Date.now() + 86_400_000).toISOString().slice(0, 16);

    // The admin sets up the promotions in the back office.
    const staff = await person();
    await signIn(staff.page, admin.email, admin.password);
    await makePromotion(
      staff.page,
      {
        Name: 'Celadon 满300减40',
        'Starts (UTC)': start,
        'Ends (UTC)': end,
        Currency: 'CNY',
        'Merchant id (merchant scope)': shop.id,
        '满减 tiers (spend-off, …)': '300-40, 500-80',
      },
      { Type: 'threshold', Scope: 'merchant' },
    );
    const couponId = await makePromotion(
      staff.page,
      {
        Name: 'Members’ ¥20 coupon',
        'Starts (UTC)': start,
        'Ends (UTC)': end,
        Currency: 'CNY',
        '折扣 / coupon: amount off': '20',
        '折扣 / coupon: minimum spend': '200',
      },
      { Type: 'coupon', 'Members only': 'vip', 'Paid for by': 'platform' },
    );
    await staff.page.getByLabel('A shared code').fill('CELADON20');
    await staff.page.getByRole('button', { name: 'Make codes' }).click();
    await staff.page.waitForURL('**?done=coupons');
    await expect.poll(() => staff.page.locator('td code').first().textContent()).toBe('CELADON20');
    await screenshot(staff.page, 'admin-promotion.png');
    await staff.page.goto(`${api.url}/admin/promotions`);
    await screenshot(staff.page, 'admin-promotions.png');
    expect(await staff.page.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
    expect(couponId).toMatch(/[0-9a-f-]{36}/);

    // A shopper becomes a member: VIP bought on the account page from the balance.
    const shopper = await shopperWithAddress();
    await fundWallet(shopper.id, '1000.00');
    const { context, page, errors } = await person();
    await signIn(page, shopper.email, shopper.password);
    await page.goto(`${api.url}/account#membership`);
    await page.getByText('Buy a tier for a year').click();
    await page.getByRole('button', { name: 'Buy VIP' }).click();
    await page.waitForURL('**done=tier*');
    expect((await page.locator('[data-tier]').textContent())?.trim()).toBe('VIP');

    // Two items (340.00 at list price; the VIP member price takes 3% off).
    for (const listing of shop.listings) {
      await page.goto(`${api.url}/product/${listing.id}`);
      await expect.poll(() => page.locator('[data-promotion]').count()).toBeGreaterThan(0);
      await page.getByRole('button', { name: 'Add to cart' }).click();
      await page.waitForURL('**/cart?added=1');
    }
    await page.getByRole('link', { name: 'Check out' }).click();
    await page.waitForURL('**/checkout');
    await page.getByLabel('Coupon code').fill('celadon20');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Coupon CELADON20 applied.').waitFor();
    const applied = page.locator('[data-applied]');
    expect(await applied.count()).toBe(3);
    expect(await page.locator('[data-applied="price"]').textContent()).toContain('VIP member price');
    expect(await page.locator('[data-applied="order"]').textContent()).toContain('满300减40');
    expect(await page.locator('[data-applied="coupon"]').textContent()).toContain('−CN¥20.00');
    // 340 − 3% = 329.80; − 40 − 20 = 269.80 for the items.
    expect((await page.locator('[data-discount-total]').textContent())?.trim()).toBe('−CN¥70.20');
    await screenshot(page, 'checkout-breakdown.png');
    await page.getByRole('radio', { name: /^Trawl balance/ }).check();
    await page.getByRole('button', { name: /Place order and pay/ }).click();
    await page.waitForURL('**/pay?method=balance');
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.waitForURL('**?done=paid');
    const number = /orders\/(T[\d-]+)/.exec(page.url())![1]!;
    const order = await db().order.findUniqueOrThrow({ where: { number }, include: { adjustments: true } });
    expect(order.discountTotal.toFixed(2)).toBe('70.20');
    expect(order.status).toBe('paid');
    await screenshot(page, 'order-discounts.png');

    // The merchant ships; the shopper confirms receipt and reviews the tea bowl.
    const merchant = await person();
    await signIn(merchant.page, shop.email, shop.password);
    await merchant.page.goto(`${api.url}/admin/orders/${number}`);
    await merchant.page.getByLabel('Carrier').fill('SF Express');
    await merchant.page.getByLabel('Tracking number').fill('SF5566778899');
    await merchant.page.getByRole('button', { name: 'Ship' }).click();
    await merchant.page.waitForURL('**?done=ship');
    await page.goto(`${api.url}/orders/${number}`);
    await page.getByRole('button', { name: 'I received it' }).click();
    await page.waitForURL('**?done=deliver');
    await page
      .getByRole('row', { name: /Celadon Tea Bowl/ })
      .getByRole('link', { name: 'Write a review' })
      .click();
    await page.getByRole('radio', { name: '4 stars' }).check();
    await page
      .getByLabel('Your review')
      .fill('A lovely glaze <script>alert(1)</script>, slightly smaller than pictured.');
    await page.getByRole('button', { name: 'Publish the review' }).click();
    await page.waitForURL('**?done=review');
    expect(await page.getByText('You rated it 4★').count()).toBe(1);

    // The rating shows in search results, and best-rated sorts it first.
    await page.goto(`${api.url}/search?q=celadon&sort=rating`);
    const card = page.locator('.card', { hasText: 'Celadon Tea Bowl' });
    await expect.poll(() => card.locator('.stars').textContent()).toContain('4.0');
    expect((await page.locator('.card-title').first().textContent())?.trim()).toBe('Celadon Tea Bowl');
    await screenshot(page, 'search-ratings.png');
    await page.getByRole('link', { name: '4 stars and up' }).click();
    await expect.poll(() => page.locator('.card').count()).toBe(1);

    // The product page shows the review as text (the script tag never became markup).
    await page.goto(`${api.url}/product/${shop.listings[0]!.id}`);
    const review = page.locator('[data-review]');
    expect(await review.locator('.review-body').textContent()).toBe(
      'A lovely glaze , slightly smaller than pictured.',
    );
    expect(await page.locator('.review script').count()).toBe(0);
    await screenshot(page, 'product-reviews.png');
    await page.goto(`${api.url}/account#membership`);
    await screenshot(page, 'account-membership.png');

    // The merchant replies in the back office.
    await merchant.page.goto(`${api.url}/admin/reviews`);
    await merchant.page.getByLabel('Reply (once)').fill('Thank you! The bowl is 12 cm across.');
    await merchant.page.getByRole('button', { name: 'Reply' }).click();
    await merchant.page.waitForURL('**/admin/reviews?done=1');
    await screenshot(merchant.page, 'admin-reviews.png');
    await staff.page.goto(`${api.url}/admin/membership`);
    await screenshot(staff.page, 'admin-membership.png');

    expect(errors).toEqual([]);
    expect(staff.errors).toEqual([]);
    expect(merchant.errors).toEqual([]);
    await context.close();
    await staff.context.close();
    await merchant.context.close();
  });
});
