import { db, Prisma } from '../../core/db/index.ts';
import { formatAmount } from '../../core/money.ts';

/**
 * The back office's home: what happened today, what happened lately and what needs doing. A
 * read model across contexts (orders, accounts, catalog), so it reads their tables with SQL and
 * writes nothing. A merchant sees its own shops only; sections a user may not see are null.
 */

export interface OverviewScope {
  /** Only this merchant's orders and listings; null for staff who see every one. */
  merchantId: string | null;
  orders: boolean;
  members: boolean;
  crawls: boolean;
  products: boolean;
}

export interface OverviewEvent {
  kind: 'order' | 'return' | 'failed_run' | 'price_change';
  at: Date;
  title: string;
  detail: string;
  href: string;
}

export interface Overview {
  since: Date;
  orders: {
    placedToday: number;
    paidToday: Array<{ currency: string; amount: string; orders: number }>;
  } | null;
  members: { newToday: number; total: number } | null;
  crawls: { active: number; failedThisWeek: number } | null;
  products: { onSale: number; hidden: number; gone: number; manual: number } | null;
  events: OverviewEvent[];
  todo: Array<{ label: string; count: number; href: string }>;
}

/** A price change this large (either way, as a share of the old price) is worth a look. */
export const LARGE_PRICE_CHANGE = 0.2;
const EVENTS = 15;

function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export async function backOfficeOverview(scope: OverviewScope, now = new Date()): Promise<Overview> {
  const since = startOfUtcDay(now);
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  const merchant = scope.merchantId;
  const orderScope = merchant ? Prisma.sql`AND o.merchant_id = ${merchant}::uuid` : Prisma.empty;
  const siteScope = merchant ? Prisma.sql`AND s.owner_id = ${merchant}::uuid` : Prisma.empty;

  const [orders, members, crawls, products, events, todo] = await Promise.all([
    scope.orders ? orderFigures(since, orderScope) : null,
    scope.members ? memberFigures(since) : null,
    scope.crawls ? crawlFigures(weekAgo, siteScope) : null,
    scope.products ? productFigures(siteScope) : null,
    latestEvents(scope, orderScope, siteScope),
    toDo(scope, orderScope, siteScope, weekAgo),
  ]);
  return { since, orders, members, crawls, products, events, todo };
}

async function orderFigures(since: Date, orderScope: Prisma.Sql): Promise<Overview['orders']> {
  const [placed, paid] = await Promise.all([
    db().$queryRaw<Array<{ n: number }>>`
      SELECT count(*)::int AS n FROM app_order o WHERE o.created_at >= ${since} ${orderScope}`,
    db().$queryRaw<Array<{ currency: string; amount: Prisma.Decimal; orders: number }>>`
      SELECT o.currency, sum(o.paid_amount) AS amount, count(*)::int AS orders
      FROM app_order o WHERE o.paid_at >= ${since} ${orderScope}
      GROUP BY o.currency ORDER BY o.currency`,
  ]);
  return {
    placedToday: placed[0]?.n ?? 0,
    paidToday: paid.map((p) => ({
      currency: p.currency.trim(),
      amount: formatAmount(p.amount, p.currency.trim()),
      orders: p.orders,
    })),
  };
}

async function memberFigures(since: Date): Promise<Overview['members']> {
  const [row] = await db().$queryRaw<Array<{ new_today: number; total: number }>>`
    SELECT count(*) FILTER (WHERE created_at >= ${since})::int AS new_today, count(*)::int AS total
    FROM app_user WHERE role = 'shopper'`;
  return { newToday: row?.new_today ?? 0, total: row?.total ?? 0 };
}

async function crawlFigures(weekAgo: Date, siteScope: Prisma.Sql): Promise<Overview['crawls']> {
  const [row] = await db().$queryRaw<Array<{ active: number; failed: number }>>`
    SELECT
      count(*) FILTER (WHERE r.status IN ('queued', 'running', 'paused'))::int AS active,
      count(*) FILTER (WHERE r.status = 'failed' AND r.finished_at >= ${weekAgo})::int AS failed
    FROM crawl_run r JOIN site s ON s.id = r.site_id WHERE TRUE ${siteScope}`;
  return { active: row?.active ?? 0, failedThisWeek: row?.failed ?? 0 };
}

async function productFigures(siteScope: Prisma.Sql): Promise<Overview['products']> {
  const [row] = await db().$queryRaw<
    Array<{ on_sale: number; hidden: number; gone: number; manual: number }>
  >`
    SELECT
      count(*) FILTER (WHERE p.gone_at IS NULL AND o.hidden IS NOT TRUE)::int AS on_sale,
      count(*) FILTER (WHERE o.hidden)::int AS hidden,
      count(*) FILTER (WHERE p.gone_at IS NOT NULL)::int AS gone,
      count(*) FILTER (WHERE p.origin = 'manual')::int AS manual
    FROM product p JOIN site s ON s.id = p.site_id
    LEFT JOIN listing_override o ON o.product_id = p.id
    WHERE TRUE ${siteScope}`;
  return {
    onSale: row?.on_sale ?? 0,
    hidden: row?.hidden ?? 0,
    gone: row?.gone ?? 0,
    manual: row?.manual ?? 0,
  };
}

