import { raw } from 'hono/html';
import type { FC } from 'hono/jsx';
import type { ProductDetail } from '../../catalog/types.ts';
import { AvailabilityBadge } from '../components/AvailabilityBadge.tsx';
import { CsrfField } from '../components/CsrfField.tsx';
import { Price } from '../components/Price.tsx';
import { PriceChart } from '../components/PriceChart.tsx';
import { ProductImage } from '../components/ProductImage.tsx';
import { formatDate, safeHttpUrl } from '../format.ts';
import { Layout } from '../layout.tsx';
import { Stars } from '../promotions/components.tsx';
import {
  type ListingPromotions,
  ListingPromotionsPanel,
  type ListingReviews,
  ReviewsSection,
} from '../promotions/storefront.tsx';
import { sanitizeDescription } from '../sanitize.ts';
import { searchHref } from '../urls.ts';

/** Thumbnails beyond this are noise on a product page (and hostile pages list hundreds). */
const MAX_IMAGES = 8;

const Gallery: FC<{ images: string[]; title: string }> = ({ images, title }) => {
  const urls = images
    .map(safeHttpUrl)
    .filter((u): u is string => u !== null)
    .slice(0, MAX_IMAGES);
  return (
    <div class="gallery">
      <div class="gallery-main">
        <ProductImage src={urls[0] ?? null} alt={title} id="gallery-main" eager />
      </div>
      {urls.length > 1 ? (
        <ul class="thumbs">
          {urls.map((url, i) => (
            <li>
              <a
                href={url}
                data-full={url}
                class={i === 0 ? 'active' : ''}
                target="_blank"
                rel="noopener noreferrer"
              >
                <img src={url} alt={`${title}, view ${i + 1}`} loading="lazy" referrerpolicy="no-referrer" />
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
};

const Breadcrumb: FC<{ path: string[] }> = ({ path }) => (
  <nav class="breadcrumb" aria-label="Breadcrumb">
    <ol>
      <li>
        <a href="/">Home</a>
      </li>
      {path.map((category, i) => (
        <li>
          <a href={searchHref({}, { category })} aria-current={i === path.length - 1 ? 'page' : undefined}>
            {category}
          </a>
        </li>
      ))}
    </ol>
  </nav>
);

/** Whether the listing can be bought on Trawl now, and if not, why (from the catalog's rules). */
export interface BuyState {
  buyable: boolean;
  reason: string | null;
}

const AddToCart: FC<{ productId: string; buy: BuyState }> = ({ productId, buy }) =>
  buy.buyable ? (
    <form method="post" action="/cart/add" class="add-to-cart">
      <CsrfField />
      <input type="hidden" name="productId" value={productId} />
      <label class="quantity-field">
        <span>Quantity</span>
        <input type="number" name="quantity" value="1" min="1" max="99" required />
      </label>
      <button class="button button-primary" type="submit">
        Add to cart
      </button>
    </form>
  ) : (
    <p class="notice notice-warn">Not for sale on Trawl now: {buy.reason}.</p>
  );

export const ProductPage: FC<{
  product: ProductDetail;
  buy: BuyState;
  promotions?: ListingPromotions;
  reviews?: ListingReviews;
  watch?: unknown;
}> = ({ product, buy, promotions, reviews, watch }) => {
  const shopUrl = safeHttpUrl(product.url);
  const description = product.description ? sanitizeDescription(product.description).trim() : '';
  const attributes = Object.entries(product.attributes).filter(([k, v]) => k && v);
  const facts: Array<[string, string | null]> = [
    ['SKU', product.sku],
    ['GTIN', product.gtin],
    ['Category', product.categoryPath.join(' › ') || null],
    ['Shop', product.site],
    ['Last checked', formatDate(product.lastSeenAt, true)],
  ];
  return (
    <Layout title={product.title}>
      <Breadcrumb path={product.categoryPath} />
      <article class="product">
        <Gallery images={product.images} title={product.title} />
        <div class="product-info">
          {product.brand ? (
            <a class="product-brand" href={searchHref({}, { brand: [product.brand] })}>
              {product.brand}
            </a>
          ) : null}
          <h1 class="product-title">{product.title}</h1>
          {reviews && reviews.rating.count > 0 ? (
            <a href="#reviews" class="product-rating">
              <Stars rating={reviews.rating.average} count={reviews.rating.count} />
            </a>
          ) : null}
          <div class="product-buy">
            <Price price={product.price} currency={product.currency} large />
            <AvailabilityBadge availability={product.availability} />
          </div>
          <AddToCart productId={product.id} buy={buy} />
          {promotions && buy.buyable ? (
            <ListingPromotionsPanel productId={product.id} promotions={promotions} />
          ) : null}
          {shopUrl ? (
            <a class="button button-block" href={shopUrl} target="_blank" rel="nofollow noopener noreferrer">
              View at shop
              <span aria-hidden="true"> ↗</span>
            </a>
          ) : (
            <p class="muted">The shop's link for this product is not available.</p>
          )}
          <dl class="facts">
            {facts
              .filter(([, value]) => value)
              .map(([label, value]) => (
                <div>
                  <dt>{label}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
          </dl>
        </div>
      </article>

      <div class="product-sections">
        <section class="panel">
          <h2>Description</h2>
          {description ? (
            // Crawled HTML: only safe after sanitizeDescription's no-attribute allow-list.
            <div class="description">{raw(description)}</div>
          ) : (
            <p class="muted">The shop gives no description.</p>
          )}
        </section>
        {attributes.length > 0 ? (
          <section class="panel">
            <h2>Specifications</h2>
            <table class="specs">
              <tbody>
                {attributes.map(([name, value]) => (
                  <tr>
                    <th scope="row">{name}</th>
                    <td>{value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}
        <section class="panel">
          <h2>Price history</h2>
          <PriceChart product={product} />
        </section>
        {reviews ? <ReviewsSection productId={product.id} reviews={reviews} /> : null}
        {watch ? <section class="panel">{watch}</section> : null}
      </div>
    </Layout>
  );
};
