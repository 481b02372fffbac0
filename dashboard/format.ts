import type { AvailabilityValue } from '../core/product.ts';

// One fixed locale: the storefront is English and a per-request locale would make
// cached pages differ by Accept-Language.
const LOCALE = 'en-US';

const currencyFormats = new Map<string, Intl.NumberFormat>();
const plainFormat = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const wholeFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });

/** A stored decimal string as money in its own currency, or null when there is no usable price. */
export function formatPrice(
  price: string | number | null,
  currency: string | null,
  options: { whole?: boolean } = {},
): string | null {
  if (price === null) return null;
  const amount = Number(price);
  if (!Number.isFinite(amount)) return null;
  const whole = options.whole === true;
  if (!currency) return (whole ? wholeFormat : plainFormat).format(amount);
  const cacheKey = `${currency}${whole ? ':whole' : ''}`;
  let format = currencyFormats.get(cacheKey);
  if (!format) {
    try {
      format = new Intl.NumberFormat(LOCALE, {
        style: 'currency',
        currency,
        ...(whole ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {}),
      });
    } catch {
      // Intl rejects malformed codes; the catalog validates them, but a page must never crash on one.
      return `${(whole ? wholeFormat : plainFormat).format(amount)} ${currency}`;
    }
    currencyFormats.set(cacheKey, format);
  }
  return format.format(amount);
}

export function formatWhole(value: number): string {
  return wholeFormat.format(value);
}

export function formatDate(date: Date, withTime = false): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
    timeZone: 'UTC',
  }).format(date);
}

/**
 * The URL if it is absolute http(s), else null. Crawled URLs end up in `src` and `href`,
 * where `javascript:` or `data:` would run or smuggle content.
 */
export function safeHttpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

export const availabilityInfo: Record<
  AvailabilityValue,
  { label: string; tone: 'good' | 'bad' | 'warn' | 'muted' }
> = {
  InStock: { label: 'In stock', tone: 'good' },
  OutOfStock: { label: 'Out of stock', tone: 'bad' },
  PreOrder: { label: 'Pre-order', tone: 'warn' },
  BackOrder: { label: 'Backorder', tone: 'warn' },
  Discontinued: { label: 'Discontinued', tone: 'muted' },
  Unknown: { label: 'Availability unknown', tone: 'muted' },
};
