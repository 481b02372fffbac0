import type { FC } from 'hono/jsx';
import type { AddressView } from '../../commerce/accounts/types.ts';
import type { Quote } from '../../commerce/orders/types.ts';
import type { PaymentMethodView, WalletView } from '../../commerce/payments/types.ts';
import { CsrfField } from '../components/CsrfField.tsx';
import { Notice } from '../components/Field.tsx';
import { formatPrice } from '../format.ts';
import { Layout } from '../layout.tsx';
import { BreakdownTable } from '../promotions/components.tsx';

export interface CheckoutView {
  addresses: AddressView[];
  quote: Quote | null;
  methods: PaymentMethodView[];
  wallets: WalletView[];
  /** Fresh for each page: submitting this page twice places its orders once. */
  idempotencyKey: string;
  error?: string | null;
}

const AddressChoice: FC<{ addresses: AddressView[]; selected: string | null }> = ({
  addresses,
  selected,
}) => (
  <fieldset class="choice-list">
    <legend>Deliver to</legend>
    {addresses.map((a) => (
      <label class="choice">
        <input type="radio" name="addressId" value={a.id} checked={a.id === selected} required />
        <span>
          <strong>{a.recipient}</strong> · {a.line1}
          {a.line2 ? `, ${a.line2}` : ''}, {[a.postalCode, a.city].filter(Boolean).join(' ')}, {a.country}
          <span class="muted"> · {a.phone}</span>
        </span>
      </label>
    ))}
    <p class="muted">
      <a href="/account#addresses">Add or change addresses</a>
    </p>
  </fieldset>
);

/** The coupon code and points: applied by refreshing the quote, which shows what each did. */
const Savings: FC<{ quote: Quote }> = ({ quote }) => {
  const { coupon, points } = quote;
  const pointsValue = (n: number) => (n / points.perUnit).toFixed(2);
  return (
    <div class="panel">
      <h2>Coupon and points</h2>
      {quote.member.name ? <p class="muted">Your tier: {quote.member.name}</p> : null}
      <div class="apply-row">
        <div class="field">
          <label for="checkout-coupon">Coupon code</label>
          <input
            id="checkout-coupon"
            name="couponCode"
            value={coupon?.code ?? ''}
            maxlength={40}
            autocomplete="off"
            aria-describedby={coupon ? 'checkout-coupon-state' : undefined}
            aria-invalid={coupon?.error ? 'true' : undefined}
          />
        </div>
        <div class="field">
          <label for="checkout-points">Points to use</label>
          <input
            id="checkout-points"
            name="points"
            type="number"
            min="0"
            max={points.available}
            step="1"
            value={points.requested ? String(points.requested) : ''}
            aria-describedby="checkout-points-hint"
          />
        </div>
        <button class="button" type="submit" formaction="/checkout/refresh">
          Apply
        </button>
      </div>
      {coupon ? (
        coupon.error ? (
          <p class="field-error" id="checkout-coupon-state" role="alert">
            Coupon {coupon.code}: {coupon.error}
          </p>
        ) : (
          <p class="notice notice-ok" id="checkout-coupon-state" role="status">
            Coupon {coupon.code} applied.
          </p>
        )
      ) : null}
      <p class="hint muted" id="checkout-points-hint">
        You have {points.available} points ({points.perUnit} points = 1.00); points pay at most{' '}
        {points.maxPercent}% of each order’s items.
        {points.used > 0 ? ` Using ${points.used} points (${pointsValue(points.used)}).` : ''}
      </p>
    </div>
  );
};

