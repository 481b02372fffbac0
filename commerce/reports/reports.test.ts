import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrawlRuns, putSite, setSiteOwner } from '../../catalog/index.ts';
import { db, Prisma } from '../../core/db/index.ts';
import { userWithRole } from '../../test/accounts.ts';
import { buy, fundWallet, payFromBalance } from '../../test/promotion-world.ts';
import { merchantWithListings, shopperWithAddress, type TestMerchant } from '../../test/shop-world.ts';
import { closeConnections } from '../../test/support.ts';
import { actOnOrder, refundLines } from '../orders/index.ts';
import { type ReportResult, reportNames, runReport } from './index.ts';

/**
 * Every figure of every report reconciles exactly with the rows under it. Orders, payments,
 * refunds, users and runs are made through the real services, then placed in time (on both
 * sides of period boundaries) with UTC literals; the expected figures are computed here, in
 * JavaScript with Decimal, from the rows as Prisma reads them, and compared as strings.
 *
 * Reports are in UTC whatever the clocks say: this file runs with the process in Asia/Shanghai
 * and the database sessions' TimeZone set to it too, so a period computed in local time, on
 * either side, lands an order of 23:30 UTC on the wrong day.
 */
const ZONE = 'Asia/Shanghai';
process.env.TZ = ZONE;

const D = Prisma.Decimal;
type Dec = InstanceType<typeof D>;
const RANGE = { from: '2024-03-31', to: '2024-04-30' };
const START = Date.parse('2024-03-31T00:00:00Z');
const END = Date.parse('2024-05-01T00:00:00Z');

let shop: TestMerchant;
let kettles: TestMerchant;
const ids: Record<string, string> = {};
const listing = (m: TestMerchant, title: string) => m.listings.find((l) => l.title === title)!.id;

async function databaseZone(zone: string | null): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const name = (await client.query('SELECT current_database() AS name')).rows[0].name as string;
  await client.query(
    zone ? `ALTER DATABASE "${name}" SET timezone TO '${zone}'` : `ALTER DATABASE "${name}" RESET timezone`,
  );
  await client.end();
}

/** Moves an order in time (placed an hour before it was paid), with UTC literals. */
async function placeInTime(orderId: string, paidAt: string | null, createdAt: string): Promise<void> {
  await db().$executeRaw`
    UPDATE app_order SET created_at = ${createdAt}::timestamp,
      paid_at = CASE WHEN paid_at IS NULL THEN NULL ELSE ${paidAt}::timestamp END
    WHERE id = ${orderId}::uuid`;
}

