import { z } from 'zod';
import { db, Prisma } from '../../core/db/index.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { type Grain, parseRange, type ReportRange, rangeQuerySchema, utcTimestamp } from './range.ts';

/**
 * The back office's reports: a read model over the orders, accounts and catalog tables, written
 * as aggregate SQL so Postgres does the summing. Money leaves as fixed-point strings per
 * currency (never a float, never two currencies added together); periods are UTC.
 *
 * What counts as a sale: an order paid in the range (by `paid_at`) that was not cancelled. A
 * cancelled order (unpaid, or paid and cancelled before shipping, which refunds it) is no sale.
 * Refunds are counted against the period of the sale they return money for (the order's
 * succeeded refunds, whole returns and refunded items alike), so net = gross − refunds is what
 * the period's sales kept. Category and product figures count the items (shipping excluded);
 * order, merchant and period figures count what the shopper paid (shipping included).
 */

export const reportNames = [
  'sales',
  'sales-by-category',
  'sales-by-merchant',
  'orders-by-status',
  'members',
  'top-products',
  'crawls',
] as const;
export type ReportName = (typeof reportNames)[number];

export function isReportName(name: string): name is ReportName {
  return (reportNames as readonly string[]).includes(name);
}

export type ColumnKind = 'period' | 'text' | 'currency' | 'count' | 'money';
export interface ReportColumn {
  key: string;
  label: string;
  kind: ColumnKind;
}
export type ReportRow = Record<string, string | number>;

export interface ReportInfo {
  name: ReportName;
  title: string;
  description: string;
  /** Rows are per period (a time series), or totals over the whole range. */
  series: boolean;
  /** Whether a merchant (scoped to its own shops) may see it. */
  forMerchants: boolean;
}

export interface ReportResult extends ReportInfo {
  from: string;
  to: string;
  grain: Grain;
  timeZone: 'UTC';
  /** platform: every shop; own: the merchant's own shops only. */
  scope: 'platform' | 'own';
  /** top-products only: what the ranking is by. */
  by?: 'units' | 'revenue';
  columns: ReportColumn[];
  rows: ReportRow[];
  /**
   * Time series only: the whole range at once (sales: one row per currency; the others one row),
   * summed by Postgres from the same rows, not from the periods. Empty for totals reports.
   */
  totals: ReportRow[];
}

export interface ReportScope {
  /** Only this merchant's orders and sites; null for staff who see the whole platform. */
  merchantId: string | null;
}

export const reportCatalog: Record<ReportName, ReportInfo> = {
  sales: {
    name: 'sales',
    title: 'Sales',
    description:
      'Orders paid in each period (cancelled ones left out), what was paid, what of it was refunded, and the net, per currency.',
    series: true,
    forMerchants: true,
  },
  'sales-by-category': {
    name: 'sales-by-category',
    title: 'Sales by category',
    description:
      'Items sold in the range by their listing’s category: units kept, item revenue and refunds, per currency.',
    series: false,
    forMerchants: true,
  },
  'sales-by-merchant': {
    name: 'sales-by-merchant',
    title: 'Sales by merchant',
    description: 'Each merchant’s paid orders in the range: what was paid, refunded and kept, per currency.',
    series: false,
    forMerchants: true,
  },
  'orders-by-status': {
    name: 'orders-by-status',
    title: 'Orders by status',
    description: 'Orders placed in each period, by the status they are in now.',
    series: true,
    forMerchants: true,
  },
  members: {
    name: 'members',
    title: 'Members',
    description: 'Shopper accounts opened in each period, and how many there were at its end.',
    series: true,
    forMerchants: false,
  },
  'top-products': {
    name: 'top-products',
    title: 'Top products',
    description:
      'The best-selling listings of the range, by units kept or by net item revenue (per currency).',
    series: false,
    forMerchants: true,
  },
  crawls: {
    name: 'crawls',
    title: 'Crawl statistics',
    description:
      'Crawl runs started in each period, per site: runs, pages fetched and failed, products found and new.',
    series: true,
    forMerchants: true,
  },
};

