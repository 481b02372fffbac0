import { CrawlRuns, putSite, setSiteOwner } from '../../catalog/index.ts';
import {
  findUserByEmail,
  generatePassword,
  insertUser,
  syncPermissions,
} from '../../commerce/accounts/index.ts';
import { config } from '../../core/config.ts';
import { logger } from '../../core/logger.ts';
import {
  demoSite,
  setUpDemoMerchant,
  setUpDemoShopper,
  startDemoShop,
  startPaymentSandboxes,
} from '../../demo/index.ts';
import {
  IngestWorker,
  OrderWorker,
  PromotionWorker,
  SchedulerWorker,
  SearchSyncWorker,
  startCrawlerNode,
  WebhookWorker,
} from '../../workers/index.ts';
import { describeRun, followRun } from '../progress.ts';
import { keepUntilShutdown, onShutdown } from '../shutdown.ts';
import { serveApiUntilShutdown } from './serve.ts';

/**
 * `trawl start` (what `npm start` runs): serves the bundled demo shop on loopback, registers
 * its crawl rules, runs the API, a crawler node and an ingest worker in this process, crawls
 * the shop and keeps serving the storefront until stopped.
 */
export async function startCommand(): Promise<void> {
  const settings = config();
  const log = logger();
  const started = Date.now();

  const shop = await startDemoShop({ port: settings.DEMO_PORT, host: '127.0.0.1' }).catch(() =>
    // The preferred port is taken (another Trawl?): any free port will do for the demo.
    startDemoShop({ port: 0, host: '127.0.0.1' }),
  );
  onShutdown(() => shop.close());
  await syncPermissions();
  const demoUsers = await ensureDemoUsers();
  const site = await putSite(demoSite(shop.url));
  // The demo shop is the demo merchant's: it sees this shop's products and orders, and no other.
  const merchant = demoUsers.find((u) => u.role === 'merchant')!;
  await setSiteOwner(site.name, merchant.id);
  await setUpDemoMerchant(merchant.id);
  await setUpDemoShopper(demoUsers.find((u) => u.role === 'shopper')!.id);
  // Alipay and WeChat Pay are unreachable from here: local sandboxes that speak their protocols.
  const sandboxes = await startPaymentSandboxes();
  onShutdown(() => sandboxes.close());
  process.stderr.write(
    `payment sandboxes: Alipay ${sandboxes.alipay.url}, WeChat Pay ${sandboxes.wechat.url}\n`,
  );
  process.stderr.write(`demo shop: ${shop.url} (${shop.catalog.products.length} products)\n`);

  const runs = new CrawlRuns();
  const { url } = await serveApiUntilShutdown(settings.PORT, settings.HOST);
  await keepUntilShutdown(new IngestWorker(runs, log.child({ component: 'ingest' })));
  await keepUntilShutdown(await startCrawlerNode(log.child({ component: 'crawler' })));
  await keepUntilShutdown(new SchedulerWorker(runs, log.child({ component: 'scheduler' })));
  await keepUntilShutdown(new OrderWorker(log.child({ component: 'orders' })));
  await keepUntilShutdown(new PromotionWorker(log.child({ component: 'promotions' })));
  await keepUntilShutdown(new WebhookWorker(log.child({ component: 'webhooks' })));
  await keepUntilShutdown(new SearchSyncWorker(log.child({ component: 'search-sync' })));

  // A previous `npm start` stopped mid-crawl leaves an active run behind: end it first.
  for (const previous of await runs.list(site.id, 5)) {
    if (['running', 'paused', 'queued'].includes(previous.status)) await runs.cancel(previous.id);
  }
  const run = await runs.start(site.name);
  process.stderr.write(`crawling ${site.name} (run ${run.id})\n`);
  const finished = await followRun((id) => runs.get(id), run.id);
  process.stderr.write(`${describeRun(finished)}\n`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const publicUrl = settings.PUBLIC_URL ?? url;
  process.stdout.write(
    `\nTrawl is ready after ${seconds} s: ${finished.productsFound} products searchable.\n` +
      `  storefront:  ${publicUrl}/\n` +
      `  API:         ${publicUrl}/api/v1/products?q=espresso\n` +
      `  API docs:    ${publicUrl}/api/docs\n` +
      `  metrics:     ${publicUrl}/metrics (needs an operator or admin sign-in, or METRICS_TOKEN)\n` +
      `\nDemo accounts (sign in at ${publicUrl}/login):\n${demoUsers.map(describeDemoUser).join('\n')}\n` +
      'Press Ctrl-C to stop.\n',
  );
}

const DEMO_ROLES = ['admin', 'operator', 'merchant', 'shopper'] as const;

interface DemoUser {
  id: string;
  email: string;
  role: (typeof DEMO_ROLES)[number];
  /** Only when the account was created by this start: random, and printed this once. */
  password?: string;
}

/** One demo account per role, created on the first start with a random password. */
async function ensureDemoUsers(): Promise<DemoUser[]> {
  const users: DemoUser[] = [];
  for (const role of DEMO_ROLES) {
    const email = `${role}@trawl.example`;
    const existing = await findUserByEmail(email);
    if (existing) {
      users.push({ id: existing.id, email, role });
      continue;
    }
    const password = generatePassword();
    const created = await insertUser({ email, password, role, name: `Demo ${role}` });
    users.push({ id: created.id, email, role, password });
  }
  return users;
}

function describeDemoUser(user: DemoUser): string {
  const secret = user.password
    ? `password ${user.password}   (shown once)`
    : `password printed when it was created; \`trawl user passwd --email ${user.email}\` sets a new one`;
  return `  ${user.role.padEnd(9)} ${user.email.padEnd(24)} ${secret}`;
}