beforeAll(async () => {
  // Before this file's first query: every pooled connection starts in Shanghai time.
  await databaseZone(ZONE);
  const [row] = await db().$queryRaw<Array<{ zone: string }>>`SELECT current_setting('TimeZone') AS zone`;
  expect(row?.zone).toBe(ZONE);

  shop = await merchantWithListings(
    [
      { title: 'Tea Set', price: '200.00', currency: 'CNY' },
      { title: 'Cup', price: '30.00', currency: 'CNY' },
      { title: 'Scarf', price: '49.90', currency: 'EUR' },
    ],
    { name: 'Tea House' },
  );
  kettles = await merchantWithListings([{ title: 'Kettle', price: '150.00', currency: 'CNY' }], {
    name: '=Kettles',
  });
  await db().product.update({ where: { id: listing(shop, 'Tea Set') }, data: { category: 'Kitchen' } });
  await db().product.update({ where: { id: listing(shop, 'Cup') }, data: { category: 'Kitchen' } });
  await db().product.update({ where: { id: listing(kettles, 'Kettle') }, data: { category: 'Appliances' } });
  // An override's category wins over the crawled one.
  await db().listingOverride.create({
    data: { productId: listing(shop, 'Scarf'), categoryPath: ['Clothing', 'Scarves'] },
  });

  const alice = await shopperWithAddress();
  const bob = await shopperWithAddress();
  for (const s of [alice, bob]) {
    await fundWallet(s.id, '5000.00', 'CNY');
    await fundWallet(s.id, '500.00', 'EUR');
  }
  const pay = async (shopper: typeof alice, items: Array<{ productId: string; quantity?: number }>) => {
    const [orderId] = await buy(shopper, items);
    await payFromBalance(shopper, orderId!);
    return orderId!;
  };

  // 23:30 UTC on 31 March (already 1 April in Shanghai): two tea sets and a cup, the cup refunded.
  ids.partial = await pay(alice, [
    { productId: listing(shop, 'Tea Set'), quantity: 2 },
    { productId: listing(shop, 'Cup') },
  ]);
  const partial = await db().order.findUniqueOrThrow({
    where: { id: ids.partial },
    include: { lines: true },
  });
  await refundLines(shop, ids.partial, {
    lines: [{ lineId: partial.lines.find((l) => l.title === 'Cup')!.id, quantity: 1 }],
    reason: 'arrived broken',
  });
  await placeInTime(ids.partial, '2024-03-31 23:30:00', '2024-03-31 22:30:00');

  // The first instant of April (and of an ISO week): a scarf, in euros.
  ids.euro = await pay(alice, [{ productId: listing(shop, 'Scarf'), quantity: 2 }]);
  await placeInTime(ids.euro, '2024-04-01 00:00:00', '2024-03-31 23:00:00');

  // Paid, then cancelled by the merchant before shipping (refunded in full): no sale.
  ids.cancelledPaid = await pay(bob, [{ productId: listing(shop, 'Tea Set') }]);
  await actOnOrder(shop, ids.cancelledPaid, 'cancel', { reason: 'out of stock' });
  await placeInTime(ids.cancelledPaid, '2024-04-02 10:00:00', '2024-04-02 09:00:00');

  // Never paid, cancelled by the shopper.
  const [unpaid] = await buy(bob, [{ productId: listing(shop, 'Cup') }]);
  ids.unpaid = unpaid!;
  await actOnOrder(bob, ids.unpaid, 'cancel', { reason: 'changed my mind' });
  await placeInTime(ids.unpaid, null, '2024-04-02 05:00:00');

  // Returned and refunded in full: a sale whose money all went back.
  ids.returned = await pay(bob, [{ productId: listing(kettles, 'Kettle') }]);
  await actOnOrder(kettles, ids.returned, 'ship', { carrier: 'SF', trackingNumber: 'SF123456' });
  await actOnOrder(bob, ids.returned, 'deliver', {});
  await actOnOrder(bob, ids.returned, 'request_return', { reason: 'leaks' });
  await actOnOrder(kettles, ids.returned, 'approve_return', {});
  await placeInTime(ids.returned, '2024-04-03 12:00:00', '2024-04-03 11:00:00');

  // Paid and kept, at the last millisecond of April, and at the first of May (outside the range).
  ids.lastMs = await pay(alice, [{ productId: listing(kettles, 'Kettle'), quantity: 3 }]);
  await placeInTime(ids.lastMs, '2024-04-30 23:59:59.999', '2024-04-30 20:00:00');
  ids.may = await pay(alice, [{ productId: listing(shop, 'Cup'), quantity: 4 }]);
  await placeInTime(ids.may, '2024-05-01 00:00:00', '2024-04-30 23:30:00');
  // And one just before the range.
  ids.before = await pay(bob, [{ productId: listing(shop, 'Cup') }]);
  await placeInTime(ids.before, '2024-03-30 23:59:59.999', '2024-03-30 23:00:00');

  // Members: shoppers opened on both sides of the boundaries (and one merchant, who is no member).
  const joined = [
    '2024-03-30 12:00:00',
    '2024-03-31 23:59:59.999',
    '2024-04-01 00:00:00',
    '2024-04-15 08:00:00',
    '2024-04-30 23:59:59.999',
    '2024-05-01 00:00:00',
  ];
  for (const at of joined) {
    const user = await userWithRole('shopper');
    await db().$executeRaw`UPDATE app_user SET created_at = ${at}::timestamp WHERE id = ${user.id}::uuid`;
  }
  const merchant = await userWithRole('merchant');
  await db()
    .$executeRaw`UPDATE app_user SET created_at = '2024-04-10 00:00:00'::timestamp WHERE id = ${merchant.id}::uuid`;

  // Crawl runs of the two shops (started through the runs service, then given their counters).
  const runs = new CrawlRuns();
  const crawled = [
    { site: shop.siteName, at: '2024-03-31 23:00:00', status: 'completed', counts: [120, 3, 40, 12] },
    { site: shop.siteName, at: '2024-04-01 01:00:00', status: 'failed', counts: [5, 5, 0, 0] },
    { site: kettles.siteName, at: '2024-04-01 02:00:00', status: 'completed', counts: [300, 0, 90, 90] },
    { site: kettles.siteName, at: '2024-05-01 00:00:00', status: 'completed', counts: [7, 0, 1, 0] },
  ] as const;
  for (const c of crawled) {
    const run = await runs.start(c.site);
    await runs.cancel(run.id);
    const [fetched, failed, found, fresh] = c.counts;
    await db().$executeRaw`
      UPDATE crawl_run SET status = ${c.status}::"CrawlStatus", fetched = ${fetched}, failed = ${failed},
        products_found = ${found}, products_new = ${fresh}, created_at = ${c.at}::timestamp
      WHERE id = ${run.id}::uuid`;
  }
  // A site without an owner, so a merchant's scope has something to leave out.
  const orphan = await putSite({ name: 'orphan-site-reports', startUrls: ['https://orphan.example/'] });
  await setSiteOwner(orphan.name, null);
  const run = await runs.start(orphan.name);
  await runs.cancel(run.id);
  await db()
    .$executeRaw`UPDATE crawl_run SET fetched = 9, created_at = '2024-04-20 00:00:00'::timestamp WHERE id = ${run.id}::uuid`;
}, 120_000);