/** The reports a scope may run: all of them for staff, the ones for merchants for a merchant. */
export function reportsFor(scope: ReportScope): ReportInfo[] {
  return reportNames.map((n) => reportCatalog[n]).filter((r) => !scope.merchantId || r.forMerchants);
}

/** How many listings top-products shows (per currency when ranking by revenue). */
export const TOP_PRODUCTS = 20;
export const UNCATEGORISED = 'Uncategorised';

export const reportQuerySchema = rangeQuerySchema.extend({
  by: z.enum(['units', 'revenue']).default('units').describe('top-products: rank by units or by net revenue'),
});

const orderStatuses = [
  'pending_payment',
  'paid',
  'shipped',
  'delivered',
  'completed',
  'return_requested',
  'refunding',
  'refunded',
  'cancelled',
] as const;
export const statusLabels: Record<(typeof orderStatuses)[number], string> = {
  pending_payment: 'Awaiting payment',
  paid: 'Paid',
  shipped: 'Shipped',
  delivered: 'Delivered',
  completed: 'Completed',
  return_requested: 'Return requested',
  refunding: 'Refunding',
  refunded: 'Refunded',
  cancelled: 'Cancelled',
};

const col = (key: string, label: string, kind: ColumnKind): ReportColumn => ({ key, label, kind });
const moneyColumns = [
  col('gross', 'Gross paid', 'money'),
  col('refunds', 'Refunds', 'money'),
  col('net', 'Net', 'money'),
];

/** Runs one report for a range (validated: 400 on a bad one) within what the scope may see. */
export async function runReport(
  name: string,
  query: unknown,
  scope: ReportScope,
  now = new Date(),
): Promise<ReportResult> {
  if (!isReportName(name)) throw new NotFoundError(`no report called ${name}`);
  const info = reportCatalog[name];
  if (scope.merchantId && !info.forMerchants)
    throw new ForbiddenError('this report covers the whole platform: it is for staff', 'reports:view');
  const parsedBy = reportQuerySchema.shape.by.safeParse((query as { by?: unknown } | null)?.by);
  if (!parsedBy.success) throw ValidationError.field('by', 'by is units or revenue');
  const range = parseRange(query, now);
  const by = parsedBy.data;
  const base = {
    ...info,
    from: range.from,
    to: range.to,
    grain: range.grain,
    timeZone: 'UTC' as const,
    scope: scope.merchantId ? ('own' as const) : ('platform' as const),
  };
  const q = new Bounds(range, scope);
  switch (name) {
    case 'sales':
      return {
        ...base,
        columns: [
          col('period', 'Period', 'period'),
          col('currency', 'Currency', 'currency'),
          col('orders', 'Orders', 'count'),
          ...moneyColumns,
        ],
        rows: await sales(q),
        totals: await salesTotals(q),
      };
    case 'sales-by-category':
      return {
        ...base,
        columns: [
          col('category', 'Category', 'text'),
          col('currency', 'Currency', 'currency'),
          col('orders', 'Orders', 'count'),
          col('units', 'Units', 'count'),
          ...moneyColumns,
        ],
        rows: await salesByCategory(q),
        totals: [],
      };
    case 'sales-by-merchant':
      return {
        ...base,
        columns: [
          col('merchant', 'Merchant', 'text'),
          col('email', 'E-mail', 'text'),
          col('currency', 'Currency', 'currency'),
          col('orders', 'Orders', 'count'),
          ...moneyColumns,
        ],
        rows: await salesByMerchant(q),
        totals: [],
      };
    case 'orders-by-status':
      return {
        ...base,
        columns: [
          col('period', 'Period', 'period'),
          ...orderStatuses.map((s) => col(s, statusLabels[s], 'count')),
          col('total', 'All orders', 'count'),
        ],
        rows: await ordersByStatus(q),
        totals: await ordersTotals(q),
      };
    case 'members':
      return {
        ...base,
        columns: [
          col('period', 'Period', 'period'),
          col('newMembers', 'New members', 'count'),
          col('members', 'Members at period end', 'count'),
        ],
        rows: await members(q),
        totals: await membersTotals(q),
      };
    case 'top-products':
      return {
        ...base,
        by,
        columns: [
          col('rank', 'Rank', 'count'),
          col('product', 'Product', 'text'),
          col('site', 'Shop', 'text'),
          col('currency', 'Currency', 'currency'),
          col('units', 'Units', 'count'),
          ...moneyColumns,
        ],
        rows: await topProducts(q, by),
        totals: [],
      };
    case 'crawls':
      return {
        ...base,
        columns: [
          col('period', 'Period', 'period'),
          col('site', 'Site', 'text'),
          col('runs', 'Runs', 'count'),
          col('completed', 'Completed', 'count'),
          col('failedRuns', 'Failed runs', 'count'),
          col('pagesFetched', 'Pages fetched', 'count'),
          col('pagesFailed', 'Pages failed', 'count'),
          col('productsFound', 'Products found', 'count'),
          col('productsNew', 'New products', 'count'),
        ],
        rows: await crawls(q),
        totals: await crawlsTotals(q),
      };
  }
}

