import type { FC } from 'hono/jsx';
import { safeHttpUrl } from '../format.ts';

/**
 * Product images are hot-linked from the shops; no-referrer keeps shoppers' browsing out
 * of the shops' logs. Without a usable URL a neutral placeholder keeps the grid even, and an
 * image the shop no longer serves is swapped for the same placeholder in the browser
 * (`data-product-image`, see scripts.ts).
 */
export const ProductImage: FC<{ src: string | null; alt: string; id?: string; eager?: boolean }> = ({
  src,
  alt,
  id,
  eager,
}) => {
  const url = safeHttpUrl(src);
  if (!url) {
    return (
      <div class="img-placeholder" role="img" aria-label="No image">
        <svg viewBox="0 0 24 24" width="40" height="40" aria-hidden="true">
          <path
            fill="currentColor"
            d="M21 5v14H3V5h18m0-2H3a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h18a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2zm-7.1 9.1-3 3.9L8.8 13.3 6 17h12l-4.1-4.9z"
          />
        </svg>
      </div>
    );
  }
  return (
    <img
      src={url}
      alt={alt}
      id={id}
      loading={eager ? 'eager' : 'lazy'}
      decoding="async"
      referrerpolicy="no-referrer"
      data-product-image
    />
  );
};
