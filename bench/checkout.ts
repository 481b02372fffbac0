/**
 * 200 shoppers at once, each putting a listing in the cart, placing an order and paying it, through
 * the API over HTTP: a third with Alipay, a third with WeChat Pay (through the sandboxes, which
 * notify the API as the gateways would), a third from a topped-up balance. Prints orders/s and the
 * latency of place + pay, and fails unless every order exists exactly once, is paid, and the
 * ledger adds up.
 *
 * The API runs in a child process (`trawl api`), the sandboxes and the shoppers here.
 *
 *   node --import tsx bench/checkout.ts [--shoppers N]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { prepareBenchEnvironment, table } from './support.ts';

const { values } = parseArgs({ options: { shoppers: { type: 'string', default: '200' } } });
const shopperCount = Number(values.shoppers);
if (!Number.isInteger(shopperCount) || shopperCount < 3) throw new Error('--shoppers must be an integer ≥ 3');

await prepareBenchEnvironment('checkout');
process.env.PAYMENT_SECRETS_KEY ??= Buffer.alloc(32, 7).toString('base64');
const { createToken, insertUser, permissionsOfRole, syncPermissions, addAddress } = await import(
  '../commerce/accounts/index.ts'
);
const { putSite, setSiteOwner } = await import('../catalog/index.ts');
const { ledgerMismatches, ledgerTotals } = await import('../commerce/payments/index.ts');
const { fundWallets } = await import('./wallets.ts');
const { db, closeDb } = await import('../core/db/index.ts');
const { closeRedis } = await import('../core/redis.ts');
const { closeQueues } = await import('../core/queues.ts');
const { setUpDemoMerchant, startPaymentSandboxes } = await import('../demo/index.ts');

await syncPermissions();
const sandboxes = await startPaymentSandboxes();

// Two merchants, a few listings each.
const listings: string[] = [];
for (const name of ['bench-lamps', 'bench-kettles']) {
  const merchant = await insertUser({
    email: `${name}@bench.example`,
    password: 'bench merchant password',
    role: 'merchant',
  });
  const site = await putSite({ name, startUrls: [`https://${name}.example/`] });
  await setSiteOwner(name, merchant.id);
  await setUpDemoMerchant(merchant.id, { name });
  for (let i = 0; i < 5; i++) {
    const row = await db().product.create({
      data: {
        siteId: site.id,
        url: `https://${name}.example/p/${i}`,
        title: `${name} item ${i}`,
        price: `${10 + i}.90`,
        currency: 'EUR',
        availability: 'InStock',
        contentHash: randomUUID(),
      },
    });
    listings.push(row.id);
  }
}

// The shoppers: accounts with an address and an API token; balance payers get 100.00 EUR.
process.stderr.write(`creating ${shopperCount} shoppers (argon2id hashes take a while)…\n`);
const permissions = new Set(await permissionsOfRole('shopper'));
const shoppers: Array<{
  id: string;
  token: string;
  addressId: string;
  method: 'alipay' | 'wechat' | 'balance';
}> = [];
for (let i = 0; i < shopperCount; i++) {
  const user = await insertUser({
    email: `shopper-${i}@bench.example`,
    password: 'bench shopper password',
    role: 'shopper',
  });
  const address = await addAddress(user.id, {
    recipient: `Shopper ${i}`,
    phone: '+86 138 0000 0000',
    line1: `${i} Bench Road`,
    city: 'Shanghai',
    country: 'CN',
  });
  const { token } = await createToken({ id: user.id, permissions }, { name: 'bench' });
  const method = (['alipay', 'wechat', 'balance'] as const)[i % 3]!;
  if (method === 'balance') await fundWallets([user.id], 'EUR', '100.00');
  shoppers.push({ id: user.id, token, addressId: address.id, method });
}

const port = 3800 + Math.floor(Math.random() * 90);
// TRAWL_CPU_PROF_DIR=DIR writes a V8 CPU profile of the API process there, for finding where the time goes.
const profile = process.env.TRAWL_CPU_PROF_DIR
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.TRAWL_CPU_PROF_DIR}`]
  : [];
const api: ChildProcess = spawn('node', [...profile, '--import', 'tsx', 'bin/trawl.ts', 'api'], {
  // 200 requests at once wait for pooled connections: with 20 (the default) 0 to 40 of the 200
  // shoppers waited past DB_CONNECT_TIMEOUT_MS and got a 503 from run to run; 30 served them all.
  env: {
    ...process.env,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DB_POOL_SIZE: process.env.DB_POOL_SIZE ?? '30',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/readyz`)).ok) break;
  } catch {
    if (i > 300) throw new Error('the API did not start');
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}

async function call<T>(
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** One shopper: cart, place (with an idempotency key, sent twice as a double click would), pay, wait until paid. */
async function shop(shopper: (typeof shoppers)[number], n: number): Promise<number> {
  const started = performance.now();
  await call(shopper.token, 'POST', '/cart/lines', {
    productId: listings[n % listings.length],
    quantity: 1 + (n % 2),
  });
  const key = `bench-${randomUUID()}`;
  const place = () =>
    call<{ orders: Array<{ id: string }> }>(
      shopper.token,
      'POST',
      '/checkout/orders',
      { addressId: shopper.addressId },
      { 'idempotency-key': key },
    );
  const [placed] = await Promise.all([place(), place()]);
  const orderId = placed.orders[0]!.id;
  const paying = await call<{ paid: boolean; payment?: { outTradeNo: string } }>(
    shopper.token,
    'POST',
    `/orders/${orderId}/pay`,
    {
      method: shopper.method,
      ...(shopper.method === 'alipay' ? { prefer: 'qr' } : {}),
    },
  );
  if (!paying.paid) {
    // What the shopper's phone does after scanning: pay at the provider.
    await (shopper.method === 'alipay' ? sandboxes.alipay : sandboxes.wechat).pay(paying.payment!.outTradeNo);
    // As the pay page does (it asks every 2 s): here every 250 ms, to measure closer to the event.
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const order = await call<{ status: string }>(shopper.token, 'GET', `/orders/${orderId}`);
      if (order.status === 'paid') break;
    }
  }
  return performance.now() - started;
}