/** The range's SQL fragments: bounds as UTC `timestamp` literals, the grain, the scope. */
class Bounds {
  readonly start: string;
  readonly end: string;
  readonly grain: Grain;
  readonly step: string;
  readonly orders: Prisma.Sql;
  readonly sites: Prisma.Sql;
  constructor(range: ReportRange, scope: ReportScope) {
    this.start = utcTimestamp(range.start);
    this.end = utcTimestamp(range.end);
    this.grain = range.grain;
    this.step = `1 ${range.grain}`;
    this.orders = scope.merchantId ? Prisma.sql`AND o.merchant_id = ${scope.merchantId}::uuid` : Prisma.empty;
    this.sites = scope.merchantId ? Prisma.sql`AND s.owner_id = ${scope.merchantId}::uuid` : Prisma.empty;
  }

  /** The periods of the range: date_trunc of its start, one step at a time, to its end. */
  periods(): Prisma.Sql {
    return Prisma.sql`SELECT generate_series(
      date_trunc(${this.grain}, ${this.start}::timestamp),
      ${this.end}::timestamp - interval '1 millisecond',
      ${this.step}::interval) AS period`;
  }

  /** A timestamp column within the range: [start, end). */
  within(column: Prisma.Sql): Prisma.Sql {
    return Prisma.sql`${column} >= ${this.start}::timestamp AND ${column} < ${this.end}::timestamp`;
  }

  /** Orders that are sales of the range: paid in it, not cancelled. Alias o. */
  sales(): Prisma.Sql {
    return Prisma.sql`${this.within(Prisma.sql`o.paid_at`)} AND o.status <> 'cancelled' ${this.orders}`;
  }

  /** Orders placed in the range, whatever their status. Alias o. */
  placed(): Prisma.Sql {
    return Prisma.sql`${this.within(Prisma.sql`o.created_at`)} ${this.orders}`;
  }

  /** Crawl runs started in the range on sites the scope sees. Aliases r (run) and s (site). */
  runs(): Prisma.Sql {
    return Prisma.sql`${this.within(Prisma.sql`r.created_at`)} ${this.sites}`;
  }
}

/** A row with Postgres's bigints (counts, sums of counts) as plain numbers. */
function numbers<T extends object>(row: T): ReportRow {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]),
  ) as ReportRow;
}

