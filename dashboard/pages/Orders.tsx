import type { FC } from 'hono/jsx';
import type { OrderDetail, OrderListQuery, OrderSummary } from '../../commerce/orders/types.ts';
import type { PaymentMethodView, PaymentView, WalletView } from '../../commerce/payments/types.ts';
import { AdminLayout } from '../admin/layout.tsx';
import { CsrfField } from '../components/CsrfField.tsx';
import { Field, Notice } from '../components/Field.tsx';
import { formatDate, formatPrice } from '../format.ts';
import { Layout } from '../layout.tsx';

const statusText: Record<string, string> = {
  pending_payment: 'Awaiting payment',
  paid: 'Paid',
  shipped: 'Shipped',
  delivered: 'Delivered',
  completed: 'Completed',
  cancelled: 'Cancelled',
  return_requested: 'Return requested',
  refunding: 'Refunding',
  refunded: 'Refunded',
};
const methodNames: Record<string, string> = { alipay: 'Alipay', wechat: 'WeChat Pay', balance: 'balance' };

const statusTone: Record<string, string> = {
  pending_payment: 'warn',
  paid: 'good',
  shipped: 'good',
  delivered: 'good',
  completed: 'muted',
  cancelled: 'bad',
  return_requested: 'warn',
  refunding: 'warn',
  refunded: 'muted',
};

export const StatusBadge: FC<{ status: string }> = ({ status }) => (
  <span class={`badge badge-${statusTone[status] ?? 'muted'}`}>
    <span class="badge-dot" aria-hidden="true" />
    {statusText[status] ?? status}
  </span>
);

export const OrderTable: FC<{ items: OrderSummary[]; hrefBase: string; showShopper?: boolean }> = ({
  items,
  hrefBase,
  showShopper,
}) => (
  <table class="data-table">
    <thead>
      <tr>
        <th scope="col">Order</th>
        <th scope="col">Placed</th>
        <th scope="col">Merchant</th>
        {showShopper ? <th scope="col">Shopper</th> : null}
        <th scope="col">Items</th>
        <th scope="col">Total</th>
        <th scope="col">Status</th>
      </tr>
    </thead>
    <tbody>
      {items.map((order) => (
        <tr>
          <td>
            <a href={`${hrefBase}/${order.number}`}>{order.number}</a>
          </td>
          <td>{formatDate(order.createdAt, true)}</td>
          <td>{order.merchantName}</td>
          {showShopper ? <td>{order.shopperEmail}</td> : null}
          <td>{order.items}</td>
          <td class="amount">{formatPrice(order.total, order.currency)}</td>
          <td>
            <StatusBadge status={order.status} />
          </td>
        </tr>
      ))}
    </tbody>
  </table>
);

export const MyOrdersPage: FC<{ items: OrderSummary[]; message?: string | null }> = ({ items, message }) => (
  <Layout title="Your orders">
    <section class="page-section">
      <h1>Your orders</h1>
      <Notice kind="ok" text={message} />
      {items.length === 0 ? (
        <div class="panel empty-state">
          <p>No orders yet.</p>
          <a class="button button-primary" href="/search">
            Browse the catalog
          </a>
        </div>
      ) : (
        <div class="panel">
          <OrderTable items={items} hrefBase="/orders" />
        </div>
      )}
    </section>
  </Layout>
);

const Timeline: FC<{ order: OrderDetail }> = ({ order }) => (
  <ol class="timeline">
    {order.timeline.map((event) => (
      <li>
        <StatusBadge status={event.to} />
        <span class="muted">
          {formatDate(event.at, true)} · by {event.by}
        </span>
        {event.note ? <div>{event.note}</div> : null}
      </li>
    ))}
  </ol>
);

const Address: FC<{ address: Record<string, unknown> }> = ({ address }) => (
  <address>
    {String(address.recipient ?? '')}
    <br />
    {String(address.line1 ?? '')}
    {address.line2 ? (
      <>
        <br />
        {String(address.line2)}
      </>
    ) : null}
    <br />
    {[address.postalCode, address.city, address.region].filter(Boolean).map(String).join(' ')},{' '}
    {String(address.country ?? '')}
    <br />
    <span class="muted">{String(address.phone ?? '')}</span>
  </address>
);

