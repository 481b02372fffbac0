import { chromium } from 'playwright-core';

const [, , who, pw, ...paths] = process.argv;
const browser = await chromium.launch({ executablePath: process.env.CHROME ?? undefined });
const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
const base = 'http://127.0.0.1:3999';
await page.goto(`${base}/login`);
await page.fill('input[name=email]', who!);
await page.fill('input[name=password]', pw!);
await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
const errors: string[] = [];
page.on('console', (m) => {
  if (m.type() === 'error') errors.push(m.text());
});
page.on('pageerror', (e) => errors.push(String(e)));
for (const p of paths) {
  const res = await page.goto(base + p);
  await page.waitForTimeout(500);
  const name = p.replace(/[^a-z0-9]+/gi, '_');
  await page.screenshot({ path: `/tmp/shot${name}.png`, fullPage: true });
  console.log(p, res?.status(), `/tmp/shot${name}.png`);
}
console.log('console errors:', errors);
await browser.close();
