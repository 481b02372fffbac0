import type { FC } from 'hono/jsx';
import type { CartLineView, CartView } from '../../commerce/cart/types.ts';
import { CsrfField } from '../components/CsrfField.tsx';
import { Notice } from '../components/Field.tsx';
import { ProductImage } from '../components/ProductImage.tsx';
import { usePage } from '../context.ts';
import { formatPrice } from '../format.ts';
import { Layout } from '../layout.tsx';

const PriceCell: FC<{ line: CartLineView }> = ({ line }) => {
  const now = formatPrice(line.unitPrice, line.currency);
  if (!now) return <span class="muted">—</span>;
  if (!line.priceChange || !line.previousPrice) return <span>{now}</span>;
  const before = formatPrice(line.previousPrice, line.currency);
  return (
    <span class={`price-change price-${line.priceChange}`}>
      <span class="sr-only">Price changed: was </span>
      <s>{before}</s> {now}
      <span class="badge badge-warn">{line.priceChange === 'up' ? 'Price went up' : 'Price went down'}</span>
    </span>
  );
};

const Line: FC<{ line: CartLineView }> = ({ line }) => (
  <tr class={line.problem ? 'line-blocked' : ''}>
    <td class="cart-item">
      <ProductImage src={line.image} alt="" />
      <div>
        {line.url && !line.problem ? (
          <a href={`/product/${line.productId}`}>{line.title}</a>
        ) : (
          <span>{line.title}</span>
        )}
        <div class="muted">{line.siteName}</div>
        {line.problem ? <span class="badge badge-bad">Cannot be bought: {line.problemText}</span> : null}
      </div>
    </td>
    <td>
      <PriceCell line={line} />
    </td>
    <td>
      <form method="post" action={`/cart/lines/${line.productId}`} class="quantity-form">
        <CsrfField />
        <label class="sr-only" for={`qty-${line.productId}`}>
          Quantity of {line.title}
        </label>
        <input
          id={`qty-${line.productId}`}
          type="number"
          name="quantity"
          value={String(line.quantity)}
          min="0"
          max="99"
        />
        <button type="submit" class="button button-small">
          Update
        </button>
      </form>
    </td>
    <td class="amount">{formatPrice(line.lineTotal, line.currency) ?? '—'}</td>
    <td class="actions">
      <form method="post" action={`/cart/lines/${line.productId}/remove`} class="inline-form">
        <CsrfField />
        <button type="submit" class="link-button button-danger" aria-label={`Remove ${line.title}`}>
          Remove
        </button>
      </form>
    </td>
  </tr>
);

export const CartPage: FC<{
  cart: CartView;
  merchantNames: Record<string, string>;
  message?: string | null;
}> = ({ cart, merchantNames, message }) => {
  const { user } = usePage();
  return (
    <Layout title="Your cart">
      <section class="page-section">
        <h1>Your cart</h1>
        <Notice kind="ok" text={message} />
        {cart.lines.length === 0 ? (
          <div class="panel empty-state">
            <p>Your cart is empty.</p>
            <a class="button button-primary" href="/search">
              Browse the catalog
            </a>
          </div>
        ) : (
          <>
            {cart.lines.some((l) => l.priceChange) ? (
              <Notice
                kind="warn"
                text="Some prices changed since you added the products: the new prices are shown and will be charged."
              />
            ) : null}
            {cart.blocked > 0 ? (
              <Notice
                kind="warn"
                text={`${cart.blocked} ${cart.blocked === 1 ? 'product' : 'products'} cannot be bought now and will be left out of the order.`}
              />
            ) : null}
            <div class="panel">
              <table class="data-table cart-table">
                <thead>
                  <tr>
                    <th scope="col">Product</th>
                    <th scope="col">Price</th>
                    <th scope="col">Quantity</th>
                    <th scope="col">Total</th>
                    <th scope="col">
                      <span class="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {cart.lines.map((line) => (
                    <Line line={line} />
                  ))}
                </tbody>
              </table>
            </div>
            <div class="panel cart-summary">
              <h2>Summary</h2>
              {cart.groups.length === 0 ? (
                <p class="muted">Nothing in the cart can be bought now.</p>
              ) : (
                <ul class="summary-list">
                  {cart.groups.map((group) => (
                    <li>
                      <span>
                        {merchantNames[group.merchantId] ?? 'Merchant'} ({group.lines.length}{' '}
                        {group.lines.length === 1 ? 'item' : 'items'}, {group.currency})
                      </span>
                      <strong>{formatPrice(group.itemsTotal, group.currency)}</strong>
                    </li>
                  ))}
                </ul>
              )}
              {cart.groups.length > 1 ? (
                <p class="muted">
                  Each merchant (and currency) makes an order of its own; shipping is added at checkout.
                </p>
              ) : (
                <p class="muted">Shipping is added at checkout.</p>
              )}
              {cart.groups.length > 0 ? (
                user ? (
                  <a class="button button-primary button-block" href="/checkout">
                    Check out
                  </a>
                ) : (
                  <a class="button button-primary button-block" href="/login?next=%2Fcheckout">
                    Sign in to check out
                  </a>
                )
              ) : null}
            </div>
          </>
        )}
      </section>
    </Layout>
  );
};