export const CheckoutPage: FC<{ view: CheckoutView }> = ({ view }) => {
  const { quote } = view;
  const blocked = quote?.groups.some((g) => !g.shippingMethodId) ?? false;
  return (
    <Layout title="Checkout">
      <section class="page-section checkout">
        <h1>Checkout</h1>
        <Notice kind="error" text={view.error} />
        {view.addresses.length === 0 ? (
          <div class="panel">
            <p>Add a delivery address first.</p>
            <a class="button button-primary" href="/account#addresses">
              Add an address
            </a>
          </div>
        ) : (
          <form method="post" action="/checkout" class="form">
            <CsrfField />
            <input type="hidden" name="idempotencyKey" value={view.idempotencyKey} />
            {quote ? <input type="hidden" name="digest" value={quote.digest} /> : null}
            <div class="panel">
              <AddressChoice
                addresses={view.addresses}
                selected={quote?.addressId ?? view.addresses[0]?.id ?? null}
              />
              <button
                class="button button-small"
                type="submit"
                name="intent"
                value="refresh"
                formaction="/checkout/refresh"
              >
                Update shipping for this address
              </button>
            </div>
            {quote && quote.groups.length > 0 ? <Savings quote={quote} /> : null}
            {quote?.excluded.length ? (
              <Notice
                kind="warn"
                text={`Left out: ${quote.excluded.map((e) => `${e.title} (${e.reason})`).join('; ')}.`}
              />
            ) : null}
            {quote?.groups.map((group, index) => (
              <div class="panel order-group">
                <h2>
                  Order {index + 1} of {quote.groups.length}: {group.merchantName}
                </h2>
                <BreakdownTable
                  breakdown={group.breakdown}
                  titles={Object.fromEntries(group.lines.map((l) => [l.productId, l.title]))}
                />
                <fieldset class="choice-list">
                  <legend>Shipping ({(group.weightG / 1000).toFixed(2)} kg)</legend>
                  {group.shippingOptions.length === 0 ? (
                    <p class="notice notice-error">
                      This merchant has no shipping methods for {group.currency} yet.
                    </p>
                  ) : null}
                  {group.shippingOptions.map((option) => (
                    <label class={`choice${option.available ? '' : ' choice-disabled'}`}>
                      <input
                        type="radio"
                        name={`shipping.${group.key}`}
                        value={option.methodId}
                        checked={option.methodId === group.shippingMethodId}
                        disabled={!option.available}
                      />
                      <span>
                        {option.name}{' '}
                        {option.available ? (
                          <strong>
                            {option.fee === '0.00' ? 'free' : formatPrice(option.fee, group.currency)}
                          </strong>
                        ) : null}
                        {option.note ? <span class="muted"> · {option.note}</span> : null}
                      </span>
                    </label>
                  ))}
                </fieldset>
                <dl class="totals">
                  <div>
                    <dt>Items</dt>
                    <dd>{formatPrice(group.itemsTotal, group.currency)}</dd>
                  </div>
                  {group.discountTotal !== '0.00' ? (
                    <div class="saving">
                      <dt>Discounts</dt>
                      <dd data-discount-total>−{formatPrice(group.discountTotal, group.currency)}</dd>
                    </div>
                  ) : null}
                  <div>
                    <dt>Shipping</dt>
                    <dd>{group.shippingFee ? formatPrice(group.shippingFee, group.currency) : '—'}</dd>
                  </div>
                  <div class="grand-total">
                    <dt>Total</dt>
                    <dd>{group.total ? formatPrice(group.total, group.currency) : '—'}</dd>
                  </div>
                </dl>
              </div>
            ))}
            {quote && quote.groups.length > 0 ? (
              <div class="panel">
                <fieldset class="choice-list">
                  <legend>Pay with</legend>
                  {view.methods.map((method, i) => (
                    <label class="choice">
                      <input type="radio" name="method" value={method.code} checked={i === 0} />
                      <span>
                        <strong>{method.name}</strong> <span class="muted">· {method.description}</span>
                        {method.code === 'balance' ? (
                          <span class="muted">
                            {' '}
                            (
                            {view.wallets.length
                              ? view.wallets.map((w) => formatPrice(w.available, w.currency)).join(', ')
                              : 'no balance yet'}
                            )
                          </span>
                        ) : null}
                      </span>
                    </label>
                  ))}
                </fieldset>
                <button class="button button-primary button-block" type="submit" disabled={blocked}>
                  Place {quote.groups.length === 1 ? 'order' : `${quote.groups.length} orders`} and pay
                </button>
                <p class="muted">
                  Prices are checked again when you place the order; if anything changed you will see it here
                  first.
                </p>
              </div>
            ) : (
              <div class="panel">
                <p>Nothing in your cart can be bought now.</p>
                <a href="/cart">Back to the cart</a>
              </div>
            )}
          </form>
        )}
      </section>
    </Layout>
  );
};