/** One count per status and their total, all zero until counted. */
function statusRow(counts: Iterable<{ status: string; orders: number }>): ReportRow {
  const row: ReportRow = { ...Object.fromEntries(orderStatuses.map((s) => [s, 0])), total: 0 };
  for (const c of counts) {
    row[c.status] = c.orders;
    row.total = (row.total as number) + c.orders;
  }
  return row;
}

const MONEY = Prisma.sql`numeric(20, 2)`;

async function sales(q: Bounds): Promise<ReportRow[]> {
  const rows = await db().$queryRaw<
    Array<{ period: string; currency: string; orders: number; gross: string; refunds: string; net: string }>
  >`
    WITH periods AS (${q.periods()}),
    s AS (
      SELECT date_trunc(${q.grain}, o.paid_at) AS period, o.currency::text AS currency, count(*)::int AS orders,
        sum(o.paid_amount) AS gross, sum(o.refunded_amount) AS refunds
      FROM app_order o WHERE ${q.sales()}
      GROUP BY 1, 2),
    currencies AS (SELECT DISTINCT currency FROM s)
    SELECT to_char(p.period, 'YYYY-MM-DD') AS period, c.currency, coalesce(s.orders, 0) AS orders,
      coalesce(s.gross, 0)::${MONEY}::text AS gross, coalesce(s.refunds, 0)::${MONEY}::text AS refunds,
      (coalesce(s.gross, 0) - coalesce(s.refunds, 0))::${MONEY}::text AS net
    FROM periods p CROSS JOIN currencies c
    LEFT JOIN s ON s.period = p.period AND s.currency = c.currency
    ORDER BY p.period, c.currency`;
  return rows.map((r) => ({ ...r }));
}

async function salesTotals(q: Bounds): Promise<ReportRow[]> {
  return db().$queryRaw<ReportRow[]>`
    SELECT o.currency::text AS currency, count(*)::int AS orders, sum(o.paid_amount)::${MONEY}::text AS gross,
      sum(o.refunded_amount)::${MONEY}::text AS refunds,
      (sum(o.paid_amount) - sum(o.refunded_amount))::${MONEY}::text AS net
    FROM app_order o WHERE ${q.sales()}
    GROUP BY 1 ORDER BY 1`;
}

/** A line's refunded share: all of it once its order was refunded in full, else its refunded items. */
const LINE_PAID = Prisma.sql`(l.line_total - l.discount)`;
const LINE_REFUNDED = Prisma.sql`CASE WHEN o.status = 'refunded' THEN ${LINE_PAID} ELSE l.refunded_amount END`;
const LINE_UNITS = Prisma.sql`(l.quantity - CASE WHEN o.status = 'refunded' THEN l.quantity ELSE l.refunded_quantity END)`;

async function salesByCategory(q: Bounds): Promise<ReportRow[]> {
  const rows = await db().$queryRaw<
    Array<{
      category: string;
      currency: string;
      orders: number;
      units: bigint;
      gross: string;
      refunds: string;
      net: string;
    }>
  >`
    SELECT coalesce(ov.category_path[1], pr.category, ${UNCATEGORISED}) AS category, l.currency::text AS currency,
      count(DISTINCT o.id)::int AS orders, sum(${LINE_UNITS})::bigint AS units,
      sum(${LINE_PAID})::${MONEY}::text AS gross, sum(${LINE_REFUNDED})::${MONEY}::text AS refunds,
      (sum(${LINE_PAID}) - sum(${LINE_REFUNDED}))::${MONEY}::text AS net
    FROM order_line l JOIN app_order o ON o.id = l.order_id
    LEFT JOIN product pr ON pr.id = l.product_id
    LEFT JOIN listing_override ov ON ov.product_id = l.product_id
    WHERE ${q.sales()}
    GROUP BY 1, 2
    ORDER BY 2, sum(${LINE_PAID}) - sum(${LINE_REFUNDED}) DESC, 1`;
  return rows.map(numbers);
}