afterAll(async () => {
  await databaseZone(null);
  await closeConnections();
});

// ---------- the expected figures, from the rows ----------

/** The UTC period of an instant, computed here apart from the module under test. */
function bucket(at: Date, grain: 'day' | 'week' | 'month'): string {
  const iso = at.toISOString();
  if (grain === 'day') return iso.slice(0, 10);
  if (grain === 'month') return `${iso.slice(0, 7)}-01`;
  const midnight = Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);
  const mondayBased = (at.getUTCDay() + 6) % 7;
  return new Date(midnight - mondayBased * 86_400_000).toISOString().slice(0, 10);
}

const inRange = (at: Date | null) => at !== null && at.getTime() >= START && at.getTime() < END;
const fixed = (d: Dec) => d.toFixed(2);

async function allOrders() {
  return db().order.findMany({
    include: { lines: { include: { product: { include: { override: true } } } }, merchant: true },
  });
}

function add(
  map: Map<string, Record<string, Dec | number | string>>,
  key: string,
  init: () => Record<string, Dec | number | string>,
  values: Record<string, Dec | number>,
) {
  const row = map.get(key) ?? init();
  for (const [k, v] of Object.entries(values))
    row[k] = typeof v === 'number' ? (row[k] as number) + v : (row[k] as Dec).plus(v);
  map.set(key, row);
}

function asStrings(rows: Iterable<Record<string, Dec | number | string>>) {
  return [...rows].map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof D ? fixed(v) : v])),
  );
}

