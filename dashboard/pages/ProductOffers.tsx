import { raw } from 'hono/html';
import type { FC } from 'hono/jsx';
import type { CatalogProductDetail, WatchView } from '../../catalog/types.ts';
import { AvailabilityBadge } from '../components/AvailabilityBadge.tsx';
import { CsrfField } from '../components/CsrfField.tsx';
import { Price } from '../components/Price.tsx';
import { PriceChart } from '../components/PriceChart.tsx';
import { ProductImage } from '../components/ProductImage.tsx';
import { formatDate, safeHttpUrl } from '../format.ts';
import { Layout } from '../layout.tsx';
import { sanitizeDescription } from '../sanitize.ts';
import { searchHref } from '../urls.ts';

/** What the page knows about buying one offer: from the catalog's rules and the shopper's address. */
export interface OfferExtras {
  buyable: boolean;
  reason: string | null;
  /** The cheapest shipping to the shopper's default address, "free", or why none is known. */
  shipping: { fee: string | null; currency: string | null; note: string };
  /** Merchant rating out of 5 and how many reviews, when the shop has any. */
  rating: { score: number; count: number } | null;
}

export interface ProductOffersView {
  product: CatalogProductDetail;
  extras: Record<string, OfferExtras>;
  /** null: not signed in. */
  watch: WatchView | null | undefined;
  flash?: { kind: 'ok' | 'error'; text: string };
}

export const WatchForm: FC<{ view: ProductOffersView }> = ({ view }) => {
  const { product, watch } = view;
  if (watch === undefined)
    return (
      <p class="muted">
        <a href={`/login?next=${encodeURIComponent(`/product/${product.id}`)}`}>Sign in</a> to watch this
        product's price.
      </p>
    );
  const currency = watch?.currency ?? product.offers[0]?.currency ?? 'EUR';
  return (
    <form method="post" action={`/product/${product.id}/watch`} class="watch-form" id="watch">
      <CsrfField />
      <h2>Watch the price</h2>
      <p class="muted">
        You are told in your account (and by your webhook, if you give one) when an offer in stock falls below
        your price.
      </p>
      <label>
        <span>Below ({currency})</span>
        <input name="maxPrice" inputmode="decimal" required value={watch?.maxPrice ?? ''} />
      </label>
      <input type="hidden" name="currency" value={currency} />
      <label>
        <span>Webhook (https, optional)</span>
        <input
          name="webhookUrl"
          type="url"
          placeholder="https://example.com/hooks/trawl"
          value={watch?.webhookUrl ?? ''}
        />
      </label>
      <button class="button button-primary" type="submit">
        {watch ? 'Update watch' : 'Watch'}
      </button>
      {watch ? (
        <button class="button" type="submit" formaction={`/product/${product.id}/unwatch`}>
          Stop watching
        </button>
      ) : null}
    </form>
  );
};

export const ProductOffersPage: FC<{ view: ProductOffersView }> = ({ view }) => {
  const { product, extras } = view;
  const best = product.offers[0]!;
  const description = product.description ? sanitizeDescription(product.description).trim() : '';
  const image = product.images.map(safeHttpUrl).find((u) => u !== null) ?? null;
  return (
    <Layout title={product.title}>
      <nav class="breadcrumb" aria-label="Breadcrumb">
        <ol>
          <li>
            <a href="/">Home</a>
          </li>
          {product.categoryPath.map((category) => (
            <li>
              <a href={searchHref({}, { category })}>{category}</a>
            </li>
          ))}
        </ol>
      </nav>
      {view.flash ? (
        <p class={`notice notice-${view.flash.kind === 'ok' ? 'ok' : 'warn'}`} role="status">
          {view.flash.text}
        </p>
      ) : null}
      <article class="product">
        <div class="gallery">
          <div class="gallery-main">
            <ProductImage src={image} alt={product.title} eager />
          </div>
        </div>
        <div class="product-info">
          {product.brand ? (
            <a class="product-brand" href={searchHref({}, { brand: [product.brand] })}>
              {product.brand}
            </a>
          ) : null}
          <h1 class="product-title">{product.title}</h1>
          <p class="offer-summary" data-offers={product.offers.length}>
            {product.offers.length === 1 ? '1 offer' : `${product.offers.length} offers`} from{' '}
            <Price price={best.price} currency={best.currency} large />
          </p>
          {product.gtin ? <p class="muted">GTIN {product.gtin}</p> : null}
          <WatchForm view={view} />
        </div>
      </article>

      <section class="panel">
        <h2>Offers</h2>
        <table class="offers">
          <thead>
            <tr>
              <th scope="col">Shop</th>
              <th scope="col">Price</th>
              <th scope="col">Shipping</th>
              <th scope="col">Availability</th>
              <th scope="col">Rating</th>
              <th scope="col">Last checked</th>
              <th scope="col">
                <span class="visually-hidden">Buy</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {product.offers.map((offer) => {
              const extra = extras[offer.id];
              const shopUrl = safeHttpUrl(offer.url);
              return (
                <tr data-offer={offer.id}>
                  <th scope="row">
                    {shopUrl ? (
                      <a href={shopUrl} target="_blank" rel="nofollow noopener noreferrer">
                        {offer.site}
                      </a>
                    ) : (
                      offer.site
                    )}
                  </th>
                  <td>
                    <Price price={offer.price} currency={offer.currency} />
                  </td>
                  <td>
                    {extra?.shipping.fee !== null && extra?.shipping.fee !== undefined ? (
                      <Price price={extra.shipping.fee} currency={extra.shipping.currency} />
                    ) : (
                      <span class="muted">{extra?.shipping.note ?? '—'}</span>
                    )}
                  </td>
                  <td>
                    <AvailabilityBadge availability={offer.availability} />
                  </td>
                  <td>
                    {extra?.rating ? (
                      `${extra.rating.score.toFixed(1)} / 5 (${extra.rating.count})`
                    ) : (
                      <span class="muted">no ratings yet</span>
                    )}
                  </td>
                  <td>{formatDate(offer.lastSeenAt, true)}</td>
                  <td>
                    {extra?.buyable ? (
                      <form method="post" action="/cart/add" class="add-to-cart">
                        <CsrfField />
                        <input type="hidden" name="productId" value={offer.id} />
                        <input type="hidden" name="quantity" value="1" />
                        <button class="button button-primary" type="submit">
                          Add to cart
                        </button>
                      </form>
                    ) : (
                      <span class="muted">{extra?.reason ?? 'not for sale on Trawl'}</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>

      <div class="product-sections">
        <section class="panel">
          <h2>Description</h2>
          {description ? (
            // Crawled HTML: only safe after sanitizeDescription's no-attribute allow-list.
            <div class="description">{raw(description)}</div>
          ) : (
            <p class="muted">The shops give no description.</p>
          )}
        </section>
        {product.offers.map((offer) => (
          <section class="panel">
            <h2>Price history at {offer.site}</h2>
            <PriceChart product={offer} />
          </section>
        ))}
      </div>
    </Layout>
  );
};