/** Buttons and small forms for what the viewer may do with the order now. */
const Actions: FC<{ order: OrderDetail; base: string }> = ({ order, base }) => {
  const can = (action: string) => order.actions.includes(action as OrderDetail['actions'][number]);
  const post = (action: string, label: string, tone = 'button') => (
    <form method="post" action={`${base}/${order.number}/${action}`} class="inline-form">
      <CsrfField />
      <button class={tone} type="submit">
        {label}
      </button>
    </form>
  );
  return (
    <div class="order-actions">
      {order.viewer === 'shopper' && order.status === 'pending_payment' ? (
        <a class="button button-primary" href={`/orders/${order.number}/pay`}>
          Pay {formatPrice(order.total, order.currency)}
        </a>
      ) : null}
      {can('deliver') && order.viewer === 'shopper'
        ? post('deliver', 'I received it', 'button button-primary')
        : null}
      {can('complete') ? post('complete', 'Complete the order') : null}
      {can('deliver') && order.viewer !== 'shopper' ? post('deliver', 'Mark delivered') : null}
      {can('ship') ? (
        <form method="post" action={`${base}/${order.number}/ship`} class="form ship-form">
          <CsrfField />
          <div class="form-row">
            <Field name="carrier" label="Carrier" required id={`carrier-${order.number}`} />
            <Field name="trackingNumber" label="Tracking number" required id={`tracking-${order.number}`} />
          </div>
          <div>
            <button class="button button-primary" type="submit">
              Ship
            </button>
          </div>
        </form>
      ) : null}
      {can('request_return') ? (
        <details class="disclosure">
          <summary>Return this order</summary>
          <form method="post" action={`${base}/${order.number}/return`} class="form">
            <CsrfField />
            <Field name="reason" label="Why are you returning it?" required id={`reason-${order.number}`} />
            <div>
              <button class="button" type="submit">
                Request a return
              </button>
            </div>
          </form>
        </details>
      ) : null}
      {can('approve_return')
        ? post('approve-return', 'Approve the return and refund', 'button button-primary')
        : null}
      {can('reject_return') ? post('reject-return', 'Refuse the return') : null}
      {can('cancel') ? (
        <form method="post" action={`${base}/${order.number}/cancel`} class="inline-form">
          <CsrfField />
          <input
            type="hidden"
            name="reason"
            value={order.viewer === 'shopper' ? 'cancelled by the shopper' : 'cancelled by the merchant'}
          />
          <button class="button button-danger" type="submit">
            {order.status === 'paid' ? 'Cancel and refund' : 'Cancel the order'}
          </button>
        </form>
      ) : null}
    </div>
  );
};