const byKeys =
  (...keys: string[]) =>
  (a: Record<string, unknown>, b: Record<string, unknown>) => {
    for (const k of keys) {
      const x = String(a[k]);
      const y = String(b[k]);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };

async function report(name: string, query: Record<string, string> = {}, merchantId: string | null = null) {
  return runReport(name, { ...RANGE, ...query }, { merchantId });
}

function isSale(o: { paidAt: Date | null; status: string }) {
  return inRange(o.paidAt) && o.status !== 'cancelled';
}

describe('sales by period', () => {
  for (const grain of ['day', 'week', 'month'] as const) {
    it(`reconciles with the orders, per ${grain} and currency`, async () => {
      const orders = await allOrders();
      const expected = new Map<string, Record<string, Dec | number | string>>();
      for (const o of orders.filter(isSale))
        add(
          expected,
          `${bucket(o.paidAt!, grain)} ${o.currency}`,
          () => ({
            period: bucket(o.paidAt!, grain),
            currency: o.currency,
            orders: 0,
            gross: new D(0),
            refunds: new D(0),
          }),
          { orders: 1, gross: o.paidAmount, refunds: o.refundedAmount },
        );
      const result = await report('sales', { grain });
      const nonEmpty = result.rows.filter((r) => r.orders !== 0);
      expect(nonEmpty.map((r) => ({ ...r, net: undefined }))).toEqual(
        asStrings(expected.values())
          .sort(byKeys('period', 'currency'))
          .map((r) => ({ ...r, net: undefined })),
      );
      for (const r of result.rows)
        expect(r.net).toBe(fixed(new D(r.gross as string).minus(r.refunds as string)));
      // Every period appears for every currency (zeros included), in order.
      const currencies = [...new Set(result.rows.map((r) => r.currency))];
      const periods = [...new Set(result.rows.map((r) => r.period))];
      expect(result.rows).toHaveLength(currencies.length * periods.length);
      expect(periods).toEqual([...periods].sort());
      expect(periods[0]).toBe(bucket(new Date(START), grain));
      // The range's totals, per currency, summed by Postgres over the orders (not over the periods).
      const totals = new Map<string, Record<string, Dec | number | string>>();
      for (const o of orders.filter(isSale))
        add(
          totals,
          o.currency,
          () => ({ currency: o.currency, orders: 0, gross: new D(0), refunds: new D(0) }),
          { orders: 1, gross: o.paidAmount, refunds: o.refundedAmount },
        );
      for (const row of totals.values()) row.net = (row.gross as Dec).minus(row.refunds as Dec);
      expect(result.totals).toEqual(asStrings(totals.values()).sort(byKeys('currency')));
    });
  }

  it('puts orders on the right side of UTC boundaries, keeps currencies apart and leaves out cancelled ones', async () => {
    const mine = await runReport('sales', { ...RANGE, grain: 'day' }, { merchantId: shop.id });
    const rows = await db().order.findMany({ where: { id: { in: Object.values(ids) } } });
    const order = (key: string) => rows.find((o) => o.id === ids[key])!;
    const row = (period: string, currency: string) =>
      mine.rows.find((r) => r.period === period && r.currency === currency);
    // 23:30 UTC on 31 March counts on 31 March (it was 1 April in Shanghai), the cup's 30.00 refunded.
    expect(row('2024-03-31', 'CNY')).toEqual({
      period: '2024-03-31',
      currency: 'CNY',
      orders: 1,
      gross: fixed(order('partial').paidAmount),
      refunds: '30.00',
      net: fixed(order('partial').paidAmount.minus(30)),
    });
    // Euros stay euros, at 00:00 UTC on 1 April.
    expect(row('2024-04-01', 'EUR')).toMatchObject({ orders: 1, gross: fixed(order('euro').paidAmount) });
    expect(row('2024-04-01', 'CNY')).toMatchObject({ orders: 0, gross: '0.00' });
    // The order paid and then cancelled is no sale; the one before the range and the one in May are outside it.
    expect(row('2024-04-02', 'CNY')).toMatchObject({ orders: 0, gross: '0.00', refunds: '0.00' });
    expect(mine.rows.reduce((n, r) => n + (r.orders as number), 0)).toBe(2);
    expect(mine.scope).toBe('own');
    // The other shop: the returned kettle (all refunded) and three kept at the last millisecond of April.
    const theirs = await runReport('sales', { ...RANGE, grain: 'month' }, { merchantId: kettles.id });
    expect(theirs.rows).toEqual([
      { period: '2024-03-01', currency: 'CNY', orders: 0, gross: '0.00', refunds: '0.00', net: '0.00' },
      {
        period: '2024-04-01',
        currency: 'CNY',
        orders: 2,
        gross: fixed(order('returned').paidAmount.plus(order('lastMs').paidAmount)),
        refunds: fixed(order('returned').paidAmount),
        net: fixed(order('lastMs').paidAmount),
      },
    ]);
  });
});

describe('sales by category, by merchant and top products', () => {
  function lineFigures(o: Awaited<ReturnType<typeof allOrders>>[number], l: (typeof o.lines)[number]) {
    const paid = l.lineTotal.minus(l.discount);
    const whole = o.status === 'refunded';
    return {
      units: l.quantity - (whole ? l.quantity : l.refundedQuantity),
      gross: paid,
      refunds: whole ? paid : l.refundedAmount,
    };
  }

  it('reconciles categories with the order lines (an override’s category first)', async () => {
    const orders = await allOrders();
    const expected = new Map<string, Record<string, Dec | number | string>>();
    const orderSets = new Map<string, Set<string>>();
    for (const o of orders.filter(isSale))
      for (const l of o.lines) {
        const category = l.product?.override?.categoryPath[0] ?? l.product?.category ?? 'Uncategorised';
        const key = `${category} ${l.currency}`;
        const f = lineFigures(o, l);
        add(
          expected,
          key,
          () => ({ category, currency: l.currency, orders: 0, units: 0, gross: new D(0), refunds: new D(0) }),
          {
            units: f.units,
            gross: f.gross,
            refunds: f.refunds,
          },
        );
        orderSets.set(key, (orderSets.get(key) ?? new Set()).add(o.id));
      }
    for (const [key, row] of expected) {
      row.orders = orderSets.get(key)!.size;
      row.net = (row.gross as Dec).minus(row.refunds as Dec);
    }
    const result = await report('sales-by-category');
    expect([...result.rows].sort(byKeys('category', 'currency'))).toEqual(
      asStrings(expected.values()).sort(byKeys('category', 'currency')),
    );
    expect(result.rows.find((r) => r.category === 'Clothing')).toMatchObject({ currency: 'EUR', units: 2 });
  });

  it('reconciles merchants with their orders', async () => {
    const orders = await allOrders();
    const profiles = await db().merchantProfile.findMany();
    const expected = new Map<string, Record<string, Dec | number | string>>();
    for (const o of orders.filter(isSale)) {
      const name =
        profiles.find((p) => p.userId === o.merchantId)?.displayName ?? o.merchant.name ?? o.merchant.email;
      add(
        expected,
        `${o.merchantId} ${o.currency}`,
        () => ({
          merchant: name,
          email: o.merchant.email,
          currency: o.currency,
          orders: 0,
          gross: new D(0),
          refunds: new D(0),
        }),
        { orders: 1, gross: o.paidAmount, refunds: o.refundedAmount },
      );
    }
    for (const row of expected.values()) row.net = (row.gross as Dec).minus(row.refunds as Dec);
    const result = await report('sales-by-merchant');
    expect([...result.rows].sort(byKeys('email', 'currency'))).toEqual(
      asStrings(expected.values()).sort(byKeys('email', 'currency')),
    );
    // A merchant sees its own row only.
    const own = await runReport('sales-by-merchant', RANGE, { merchantId: kettles.id });
    expect(own.rows.map((r) => r.email)).toEqual([kettles.email]);
  });

  it('ranks top products by units and by revenue per currency, with the line figures', async () => {
    const orders = await allOrders();
    const totals = new Map<string, Record<string, Dec | number | string>>();
    for (const o of orders.filter(isSale))
      for (const l of o.lines) {
        const f = lineFigures(o, l);
        add(
          totals,
          `${l.productId ?? l.title} ${l.currency}`,
          () => ({
            product: l.product?.override?.title ?? l.product?.title ?? l.title,
            currency: l.currency,
            units: 0,
            gross: new D(0),
            refunds: new D(0),
          }),
          { units: f.units, gross: f.gross, refunds: f.refunds },
        );
      }
    for (const row of totals.values()) row.net = (row.gross as Dec).minus(row.refunds as Dec);
    const byUnits = await report('top-products', { by: 'units' });
    expect(byUnits.by).toBe('units');
    for (const r of byUnits.rows) {
      const match = [...totals.values()].find((t) => t.product === r.product && t.currency === r.currency)!;
      expect({ units: r.units, gross: r.gross, refunds: r.refunds, net: r.net }).toEqual(
        asStrings([
          {
            units: match.units as number,
            gross: match.gross as Dec,
            refunds: match.refunds as Dec,
            net: match.net as Dec,
          },
        ])[0],
      );
    }
    const units = byUnits.rows.map((r) => r.units as number);
    expect(units).toEqual([...units].sort((a, b) => b - a));
    expect(byUnits.rows.map((r) => r.rank)).toEqual(byUnits.rows.map((_, i) => i + 1));

    const byRevenue = await report('top-products', { by: 'revenue' });
    for (const currency of new Set(byRevenue.rows.map((r) => r.currency))) {
      const nets = byRevenue.rows.filter((r) => r.currency === currency).map((r) => new D(r.net as string));
      expect(nets.map(fixed)).toEqual([...nets].sort((a, b) => b.comparedTo(a)).map(fixed));
      expect(byRevenue.rows.filter((r) => r.currency === currency)[0]?.rank).toBe(1);
    }
  });
});

describe('orders by status, members and crawls', () => {
  it('counts orders by the period they were placed in and their status now', async () => {
    const orders = await allOrders();
    for (const grain of ['day', 'week', 'month'] as const) {
      const result = await report('orders-by-status', { grain });
      const expected = new Map<string, Record<string, number>>();
      for (const o of orders.filter((o) => inRange(o.createdAt))) {
        const key = bucket(o.createdAt, grain);
        const row = expected.get(key) ?? { total: 0 };
        row[o.status] = (row[o.status] ?? 0) + 1;
        row.total = (row.total ?? 0) + 1;
        expected.set(key, row);
      }
      for (const r of result.rows) {
        const e = expected.get(r.period as string) ?? { total: 0 };
        for (const [status, n] of Object.entries(r))
          if (status !== 'period') expect(n, `${r.period} ${status}`).toBe(e[status] ?? 0);
      }
      expect(result.rows.reduce((n, r) => n + (r.total as number), 0)).toBe(
        [...expected.values()].reduce((n, r) => n + r.total!, 0),
      );
      const all = orders.filter((o) => inRange(o.createdAt));
      for (const [status, n] of Object.entries(result.totals[0]!))
        expect(n, `total ${status}`).toBe(
          status === 'total' ? all.length : all.filter((o) => o.status === status).length,
        );
    }
  });

  it('counts new members per period and the running total at each period’s end', async () => {
    const shoppers = await db().user.findMany({
      where: { roleName: 'shopper' },
      select: { createdAt: true },
    });
    for (const grain of ['day', 'week', 'month'] as const) {
      const result = await report('members', { grain });
      for (const [i, r] of result.rows.entries()) {
        const periodStart = Math.max(Date.parse(`${r.period}T00:00:00Z`), START);
        const next = result.rows[i + 1];
        const periodEnd = next ? Date.parse(`${next.period}T00:00:00Z`) : END;
        const joined = shoppers.filter(
          (s) => s.createdAt.getTime() >= periodStart && s.createdAt.getTime() < periodEnd,
        );
        const before = shoppers.filter((s) => s.createdAt.getTime() < periodEnd);
        expect(r, `${grain} ${r.period}`).toEqual({
          period: r.period,
          newMembers: joined.length,
          members: before.length,
        });
      }
    }
    expect((await report('members')).totals).toEqual([
      {
        newMembers: shoppers.filter((s) => inRange(s.createdAt)).length,
        members: shoppers.filter((s) => s.createdAt.getTime() < END).length,
      },
    ]);
    const days = await report('members', { grain: 'day' });
    expect(days.rows).toHaveLength(31);
    expect(days.rows.find((r) => r.period === '2024-03-31')?.newMembers).toBe(1);
    expect(days.rows.find((r) => r.period === '2024-04-01')?.newMembers).toBeGreaterThanOrEqual(1);
    await expect(runReport('members', RANGE, { merchantId: shop.id })).rejects.toThrow(/staff/);
  });

  it('sums crawl runs per period and site, and scopes them to a merchant’s sites', async () => {
    const runs = await db().crawlRun.findMany({ include: { site: true } });
    for (const grain of ['day', 'week', 'month'] as const) {
      const expected = new Map<string, Record<string, Dec | number | string>>();
      for (const r of runs.filter((r) => inRange(r.createdAt)))
        add(
          expected,
          `${bucket(r.createdAt, grain)} ${r.site.name}`,
          () => ({
            period: bucket(r.createdAt, grain),
            site: r.site.name,
            runs: 0,
            completed: 0,
            failedRuns: 0,
            pagesFetched: 0,
            pagesFailed: 0,
            productsFound: 0,
            productsNew: 0,
          }),
          {
            runs: 1,
            completed: r.status === 'completed' ? 1 : 0,
            failedRuns: r.status === 'failed' ? 1 : 0,
            pagesFetched: r.fetched,
            pagesFailed: r.failed,
            productsFound: r.productsFound,
            productsNew: r.productsNew,
          },
        );
      const result = await report('crawls', { grain });
      expect(result.rows).toEqual([...expected.values()].sort(byKeys('period', 'site')));
      const sum = (key: string) => result.rows.reduce((n, r) => n + (r[key] as number), 0);
      const inside = runs.filter((r) => inRange(r.createdAt));
      expect(result.totals).toEqual([
        {
          runs: inside.length,
          completed: inside.filter((r) => r.status === 'completed').length,
          failedRuns: inside.filter((r) => r.status === 'failed').length,
          pagesFetched: inside.reduce((n, r) => n + r.fetched, 0),
          pagesFailed: sum('pagesFailed'),
          productsFound: inside.reduce((n, r) => n + r.productsFound, 0),
          productsNew: sum('productsNew'),
        },
      ]);
    }
    const own = await runReport('crawls', RANGE, { merchantId: shop.id });
    expect(own.rows).toEqual([
      {
        period: '2024-03-31',
        site: shop.siteName,
        runs: 1,
        completed: 1,
        failedRuns: 0,
        pagesFetched: 120,
        pagesFailed: 3,
        productsFound: 40,
        productsNew: 12,
      },
      {
        period: '2024-04-01',
        site: shop.siteName,
        runs: 1,
        completed: 0,
        failedRuns: 1,
        pagesFetched: 5,
        pagesFailed: 5,
        productsFound: 0,
        productsNew: 0,
      },
    ]);
  });
});

describe('ranges', () => {
  it('validates the range and the grain, and defaults to the last 30 days', async () => {
    await expect(
      runReport('sales', { from: '2024-05-01', to: '2024-04-01' }, { merchantId: null }),
    ).rejects.toThrow(/after/);
    await expect(
      runReport('sales', { from: '2020-01-01', to: '2024-01-01' }, { merchantId: null }),
    ).rejects.toThrow(/at most/);
    await expect(runReport('sales', { from: '2024-02-30' }, { merchantId: null })).rejects.toThrow(
      /calendar/,
    );
    await expect(runReport('sales', { grain: 'hour' }, { merchantId: null })).rejects.toThrow();
    await expect(runReport('nope', {}, { merchantId: null })).rejects.toThrow(/no report/);
    const now = new Date('2024-04-30T23:00:00Z');
    const result: ReportResult = await runReport('members', {}, { merchantId: null }, now);
    expect([result.from, result.to, result.rows.length]).toEqual(['2024-04-01', '2024-04-30', 30]);
  });

  it('runs every report over two full years', async () => {
    for (const name of reportNames)
      await runReport(name, { from: '2023-01-01', to: '2024-12-31', grain: 'day' }, { merchantId: null });
  });
});