async function salesByMerchant(q: Bounds): Promise<ReportRow[]> {
  return db().$queryRaw<ReportRow[]>`
    SELECT coalesce(mp.display_name, u.name, u.email) AS merchant, u.email, o.currency::text AS currency,
      count(*)::int AS orders, sum(o.paid_amount)::${MONEY}::text AS gross,
      sum(o.refunded_amount)::${MONEY}::text AS refunds,
      (sum(o.paid_amount) - sum(o.refunded_amount))::${MONEY}::text AS net
    FROM app_order o JOIN app_user u ON u.id = o.merchant_id
    LEFT JOIN merchant_profile mp ON mp.user_id = o.merchant_id
    WHERE ${q.sales()}
    GROUP BY o.merchant_id, 1, 2, 3
    ORDER BY 3, sum(o.paid_amount) - sum(o.refunded_amount) DESC, 1`;
}

async function ordersByStatus(q: Bounds): Promise<ReportRow[]> {
  const counts = await db().$queryRaw<Array<{ period: string; status: string | null; orders: number }>>`
    WITH periods AS (${q.periods()}),
    c AS (
      SELECT date_trunc(${q.grain}, o.created_at) AS period, o.status::text AS status, count(*)::int AS orders
      FROM app_order o WHERE ${q.placed()}
      GROUP BY 1, 2)
    SELECT to_char(p.period, 'YYYY-MM-DD') AS period, c.status, coalesce(c.orders, 0) AS orders
    FROM periods p LEFT JOIN c ON c.period = p.period
    ORDER BY p.period, c.status`;
  // One row per period, one column per status (Postgres counted; this only lays the counts out).
  const byPeriod = new Map<string, Array<{ status: string; orders: number }>>();
  for (const c of counts) {
    const list = byPeriod.get(c.period) ?? [];
    if (c.status) list.push({ status: c.status, orders: c.orders });
    byPeriod.set(c.period, list);
  }
  return [...byPeriod].map(([period, list]) => ({ period, ...statusRow(list) }));
}

async function ordersTotals(q: Bounds): Promise<ReportRow[]> {
  const counts = await db().$queryRaw<Array<{ status: string; orders: number }>>`
    SELECT o.status::text AS status, count(*)::int AS orders FROM app_order o
    WHERE ${q.placed()}
    GROUP BY 1`;
  return [statusRow(counts)];
}

async function membersTotals(q: Bounds): Promise<ReportRow[]> {
  const [row] = await db().$queryRaw<Array<{ newMembers: bigint; members: bigint }>>`
    SELECT count(*) FILTER (WHERE u.created_at >= ${q.start}::timestamp) AS "newMembers", count(*) AS members
    FROM app_user u WHERE u.role = 'shopper' AND u.created_at < ${q.end}::timestamp`;
  return [{ newMembers: Number(row?.newMembers ?? 0), members: Number(row?.members ?? 0) }];
}

async function members(q: Bounds): Promise<ReportRow[]> {
  const rows = await db().$queryRaw<Array<{ period: string; newMembers: bigint; members: bigint }>>`
    WITH periods AS (${q.periods()}),
    n AS (
      SELECT date_trunc(${q.grain}, u.created_at) AS period, count(*) AS joined
      FROM app_user u
      WHERE u.role = 'shopper' AND ${q.within(Prisma.sql`u.created_at`)}
      GROUP BY 1),
    before AS (
      SELECT count(*) AS members FROM app_user u WHERE u.role = 'shopper' AND u.created_at < ${q.start}::timestamp)
    SELECT to_char(p.period, 'YYYY-MM-DD') AS period, coalesce(n.joined, 0)::bigint AS "newMembers",
      (b.members + sum(coalesce(n.joined, 0)) OVER (ORDER BY p.period))::bigint AS members
    FROM periods p LEFT JOIN n ON n.period = p.period CROSS JOIN before b
    ORDER BY p.period`;
  return rows.map(numbers);
}

