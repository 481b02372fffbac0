import type { FC } from 'hono/jsx';
import type { Overview, OverviewEvent } from '../../commerce/overview/types.ts';
import { formatDate, formatPrice, formatWhole } from '../format.ts';
import { AdminLayout } from './layout.tsx';

const eventBadge: Record<OverviewEvent['kind'], [string, string]> = {
  order: ['New order', 'badge-good'],
  return: ['Refund request', 'badge-warn'],
  failed_run: ['Failed crawl', 'badge-bad'],
  price_change: ['Price change', 'badge-accent'],
};

const Kpi: FC<{ label: string; value: string; note?: string; href?: string }> = ({
  label,
  value,
  note,
  href,
}) => (
  <div class="kpi">
    <span class="kpi-label">{label}</span>
    <span class="kpi-value">{href ? <a href={href}>{value}</a> : value}</span>
    {note ? <span class="kpi-note">{note}</span> : null}
  </div>
);

/** The back office's first page: today's figures, the latest events and what needs doing. */
export const AdminHomePage: FC<{ overview: Overview; greeting: string }> = ({ overview, greeting }) => {
  const { orders, members, crawls, products } = overview;
  return (
    <AdminLayout title="Overview" section="home">
      <p class="muted">
        {greeting} Figures for today count from {formatDate(overview.since, true)} (UTC).
      </p>
      <div class="kpis">
        {orders ? (
          <>
            <Kpi label="Orders today" value={formatWhole(orders.placedToday)} href="/admin/orders" />
            {orders.paidToday.length ? (
              orders.paidToday.map((p) => (
                <Kpi
                  label={`Revenue today (${p.currency})`}
                  value={formatPrice(p.amount, p.currency) ?? p.amount}
                  note={`${p.orders} paid ${p.orders === 1 ? 'order' : 'orders'}`}
                />
              ))
            ) : (
              <Kpi label="Revenue today" value="—" note="no order paid yet today" />
            )}
          </>
        ) : null}
        {members ? (
          <Kpi
            label="New members today"
            value={formatWhole(members.newToday)}
            note={`${formatWhole(members.total)} ${members.total === 1 ? 'shopper' : 'shoppers'} in all`}
          />
        ) : null}
        {crawls ? (
          <Kpi
            label="Active crawls"
            value={formatWhole(crawls.active)}
            note={`${crawls.failedThisWeek} failed this week`}
            href="/admin/sites"
          />
        ) : null}
        {products ? (
          <Kpi
            label="Products on sale"
            value={formatWhole(products.onSale)}
            note={`${formatWhole(products.hidden)} hidden · ${formatWhole(products.gone)} gone · ${formatWhole(products.manual)} by hand`}
            href="/admin/products"
          />
        ) : null}
      </div>
      <div class="admin-grid">
        <section class="panel" aria-labelledby="todo-h">
          <h2 id="todo-h">To do</h2>
          {overview.todo.length ? (
            <ul class="todo-list">
              {overview.todo.map((t) => (
                <li>
                  <a href={t.href}>
                    <span>{t.label}</span>
                    <span class={`badge ${t.count > 0 ? 'badge-warn' : 'badge-muted'}`}>{t.count}</span>
                  </a>
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">Nothing for your role.</p>
          )}
        </section>
        <section class="panel" aria-labelledby="events-h">
          <h2 id="events-h">Latest events</h2>
          {overview.events.length ? (
            <ul class="event-list">
              {overview.events.map((e) => {
                const [label, cls] = eventBadge[e.kind];
                return (
                  <li>
                    <span>
                      <span class={`badge ${cls}`}>{label}</span>{' '}
                      <span class="muted small">{formatDate(e.at, true)}</span>
                    </span>
                    <a href={e.href}>{e.title}</a>
                    <span class="muted">{e.detail}</span>
                  </li>
                );
              })}
            </ul>
          ) : (
            <p class="muted">Nothing has happened yet.</p>
          )}
        </section>
      </div>
    </AdminLayout>
  );
};
