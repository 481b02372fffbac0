import type { FC } from 'hono/jsx';
import type { ProductSummary } from '../../catalog/types.ts';
import { Stars } from '../promotions/components.tsx';
import { productHref } from '../urls.ts';
import { AvailabilityBadge } from './AvailabilityBadge.tsx';
import { Price } from './Price.tsx';
import { ProductImage } from './ProductImage.tsx';

export const ProductCard: FC<{ product: ProductSummary }> = ({ product }) => (
  <li class="card">
    <a class="card-link" href={productHref(product.productId)}>
      <div class="card-media">
        <ProductImage src={product.image} alt="" />
      </div>
      <div class="card-body">
        {product.brand ? <span class="card-brand">{product.brand}</span> : null}
        <h3 class="card-title">{product.title}</h3>
        {product.ratingCount > 0 ? (
          <Stars rating={product.rating} count={product.ratingCount} compact />
        ) : null}
        <div class="card-foot">
          <span class="card-price">
            {product.offers > 1 ? <span class="card-offers">{product.offers} offers from </span> : null}
            <Price price={product.price} currency={product.currency} />
          </span>
          <AvailabilityBadge availability={product.availability} />
        </div>
      </div>
    </a>
  </li>
);

export const ProductGrid: FC<{ products: ProductSummary[] }> = ({ products }) => (
  <ul class="grid">
    {products.map((product) => (
      <ProductCard product={product} />
    ))}
  </ul>
);