async function latestEvents(
  scope: OverviewScope,
  orderScope: Prisma.Sql,
  siteScope: Prisma.Sql,
): Promise<OverviewEvent[]> {
  const events: OverviewEvent[] = [];
  if (scope.orders) {
    const orders = await db().$queryRaw<
      Array<{
        number: string;
        status: string;
        total: Prisma.Decimal;
        currency: string;
        at: Date;
        email: string;
      }>
    >`
      SELECT o.number, o.status::text, o.total, o.currency, o.created_at AS at, u.email
      FROM app_order o JOIN app_user u ON u.id = o.user_id
      WHERE TRUE ${orderScope} ORDER BY o.created_at DESC LIMIT ${EVENTS}`;
    for (const o of orders)
      events.push({
        kind: 'order',
        at: o.at,
        title: `Order ${o.number}`,
        detail: `${formatAmount(o.total, o.currency.trim())} ${o.currency.trim()} · ${o.email} · ${o.status.replace('_', ' ')}`,
        href: `/admin/orders/${o.number}`,
      });
    const returns = await db().$queryRaw<Array<{ number: string; reason: string | null; at: Date }>>`
      SELECT o.number, o.return_reason AS reason, e.created_at AS at
      FROM order_event e JOIN app_order o ON o.id = e.order_id
      WHERE e.to_status = 'return_requested' ${orderScope}
      ORDER BY e.created_at DESC LIMIT ${EVENTS}`;
    for (const r of returns)
      events.push({
        kind: 'return',
        at: r.at,
        title: `Refund requested for ${r.number}`,
        detail: r.reason ?? 'no reason given',
        href: `/admin/orders/${r.number}`,
      });
  }
  if (scope.crawls) {
    const runs = await db().$queryRaw<Array<{ id: string; site: string; reason: string | null; at: Date }>>`
      SELECT r.id, s.name AS site, r.failure_reason AS reason, r.finished_at AS at
      FROM crawl_run r JOIN site s ON s.id = r.site_id
      WHERE r.status = 'failed' AND r.finished_at IS NOT NULL ${siteScope}
      ORDER BY r.finished_at DESC LIMIT ${EVENTS}`;
    for (const r of runs)
      events.push({
        kind: 'failed_run',
        at: r.at,
        title: `Crawl of ${r.site} failed`,
        detail: r.reason ?? 'no page could be fetched',
        href: `/admin/crawls/${r.id}`,
      });
  }
  if (scope.products) {
    const changes = await db().$queryRaw<
      Array<{
        id: string;
        title: string;
        old: Prisma.Decimal;
        new: Prisma.Decimal;
        currency: string;
        at: Date;
      }>
    >`
      SELECT p.id, p.title, e.old_price AS old, e.new_price AS new, coalesce(e.new_currency, p.currency) AS currency,
        e.created_at AS at
      FROM product_event e JOIN product p ON p.id = e.product_id JOIN site s ON s.id = p.site_id
      WHERE e.kind = 'price_changed' AND e.old_price > 0 AND e.new_price IS NOT NULL
        AND abs(e.new_price - e.old_price) / e.old_price >= ${LARGE_PRICE_CHANGE} ${siteScope}
      ORDER BY e.created_at DESC LIMIT ${EVENTS}`;
    for (const c of changes) {
      const currency = c.currency?.trim() ?? '';
      const change = c.new.minus(c.old).dividedBy(c.old).times(100).toDecimalPlaces(0);
      events.push({
        kind: 'price_change',
        at: c.at,
        title: c.title,
        detail: `${currency ? `${formatAmount(c.old, currency)} → ${formatAmount(c.new, currency)} ${currency}` : `${c.old} → ${c.new}`} (${change.gt(0) ? '+' : ''}${change}%)`,
        href: `/admin/products/${c.id}`,
      });
    }
  }
  return events.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, EVENTS);
}

async function toDo(
  scope: OverviewScope,
  orderScope: Prisma.Sql,
  siteScope: Prisma.Sql,
  weekAgo: Date,
): Promise<Overview['todo']> {
  const items: Overview['todo'] = [];
  if (scope.orders) {
    const [row] = await db().$queryRaw<Array<{ to_ship: number; returns: number }>>`
      SELECT count(*) FILTER (WHERE o.status = 'paid')::int AS to_ship,
        count(*) FILTER (WHERE o.status = 'return_requested')::int AS returns
      FROM app_order o WHERE o.status IN ('paid', 'return_requested') ${orderScope}`;
    items.push({ label: 'Orders to ship', count: row?.to_ship ?? 0, href: '/admin/orders?status=paid' });
    items.push({
      label: 'Refund requests to review',
      count: row?.returns ?? 0,
      href: '/admin/orders?status=return_requested',
    });
  }
  if (scope.crawls) {
    const [row] = await db().$queryRaw<Array<{ n: number }>>`
      SELECT count(*)::int AS n FROM crawl_run r JOIN site s ON s.id = r.site_id
      WHERE r.status = 'failed' AND r.finished_at >= ${weekAgo} ${siteScope}
        AND NOT EXISTS (
          SELECT 1 FROM crawl_run later WHERE later.site_id = r.site_id AND later.status = 'completed'
            AND later.created_at > r.created_at)`;
    items.push({
      label: 'Failed crawls not yet followed by a good run',
      count: row?.n ?? 0,
      href: '/admin/sites?status=failed',
    });
  }
  return items;
}
