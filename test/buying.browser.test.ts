import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../core/db/index.ts';
import { type PaymentSandboxes, startPaymentSandboxes } from '../demo/index.ts';
import { launchChromium, screenshot } from './browser.ts';
import { startApi } from './http.ts';
import { merchantWithListings, shopperWithAddress, type TestMerchant } from './shop-world.ts';
import { closeConnections } from './support.ts';

/**
 * Buying in real Chromium, end to end: two merchants, three shoppers, both payment sandboxes,
 * the balance. Each step is what a person does on the pages: no API calls in between.
 */

let api: Awaited<ReturnType<typeof startApi>>;
let sandboxes: PaymentSandboxes;
let browser: Browser;
let lamps: TestMerchant;
let kettles: TestMerchant;

beforeAll(async () => {
  api = await startApi();
  sandboxes = await startPaymentSandboxes();
  lamps = await merchantWithListings(
    [
      { title: 'Brass Reading Lamp', price: '39.00' },
      { title: 'Paper Lantern', price: '12.00' },
    ],
    { name: 'Lamp Works' },
  );
  kettles = await merchantWithListings([{ title: 'Copper Kettle', price: '49.90' }], {
    name: 'Kettle House',
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await sandboxes?.close();
  await api?.close();
  await closeConnections();
});

/** A browser session of its own (cookies apart), failing the test on any script error on our pages. */
async function person(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
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

async function addToCart(page: Page, productId: string) {
  await page.goto(`${api.url}/product/${productId}`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.waitForURL('**/cart?added=1');
}

/** Waits (up to 10 s) until the locator's count or text is as expected, as a person would look again. */
async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
const hasCount = (locator: Locator, n: number) =>
  eventually(`${n} × ${locator}`, async () => (await locator.count()) === n);
const hasText = (locator: Locator, text: string) =>
  eventually(`"${text}" in ${locator}`, async () => (await locator.first().textContent())?.trim() === text);

async function orderStatus(page: Page): Promise<string> {
  return (await page.locator('.order-head .badge').textContent())!.trim();
}

describe('buying in a browser', () => {
  it('a shopper buys from two merchants and pays one order with each provider; one is shipped and delivered', async () => {
    const shopper = await shopperWithAddress();
    const { context, page, errors } = await person();
    await signIn(page, shopper.email, shopper.password);
    await addToCart(page, lamps.listings[0]!.id);
    await addToCart(page, kettles.listings[0]!.id);
    await screenshot(page, 'cart.png');
    await page.getByRole('link', { name: 'Check out' }).click();
    await page.waitForURL('**/checkout');
    await hasCount(page.locator('.order-group h2'), 2);
    await screenshot(page, 'checkout.png');
    await page.getByRole('button', { name: /Place 2 orders and pay/ }).click();

    // First order: Alipay's cashier, its Pay button, and back.
    await page.waitForURL('**/pay?method=alipay');
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.waitForURL(`${sandboxes.alipay.url}/**`);
    await screenshot(page, 'alipay-cashier.png');
    await page.getByRole('button', { name: 'Pay' }).click();
    await page.waitForURL(/\/orders\/T\d{6}-\d{6}\?done=paid/);
    expect(await orderStatus(page)).toBe('Paid');
    const firstNumber = /orders\/(T[\d-]+)/.exec(page.url())![1]!;

    // Second order: WeChat Pay by QR code; "scanning" is opening the sandbox's scan page.
    await page.getByRole('link', { name: /pay order T/ }).click();
    await page.getByRole('radio', { name: /^WeChat Pay/ }).check();
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.waitForURL('**/pay/*');
    await page.locator('.qr svg').waitFor();
    await screenshot(page, 'wechat-qr.png');
    const [phone] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('link', { name: /WeChat Pay sandbox/ }).click(),
    ]);
    await phone.getByRole('button', { name: 'Pay' }).click();
    // The pay page notices by itself.
    await page.waitForURL(/\/orders\/T\d{6}-\d{6}\?done=paid/, { timeout: 20_000 });
    expect(await orderStatus(page)).toBe('Paid');
    const secondNumber = /orders\/(T[\d-]+)/.exec(page.url())![1]!;
    const paid = await db().order.findMany({ where: { number: { in: [firstNumber, secondNumber] } } });
    expect(paid.map((o) => [o.paymentMethod, o.status]).sort()).toEqual([
      ['alipay', 'paid'],
      ['wechat', 'paid'],
    ]);

    // The lamp merchant ships its order; the shopper confirms it arrived.
    const lampOrder = paid.find((o) => o.merchantId === lamps.id)!;
    const merchant = await person();
    await signIn(merchant.page, lamps.email, lamps.password);
    await merchant.page.goto(`${api.url}/admin/orders`);
    await hasCount(merchant.page.locator('tbody tr'), 1);
    await merchant.page.getByRole('link', { name: lampOrder.number }).click();
    await merchant.page.getByLabel('Carrier').fill('SF Express');
    await merchant.page.getByLabel('Tracking number').fill('SF1029384756');
    await merchant.page.getByRole('button', { name: 'Ship' }).click();
    await merchant.page.waitForURL('**?done=ship');
    expect(await orderStatus(merchant.page)).toBe('Shipped');
    await screenshot(merchant.page, 'merchant-order.png');

    await page.goto(`${api.url}/orders/${lampOrder.number}`);
    await page.getByRole('button', { name: 'I received it' }).click();
    await page.waitForURL('**?done=deliver');
    expect(await orderStatus(page)).toBe('Delivered');
    await hasCount(page.locator('.timeline li'), 4);
    await screenshot(page, 'order.png');
    expect(errors).toEqual([]);
    expect(merchant.errors).toEqual([]);
    await context.close();
    await merchant.context.close();
  });

  it('another shopper cancels an unpaid order', async () => {
    const shopper = await shopperWithAddress();
    const { context, page, errors } = await person();
    await signIn(page, shopper.email, shopper.password);
    await addToCart(page, lamps.listings[1]!.id);
    await page.goto(`${api.url}/checkout`);
    await page.getByRole('button', { name: /Place order and pay/ }).click();
    await page.waitForURL('**/pay?method=*');
    const number = /orders\/(T[\d-]+)\/pay/.exec(page.url())![1]!;
    await page.goto(`${api.url}/orders/${number}`);
    await page.getByRole('button', { name: 'Cancel the order' }).click();
    await page.waitForURL('**?done=cancel');
    expect(await orderStatus(page)).toBe('Cancelled');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a third shopper pays from a topped-up balance, returns the order, and the refund shows in the balance', async () => {
    const shopper = await shopperWithAddress();
    const { context, page, errors } = await person();
    await signIn(page, shopper.email, shopper.password);
    // Top up 100.00 EUR through Alipay.
    await page.goto(`${api.url}/account#balance`);
    await page.locator('summary', { hasText: 'Top up' }).click();
    await page.getByLabel('Amount').fill('100.00');
    await page.getByLabel('Currency').selectOption('EUR');
    await page.getByRole('button', { name: 'Top up' }).click();
    await page.waitForURL(`${sandboxes.alipay.url}/**`);
    await page.getByRole('button', { name: 'Pay' }).click();
    await page.waitForURL('**/account?done=topup*');
    await hasText(page.locator('[data-wallet="EUR"]'), '€100.00');

    await addToCart(page, kettles.listings[0]!.id);
    await page.goto(`${api.url}/checkout`);
    await page.getByRole('radio', { name: /^Trawl balance/ }).check();
    await page.getByRole('button', { name: /Place order and pay/ }).click();
    await page.waitForURL('**/pay?method=balance');
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.waitForURL('**?done=paid');
    const number = /orders\/(T[\d-]+)/.exec(page.url())![1]!;
    const order = await db().order.findUniqueOrThrow({ where: { number } });
    await page.goto(`${api.url}/account#balance`);
    const left = (100 - Number(order.total)).toFixed(2);
    await hasText(page.locator('[data-wallet="EUR"]'), `€${left}`);

    // The kettle merchant ships; the shopper receives it and asks for a refund.
    const merchant = await person();
    await signIn(merchant.page, kettles.email, kettles.password);
    await merchant.page.goto(`${api.url}/admin/orders/${number}`);
    await merchant.page.getByLabel('Carrier').fill('YTO');
    await merchant.page.getByLabel('Tracking number').fill('YT7788990011');
    await merchant.page.getByRole('button', { name: 'Ship' }).click();
    await merchant.page.waitForURL('**?done=ship');
    await page.goto(`${api.url}/orders/${number}`);
    await page.getByRole('button', { name: 'I received it' }).click();
    await page.waitForURL('**?done=deliver');
    await page.getByText('Return this order').click();
    await page.getByLabel('Why are you returning it?').fill('The lid does not close.');
    await page.getByRole('button', { name: 'Request a return' }).click();
    await page.waitForURL('**?done=return');
    expect(await orderStatus(page)).toBe('Return requested');

    await merchant.page.goto(`${api.url}/admin/orders/${number}`);
    await merchant.page.getByRole('button', { name: 'Approve the return and refund' }).click();
    await merchant.page.waitForURL('**?done=approve-return');
    expect(await orderStatus(merchant.page)).toBe('Refunded');

    await page.goto(`${api.url}/account#balance`);
    await hasText(page.locator('[data-wallet="EUR"]'), '€100.00');
    await screenshot(page, 'account-balance.png');
    expect(errors).toEqual([]);
    expect(merchant.errors).toEqual([]);
    await context.close();
    await merchant.context.close();
  });
});
