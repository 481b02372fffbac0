/**
 * What every page of the second development set is made of: the product a page shows (its
 * answers come from here, never from what Trawl extracts), and the helpers the platform
 * templates share (money as each locale writes it, HTML escaping, JSON for scripts).
 */

/** How a shop writes an amount: symbol or code, where it goes, separators, decimals. */
export interface MoneyFormat {
  symbol: string;
  /** Symbol before the amount ("$19.99") or after it ("19,99 €"). */
  before: boolean;
  space: boolean;
  decimal: '.' | ',';
  group: string;
  /** Digits after the decimal separator: 2, or 0 for currencies without a minor unit (CLP, JPY). */
  decimals: number;
  /** Text after the amount and symbol, as Shopify's "money with currency" format writes it ("$19.00 CAD"). */
  suffix?: string;
}

export const FORMATS = {
  usd: { symbol: '$', before: true, space: false, decimal: '.', group: ',', decimals: 2 },
  cad: { symbol: '$', before: true, space: false, decimal: '.', group: ',', decimals: 2 },
  aud: { symbol: '$', before: true, space: false, decimal: '.', group: ',', decimals: 2 },
  mxn: { symbol: '$', before: true, space: false, decimal: '.', group: ',', decimals: 2 },
  clp: { symbol: '$', before: true, space: false, decimal: ',', group: '.', decimals: 0 },
  gbp: { symbol: '£', before: true, space: false, decimal: '.', group: ',', decimals: 2 },
  eurDe: { symbol: '€', before: false, space: true, decimal: ',', group: '.', decimals: 2 },
  eurFr: { symbol: '€', before: false, space: true, decimal: ',', group: '\u202f', decimals: 2 },
  eurNl: { symbol: '€', before: true, space: true, decimal: ',', group: '.', decimals: 2 },
  eurIe: { symbol: '€', before: true, space: false, decimal: '.', group: ',', decimals: 2 },
  chf: { symbol: 'CHF', before: true, space: true, decimal: '.', group: '’', decimals: 2 },
  sek: { symbol: 'kr', before: false, space: true, decimal: ',', group: '\u00a0', decimals: 2 },
  pln: { symbol: 'zł', before: false, space: true, decimal: ',', group: '\u00a0', decimals: 2 },
  jpy: { symbol: '￥', before: true, space: false, decimal: '.', group: ',', decimals: 0 },
  inr: { symbol: '₹', before: true, space: false, decimal: '.', group: ',', decimals: 0 },
  inrRs: { symbol: 'Rs.', before: true, space: true, decimal: '.', group: ',', decimals: 2 },
  brl: { symbol: 'R$', before: true, space: true, decimal: ',', group: '.', decimals: 2 },
} as const satisfies Record<string, MoneyFormat>;

/** `amount` ("1299.5") as the shop writes it. Indian rupees group by lakhs ("1,29,999"). */
export function money(amount: string, format: MoneyFormat, options: { symbol?: boolean } = {}): string {
  const [integer = '0', fraction = ''] = amount.split('.');
  let grouped = '';
  if (format.symbol === '₹' || format.symbol === 'Rs.') {
    const last = integer.slice(-3);
    const rest = integer.slice(0, -3);
    grouped = rest ? `${rest.replace(/\B(?=(\d{2})+(?!\d))/g, format.group)}${format.group}${last}` : last;
  } else grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, format.group);
  const digits =
    format.decimals > 0 ? `${grouped}${format.decimal}${fraction.padEnd(format.decimals, '0')}` : grouped;
  if (options.symbol === false) return digits;
  const gap = format.space ? '\u00a0' : '';
  const written = format.before ? `${format.symbol}${gap}${digits}` : `${digits}${gap}${format.symbol}`;
  return format.suffix ? `${written} ${format.suffix}` : written;
}

/** Minor units ("19.99" → 1999), as Shopify writes prices in its scripts. */
export function cents(amount: string): number {
  const [integer = '0', fraction = ''] = amount.split('.');
  return Number(integer) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON for a script block or an attribute; "</" escaped as pages must. */
export function json(value: unknown): string {
  return JSON.stringify(value).replace(/<\//g, '<\\/');
}

/** Another product shown on the page (related, recently viewed, sponsored): noise around the answer. */
export interface Other {
  name: string;
  price: string;
  was?: string;
  soldOut?: boolean;
  url: string;
}

export interface Variant {
  name: string;
  sku: string;
  price: string;
  was?: string;
  available: boolean;
}

/** One product page: what the shop shows, from which its answers are taken. */
export interface PageSpec {
  id: string;
  /** The platform (or kind of shop) whose markup the page follows: the unit of leave-one-family-out. */
  family: string;
  url: string;
  /** The html element's lang attribute. */
  lang: string;
  currency: string;
  format: MoneyFormat;
  title: string;
  brand: string;
  description: string;
  /** The shop's identifier for the product (or the selected variant). */
  sku: string;
  /** Other identifiers a reader would also accept as the shop's (the variant's and the product's). */
  skuAlternatives?: string[];
  gtin?: string;
  mpn?: string;
  /** What the product sells for now (the selected variant's price). */
  price: string;
  /** The crossed-out or list price, when the product is on sale. */
  was?: string;
  /** A price per unit of measure shown beside the price. */
  unit?: { price: string; per: string };
  available: boolean;
  variants?: Variant[];
  category: string[];
  others: Other[];
  /** Template-specific switches (structured data off, a card price, …). */
  options?: Record<string, string | boolean | number>;
}

/** The page's answers in the product-pages dataset's shape. */
export interface Truth {
  url: string;
  family: string;
  price: string[];
  currency: string[];
  sku: string[];
  availability: ('InStock' | 'OutOfStock')[];
  InStock?: ['InStock'];
  OutOfStock?: ['OutOfStock'];
}

export function truthOf(spec: PageSpec): Truth {
  const availability = spec.available ? 'InStock' : 'OutOfStock';
  // A page that shows no price (an unavailable marketplace listing) has no price to find.
  const truth: Truth = {
    url: spec.url,
    family: spec.family,
    price: spec.price ? [spec.price] : [],
    currency: spec.price ? [spec.currency] : [],
    sku: [spec.sku, ...(spec.skuAlternatives ?? [])],
    availability: [availability],
  };
  if (spec.available) truth.InStock = ['InStock'];
  else truth.OutOfStock = ['OutOfStock'];
  return truth;
}

/** A product description paragraph, long enough to push the page's later blocks away from its heading. */
export function paragraphs(text: string): string {
  return text
    .split('\n')
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join('\n');
}