async function topProducts(q: Bounds, by: 'units' | 'revenue'): Promise<ReportRow[]> {
  const rows = await db().$queryRaw<
    Array<{
      rank: bigint;
      product: string;
      site: string;
      currency: string;
      units: bigint;
      gross: string;
      refunds: string;
      net: string;
    }>
  >`
    WITH t AS (
      SELECT coalesce(ov.title, pr.title, (array_agg(l.title ORDER BY o.paid_at DESC))[1]) AS product,
        s.name AS site, l.currency::text AS currency, sum(${LINE_UNITS}) AS units,
        sum(${LINE_PAID}) AS gross, sum(${LINE_REFUNDED}) AS refunds,
        sum(${LINE_PAID}) - sum(${LINE_REFUNDED}) AS net
      FROM order_line l JOIN app_order o ON o.id = l.order_id JOIN site s ON s.id = l.site_id
      LEFT JOIN product pr ON pr.id = l.product_id
      LEFT JOIN listing_override ov ON ov.product_id = l.product_id
      WHERE ${q.sales()}
      GROUP BY coalesce(l.product_id::text, l.title), pr.title, ov.title, s.name, l.currency),
    ranked AS (
      SELECT t.*, row_number() OVER (
        PARTITION BY CASE WHEN ${by} = 'revenue' THEN t.currency ELSE '' END
        ORDER BY CASE WHEN ${by} = 'revenue' THEN t.net ELSE t.units END DESC,
          CASE WHEN ${by} = 'revenue' THEN t.units ELSE t.net END DESC, t.product, t.site) AS rank
      FROM t)
    SELECT rank, product, site, currency, units::bigint AS units, gross::${MONEY}::text AS gross,
      refunds::${MONEY}::text AS refunds, net::${MONEY}::text AS net
    FROM ranked WHERE rank <= ${TOP_PRODUCTS}
    ORDER BY CASE WHEN ${by} = 'revenue' THEN currency ELSE '' END, rank`;
  return rows.map(numbers);
}

async function crawlsTotals(q: Bounds): Promise<ReportRow[]> {
  const [row] = await db().$queryRaw<Array<Record<string, bigint | null>>>`
    SELECT count(*) AS runs, count(*) FILTER (WHERE r.status = 'completed') AS completed,
      count(*) FILTER (WHERE r.status = 'failed') AS "failedRuns",
      coalesce(sum(r.fetched), 0)::bigint AS "pagesFetched", coalesce(sum(r.failed), 0)::bigint AS "pagesFailed",
      coalesce(sum(r.products_found), 0)::bigint AS "productsFound",
      coalesce(sum(r.products_new), 0)::bigint AS "productsNew"
    FROM crawl_run r JOIN site s ON s.id = r.site_id
    WHERE ${q.runs()}`;
  return [numbers(row ?? {})];
}

async function crawls(q: Bounds): Promise<ReportRow[]> {
  const rows = await db().$queryRaw<
    Array<{
      period: string;
      site: string;
      runs: bigint;
      completed: bigint;
      failedRuns: bigint;
      pagesFetched: bigint;
      pagesFailed: bigint;
      productsFound: bigint;
      productsNew: bigint;
    }>
  >`
    SELECT to_char(date_trunc(${q.grain}, r.created_at), 'YYYY-MM-DD') AS period, s.name AS site,
      count(*) AS runs, count(*) FILTER (WHERE r.status = 'completed') AS completed,
      count(*) FILTER (WHERE r.status = 'failed') AS "failedRuns",
      sum(r.fetched)::bigint AS "pagesFetched", sum(r.failed)::bigint AS "pagesFailed",
      sum(r.products_found)::bigint AS "productsFound", sum(r.products_new)::bigint AS "productsNew"
    FROM crawl_run r JOIN site s ON s.id = r.site_id
    WHERE ${q.runs()}
    GROUP BY 1, 2
    ORDER BY 1, 2`;
  return rows.map(numbers);
}