export const OrderPage: FC<{
  order: OrderDetail;
  base: string;
  /** In the back office (merchants, staff) rather than the shopper's pages. */
  admin?: boolean;
  message?: { kind: 'ok' | 'error' | 'warn'; text: string } | null;
  nextToPay?: string | null;
  /** The shopper's reviews of this order's lines (by line), when the order can be reviewed. */
  reviews?: Record<string, { rating: number }> | null;
  /** The group buy the order is part of. */
  group?: { paid: number; size: number; status: string; deadline: Date } | null;
}> = ({ order, base, admin, message, nextToPay, reviews, group }) => {
  const body = (
    <section class="page-section">
      <p class="breadcrumb-line">
        <a href={base}>{base === '/orders' ? 'Your orders' : 'Orders'}</a> › {order.number}
      </p>
      <div class="order-head">
        {admin ? <h2 class="order-number">Order {order.number}</h2> : <h1>Order {order.number}</h1>}
        <StatusBadge status={order.status} />
      </div>
      {message ? <Notice kind={message.kind} text={message.text} /> : null}
      {nextToPay ? (
        <p class="notice notice-warn">
          Another order from this checkout still awaits payment:{' '}
          <a href={`/orders/${nextToPay}/pay`}>pay order {nextToPay}</a>.
        </p>
      ) : null}
      {group ? (
        <p
          class={`notice notice-${group.status === 'failed' ? 'error' : group.status === 'filled' ? 'ok' : 'warn'}`}
        >
          {group.status === 'open'
            ? `Group buy: ${group.paid} of ${group.size} people have paid. It ships once the group fills; if it has not by ${formatDate(group.deadline, true)} UTC, everyone is refunded.`
            : group.status === 'filled'
              ? 'Group buy: the group filled, so the order ships at the group price.'
              : 'Group buy: the group did not fill in time, so the order was cancelled and refunded.'}
        </p>
      ) : null}
      <div class="order-layout">
        <div class="panel">
          <h2>Items from {order.merchant.name}</h2>
          <table class="data-table">
            <tbody>
              {order.lines.map((line) => (
                <tr>
                  <td>
                    {line.productId ? <a href={`/product/${line.productId}`}>{line.title}</a> : line.title}
                    {line.sku ? <div class="muted">SKU {line.sku}</div> : null}
                  </td>
                  <td>
                    {formatPrice(line.unitPrice, order.currency)} × {line.quantity}
                    {line.discount !== '0.00' ? (
                      <div class="saving">−{formatPrice(line.discount, order.currency)} discounts</div>
                    ) : null}
                    {line.refundedQuantity > 0 ? (
                      <div class="muted">
                        {line.refundedQuantity} refunded ({formatPrice(line.refundedAmount, order.currency)})
                      </div>
                    ) : null}
                  </td>
                  <td class="amount">
                    {line.discount !== '0.00' ? (
                      <>
                        <span class="strike">{formatPrice(line.lineTotal, order.currency)}</span>{' '}
                      </>
                    ) : null}
                    {formatPrice(line.paid, order.currency)}
                    {reviews ? (
                      <div>
                        {reviews[line.id] ? (
                          <span class="muted">You rated it {reviews[line.id]!.rating}★</span>
                        ) : (
                          <a
                            class="button button-small"
                            href={`/orders/${order.number}/lines/${line.id}/review`}
                          >
                            Write a review
                          </a>
                        )}
                      </div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <dl class="totals">
            <div>
              <dt>Items</dt>
              <dd>{formatPrice(order.itemsTotal, order.currency)}</dd>
            </div>
            <div>
              <dt>Shipping ({order.shipping.name})</dt>
              <dd>{formatPrice(order.shippingFee, order.currency)}</dd>
            </div>
            {order.discounts.map((d) => (
              <div class="saving">
                <dt>
                  {d.label}
                  {d.points ? ` (${d.points} points)` : ''}
                </dt>
                <dd>−{formatPrice(d.amount, order.currency)}</dd>
              </div>
            ))}
            <div class="grand-total">
              <dt>Total</dt>
              <dd>{formatPrice(order.total, order.currency)}</dd>
            </div>
            {order.paidAmount !== '0.00' ? (
              <div>
                <dt>
                  Paid
                  {order.paymentMethod
                    ? ` with ${methodNames[order.paymentMethod] ?? order.paymentMethod}`
                    : ''}
                </dt>
                <dd>{formatPrice(order.paidAmount, order.currency)}</dd>
              </div>
            ) : null}
            {order.refundedAmount !== '0.00' ? (
              <div>
                <dt>Refunded</dt>
                <dd>{formatPrice(order.refundedAmount, order.currency)}</dd>
              </div>
            ) : null}
          </dl>
          <Actions order={order} base={base} />
        </div>
        <aside class="order-side">
          <div class="panel">
            <h2>Delivery</h2>
            <Address address={order.address} />
            {order.shipping.trackingNumber ? (
              <p>
                {order.shipping.carrier} · <code>{order.shipping.trackingNumber}</code>
              </p>
            ) : null}
            {order.status === 'pending_payment' ? (
              <p class="muted">Unpaid orders are cancelled at {formatDate(order.paymentDeadline, true)}.</p>
            ) : null}
            {order.returnReason ? <p>Return reason: {order.returnReason}</p> : null}
            {order.viewer !== 'shopper' ? <p class="muted">Shopper: {order.shopper.email}</p> : null}
          </div>
          <div class="panel">
            <h2>History</h2>
            <Timeline order={order} />
          </div>
        </aside>
      </div>
    </section>
  );
  return admin ? (
    <AdminLayout title={`Order ${order.number}`} section="orders">
      {body}
    </AdminLayout>
  ) : (
    <Layout title={`Order ${order.number}`}>{body}</Layout>
  );
};

/** Paying an order: the method, and then the provider's page or QR code. */
export const PayPage: FC<{
  order: OrderDetail;
  methods: PaymentMethodView[];
  wallets: WalletView[];
  preferred: string | null;
  payment?: PaymentView | null;
  qrSvg?: string | null;
  scanUrl?: string | null;
  error?: string | null;
}> = ({ order, methods, wallets, preferred, payment, qrSvg, scanUrl, error }) => {
  const wallet = wallets.find((w) => w.currency === order.currency);
  return (
    <Layout title={`Pay order ${order.number}`}>
      <section class="page-section pay-page">
        <h1>
          Pay order {order.number}: {formatPrice(order.total, order.currency)}
        </h1>
        <Notice kind="error" text={error} />
        {payment?.action?.kind === 'qr' ? (
          <div
            class="panel qr-panel"
            data-payment={payment.id}
            data-done={`/orders/${order.number}?done=paid`}
          >
            <h2>Scan to pay with {payment.method === 'wechat' ? 'WeChat Pay' : 'Alipay'}</h2>
            {/* The QR code is an SVG we generated from the provider's code URL. */}
            <div
              class="qr"
              role="img"
              aria-label={`QR code for paying order ${order.number}`}
              dangerouslySetInnerHTML={{ __html: qrSvg ?? '' }}
            />
            <p class="muted">
              Open {payment.method === 'wechat' ? 'WeChat' : 'Alipay'} on your phone and scan the code. This
              page updates by itself when the payment arrives.
            </p>
            {scanUrl ? (
              <p>
                <a class="button" href={scanUrl} target="_blank" rel="noopener">
                  Open the {payment.method === 'wechat' ? 'WeChat Pay' : 'Alipay'} sandbox (stands in for
                  scanning)
                </a>
              </p>
            ) : null}
            <form method="get" action={`/orders/${order.number}`}>
              <button class="button button-primary" type="submit">
                I have paid: check the order
              </button>
            </form>
            <p class="muted" id="payment-status" aria-live="polite">
              Waiting for the payment…
            </p>
          </div>
        ) : (
          <form method="post" action={`/orders/${order.number}/pay`} class="panel form">
            <CsrfField />
            <fieldset class="choice-list">
              <legend>Pay with</legend>
              {methods.map((method) => (
                <label class="choice">
                  <input
                    type="radio"
                    name="method"
                    value={method.code}
                    checked={method.code === (preferred ?? methods[0]?.code)}
                  />
                  <span>
                    <strong>{method.name}</strong> <span class="muted">· {method.description}</span>
                    {method.code === 'balance' ? (
                      <span class="muted">
                        {' '}
                        (available:{' '}
                        {wallet
                          ? formatPrice(wallet.available, wallet.currency)
                          : formatPrice('0', order.currency)}
                        )
                      </span>
                    ) : null}
                  </span>
                </label>
              ))}
            </fieldset>
            <div>
              <button class="button button-primary" type="submit">
                Pay {formatPrice(order.total, order.currency)}
              </button>
            </div>
            <p class="muted">Unpaid orders are cancelled at {formatDate(order.paymentDeadline, true)}.</p>
          </form>
        )}
      </section>
    </Layout>
  );
};

const statuses = [
  'pending_payment',
  'paid',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
  'return_requested',
  'refunding',
  'refunded',
];

/** Orders for merchants (their shops') and staff (all): filters, then the list. */
export const ManageOrdersPage: FC<{
  title: string;
  base: string;
  query: OrderListQuery;
  result: { items: OrderSummary[]; total: number; page: number; pageSize: number };
  merchants?: Array<{ id: string; name: string }>;
}> = ({ title, base, query, result, merchants }) => {
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  const params = (page: number) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(query))
      if (v !== undefined && v !== null && k !== 'page' && k !== 'pageSize')
        p.set(k, v instanceof Date ? v.toISOString().slice(0, 10) : String(v));
    p.set('page', String(page));
    return `${base}?${p.toString()}`;
  };
  return (
    <AdminLayout title={title} section="orders">
      <section class="page-section admin-section">
        <form method="get" action={base} class="panel filters">
          <div class="form-row">
            <div class="field">
              <label for="f-status">Status</label>
              <select id="f-status" name="status">
                <option value="">Any</option>
                {statuses.map((s) => (
                  <option value={s} selected={query.status === s}>
                    {statusText[s]}
                  </option>
                ))}
              </select>
            </div>
            <Field
              name="from"
              label="From"
              type="date"
              value={query.from ? query.from.toISOString().slice(0, 10) : ''}
              id="f-from"
            />
            <Field
              name="to"
              label="To"
              type="date"
              value={query.to ? query.to.toISOString().slice(0, 10) : ''}
              id="f-to"
            />
            <Field name="minTotal" label="Total at least" value={query.minTotal ?? ''} id="f-min" />
            <Field name="maxTotal" label="Total at most" value={query.maxTotal ?? ''} id="f-max" />
            {merchants ? (
              <div class="field">
                <label for="f-merchant">Merchant</label>
                <select id="f-merchant" name="merchantId">
                  <option value="">Any</option>
                  {merchants.map((m) => (
                    <option value={m.id} selected={query.merchantId === m.id}>
                      {m.name}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            <Field name="q" label="Order number" value={query.q ?? ''} id="f-q" />
          </div>
          <div>
            <button class="button button-primary" type="submit">
              Filter
            </button>{' '}
            <a href={base}>Clear</a>
          </div>
        </form>
        <div class="panel">
          <p class="muted">
            {result.total} {result.total === 1 ? 'order' : 'orders'}
          </p>
          {result.items.length ? (
            <OrderTable items={result.items} hrefBase={base} showShopper />
          ) : (
            <p>No orders match.</p>
          )}
          {pages > 1 ? (
            <nav class="pagination" aria-label="Pages">
              {result.page > 1 ? <a href={params(result.page - 1)}>‹ Previous</a> : null}
              <span>
                Page {result.page} of {pages}
              </span>
              {result.page < pages ? <a href={params(result.page + 1)}>Next ›</a> : null}
            </nav>
          ) : null}
        </div>
      </section>
    </AdminLayout>
  );
};

/** A balance top-up paid by QR code: the code, and the page moves on when the money arrives. */
export const TopUpQrPage: FC<{ payment: PaymentView; qrSvg: string; scanUrl: string | null }> = ({
  payment,
  qrSvg,
  scanUrl,
}) => (
  <Layout title="Top up your balance">
    <section class="page-section pay-page">
      <h1>Top up {formatPrice(payment.amount, payment.currency)}</h1>
      <div class="panel qr-panel" data-payment={payment.id} data-done="/account?done=topup#balance">
        <h2>Scan to pay with {payment.method === 'wechat' ? 'WeChat Pay' : 'Alipay'}</h2>
        <div
          class="qr"
          role="img"
          aria-label="QR code for the top-up"
          dangerouslySetInnerHTML={{ __html: qrSvg }}
        />
        {scanUrl ? (
          <p>
            <a class="button" href={scanUrl} target="_blank" rel="noopener">
              Open the {payment.method === 'wechat' ? 'WeChat Pay' : 'Alipay'} sandbox (stands in for
              scanning)
            </a>
          </p>
        ) : null}
        <p class="muted" id="payment-status" aria-live="polite">
          Waiting for the payment…
        </p>
        <a href="/account#balance">Back to your account</a>
      </div>
    </section>
  </Layout>
);