process.stderr.write(`${shopperCount} shoppers buying at once…\n`);
const wallStarted = performance.now();
const outcomes = await Promise.allSettled(shoppers.map((shopper, n) => shop(shopper, n)));
const wallSeconds = (performance.now() - wallStarted) / 1000;
await Promise.all([sandboxes.alipay.idle(), sandboxes.wechat.idle()]);

const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
const latencies = outcomes
  .filter((o): o is PromiseFulfilledResult<number> => o.status === 'fulfilled')
  .map((o) => o.value)
  .sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;

// Every shopper has exactly one order, paid once; the ledger adds up.
const ids = shoppers.map((s) => s.id);
const orders = await db().order.findMany({
  where: { userId: { in: ids } },
  select: { userId: true, status: true },
});
const perShopper = new Map<string, number>();
for (const order of orders) perShopper.set(order.userId, (perShopper.get(order.userId) ?? 0) + 1);
const missing = ids.filter((id) => !perShopper.has(id)).length;
const duplicated = [...perShopper.values()].filter((n) => n > 1).length;
const unpaid = orders.filter((o) => o.status !== 'paid').length;
const paidTwice = await db().$queryRaw<Array<{ n: bigint }>>`
  SELECT count(*) AS n FROM (SELECT order_id FROM payment_order WHERE status = 'paid' AND order_id IS NOT NULL GROUP BY order_id HAVING count(*) > 1) t`;
const mismatches = await ledgerMismatches();
const nonZero = [...(await ledgerTotals())].filter(([, total]) => !total.isZero());

api.kill('SIGINT');
await new Promise((resolve) => api.once('exit', resolve));
await sandboxes.close();
await closeQueues();
await closeRedis();
await closeDb();

process.stdout.write(
  `${table([
    {
      shoppers: shopperCount,
      'orders/s': (latencies.length / wallSeconds).toFixed(1),
      'p50 ms': pct(0.5).toFixed(0),
      'p95 ms': pct(0.95).toFixed(0),
      'max ms': (latencies.at(-1) ?? Number.NaN).toFixed(0),
      failed: failures.length,
    },
  ])}\n` +
    `orders: ${orders.length} (missing ${missing}, duplicated ${duplicated}, unpaid ${unpaid}, paid twice ${paidTwice[0]?.n ?? 0}); ` +
    `ledger: ${mismatches.length} account mismatches, ${nonZero.length} currencies not summing to zero\n` +
    'each shopper: add to cart, place the order (the request sent twice at once, as a double click), pay; a third each by Alipay and WeChat Pay (sandbox pays and notifies), a third from the balance\n',
);
for (const failure of failures.slice(0, 5)) process.stderr.write(`failed: ${failure.reason}\n`);
const ok =
  failures.length === 0 &&
  missing === 0 &&
  duplicated === 0 &&
  unpaid === 0 &&
  Number(paidTwice[0]?.n ?? 0) === 0 &&
  mismatches.length === 0 &&
  nonZero.length === 0;
if (!ok) {
  process.stderr.write('FAILED: lost, duplicate or unpaid orders, or a ledger that does not add up\n');
  process.exit(1);
}
process.exit(0);
