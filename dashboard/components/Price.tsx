import type { FC } from 'hono/jsx';
import { formatPrice } from '../format.ts';

export const Price: FC<{ price: string | null; currency: string | null; large?: boolean }> = ({
  price,
  currency,
  large,
}) => {
  const text = formatPrice(price, currency);
  const cls = large ? 'price price-lg' : 'price';
  return text ? <span class={cls}>{text}</span> : <span class={`${cls} price-none`}>Price not listed</span>;
};
