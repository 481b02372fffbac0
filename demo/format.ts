import type { Currency, DemoProduct } from './catalog.ts';

const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Safe in text and in quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => htmlEscapes[ch] ?? ch);
}

/** JSON for a <script> body: "<" escaped so a "</script>" in the data cannot end the element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** "19.90": the decimal form structured data and the ground truth use. */
export function decimalPrice(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

const symbols: Record<Currency, string> = { EUR: '€', GBP: '£', USD: '$' };

/**
 * The price as a shopper sees it: "€1,299.00", "£19.90", "$5.00", or the continental
 * "1.299,00 €" (with a no-break space, as real shops emit) for EUR products styled so.
 */
export function displayPrice(product: Pick<DemoProduct, 'currency' | 'priceStyle'>, cents: number): string {
  const whole = Math.floor(cents / 100);
  const fraction = String(cents % 100).padStart(2, '0');
  if (product.currency === 'EUR' && product.priceStyle === 'suffix') {
    return `${groupThousands(whole, '.')},${fraction}\u00a0€`;
  }
  return `${symbols[product.currency]}${groupThousands(whole, ',')}.${fraction}`;
}

function groupThousands(value: number, separator: string): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/** GS1 check digit for the first 12 (or 7, 11, 13) digits of a GTIN. */
export function gtinCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = Number(body[body.length - 1 - i]);
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidGtin(gtin: string): boolean {
  if (!/^\d{8}$|^\d{12,14}$/.test(gtin)) return false;
  return gtinCheckDigit(gtin.slice(0, -1)) === Number(gtin.at(-1));
}

/** ASCII URL slug: accents folded, everything else non-alphanumeric collapsed to "-". */
export function slugify(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
