/**
 * Application state embedded in the page: `__NEXT_DATA__`, Nuxt's `__NUXT__`, Shopify's product
 * JSON (`ShopifyAnalytics.meta.product`, `data-product-json`, `var meta = {…}`), and any other
 * JSON object assigned or pushed in an inline script (data layers, window.* state). Objects that
 * look like a product — a name with a price, offers or SKU — are read; the one named like the
 * page's heading wins.
 */
import type { Element } from 'domhandler';
import { normaliseAvailability } from '../normalise/availability.ts';
import { minorDigits } from '../normalise/currency.ts';
import { resolveHttpUrl } from '../normalise/url.ts';
import { baseUrl, firstHeading, indexPage, nameKey, rawTextOf, startsAsJson, textOf } from './dom.ts';
import { scoreFields } from './fields.ts';
import { angularState, astroProps, flightRows } from './state-formats.ts';
import type { ExtractorPage, Fields, ScoredFields } from './types.ts';

const MAX_SCRIPT = 3_000_000;
const MAX_STARTS_PER_SCRIPT = 40;
const MAX_JSON = 1_500_000;
const MAX_NODES = 30_000;
const MAX_SCRIPTS = 200;
// Inline scripts read per page, in characters: bounds the cost of script-heavy pages.
const MAX_SCANNED = 2_000_000;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * End index (exclusive) of the JSON value starting at `start` ('{' or '['), by bracket balance.
 * Quoted strings are jumped over with a native search for their closing quote (one not escaped
 * by an odd run of backslashes): scripts are mostly string data, and this runs over all of it.
 */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  const limit = Math.min(text.length, start + MAX_JSON);
  for (let i = start; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE || c === APOSTROPHE) {
      const quote = c === QUOTE ? '"' : "'";
      let from = i + 1;
      for (;;) {
        const close = text.indexOf(quote, from);
        if (close < 0 || close >= limit) return -1;
        let backslashes = 0;
        while (close - backslashes - 1 > i && text.charCodeAt(close - backslashes - 1) === BACKSLASH)
          backslashes++;
        if (backslashes % 2 === 0) {
          i = close;
          break;
        }
        from = close + 1;
      }
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

// `x = {`, `x: {`, `push({`, `(… , {`, `JSON.parse('{` is not followed (escaped JSON).
const START = /(?:[=:(,]|\breturn)\s*([{[])/g;

/** JSON values written in a script: the whole text when it is JSON, else assigned/pushed literals. */
export function scriptJson(source: string, errors?: string[]): unknown[] {
  const text = source.trim();
  const out: unknown[] = [];
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      out.push(JSON.parse(text));
      return out;
    } catch {
      // not JSON as a whole: look for literals inside
    }
  }
  START.lastIndex = 0;
  let starts = 0;
  let match: RegExpExecArray | null = START.exec(text);
  while (match && starts < MAX_STARTS_PER_SCRIPT) {
    const open = match.index + match[0].length - 1;
    const end = balancedEnd(text, open);
    if (end > open) {
      starts++;
      const candidate = text.slice(open, end);
      // Tiny literals ({}, [1,2]) hold no product.
      if (candidate.length > 20 && candidate.includes('"')) {
        try {
          out.push(JSON.parse(candidate));
          START.lastIndex = end;
        } catch {
          // JavaScript, not JSON: keep looking inside it
        }
      }
    } else if (end < 0 && errors && text.length - open > MAX_JSON) {
      errors.push('state: script literal too large, skipped');
      break;
    }
    match = START.exec(text);
  }
  return out;
}

// Shops whose back end is written in Portuguese or Spanish name their keys so ("nome", "preco").
const NAME_KEYS = [
  'name',
  'title',
  'productName',
  'product_name',
  'productTitle',
  'item_name',
  'nome',
  'nombre',
];
// The price paid now first: a discounted or final price over the sale price, the sale price over
// a plain price beside it ({"salePrice": 129000, "discountedSalePrice": 98000}). List, original,
// MRP, member and base (before tax) prices are never read.
const PRICE_KEYS = [
  'finalPrice',
  'final_price',
  'discountedSalePrice',
  'discountedPrice',
  'discounted_price',
  'discounted',
  'salePriceMoney',
  'salePrice',
  'sale_price',
  'sellingPrice',
  'selling_price',
  'currentPrice',
  'current_price',
  'offerPrice',
  'priceMoney',
  'price',
  'priceValue',
  'price_value',
  'productPrice',
  'item_price',
  'display_price',
  'prices',
  'preco',
  'preço',
  'precio',
  'price_info',
];
// Keys that name their amount in minor units: {"priceInCents": 3495}, commercetools' "centAmount".
const CENT_KEYS = [
  'priceInCents',
  'price_in_cents',
  'priceCents',
  'price_cents',
  'amountInCents',
  'centAmount',
  'preco_centavos',
  'precio_centavos',
];
// Arrays of a product's variants: Shopify's `variants`, a storefront API's `productVariants`,
// WooCommerce's `variations`.
const VARIANT_KEYS = [
  'variants',
  'productVariants',
  'variations',
  'variantList',
  'skus',
  'variacoes',
  'variaciones',
  // Fashion shops' colourways, each with its own price and sizes.
  'colors',
  'colours',
  'colorways',
];
// Keys only Shopify's product JSON gives a variant: its prices are in cents.
const SHOPIFY_VARIANT_KEYS = [
  'compare_at_price',
  'inventory_management',
  'inventory_policy',
  'requires_shipping',
];
const SKU_KEYS = [
  'sku',
  'SKU',
  'productSKU',
  'productSku',
  'product_sku',
  'skuId',
  'sku_id',
  'articleNumber',
  'article_number',
  'articleNo',
  'itemNumber',
  'item_number',
  'productCode',
  'product_code',
  'productNumber',
  'product_number',
];
const GTIN_KEYS = ['gtin', 'gtin13', 'gtin12', 'gtin8', 'gtin14', 'ean', 'ean13', 'upc', 'barcode'];
const CURRENCY_KEYS = ['currency', 'currencyCode', 'currency_code', 'priceCurrency', 'moeda', 'moneda'];
const AVAILABILITY_KEYS = [
  'availability',
  'stockStatus',
  'stock_status',
  'inStock',
  'instock',
  'in_stock',
  'isInStock',
  'is_in_stock',
  'available',
  'isAvailable',
  'is_available',
  'availabilityStatus',
  'availability_status',
  'inventoryStatus',
  'inventory_status',
  'orderable',
  'isOrderable',
  'purchasable',
  'isPurchasable',
  'is_purchasable',
  'availableForSale',
  'is_salable',
  'isSalable',
  'disponivel',
  'disponible',
  'available_for_sale',
  'isOnStock',
];
// Booleans that say the opposite: true is sold out.
const SOLD_OUT_KEYS = [
  'soldOut',
  'sold_out',
  'isSoldOut',
  'is_sold_out',
  'outOfStock',
  'isOutOfStock',
  'is_out_of_stock',
];
const STOCK_FLAG_KEYS = [...AVAILABILITY_KEYS, ...SOLD_OUT_KEYS];
// Objects that hold the stock state: {"inventory": {"orderable": false, "status": "OUT_OF_STOCK"}}.
const STOCK_OBJECT_KEYS = ['inventory', 'stock', 'availability', 'stockInfo', 'inventoryInfo'];
const STATE_KEYS = [...AVAILABILITY_KEYS, 'status', 'state', 'displayState', 'value'];
const BRAND_KEYS = ['brand', 'vendor', 'manufacturer', 'brandName', 'brand_name'];
const IMAGE_KEYS = ['image', 'imageUrl', 'image_url', 'featured_image', 'mainImage', 'images'];

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function first(obj: Json, keys: string[]): unknown {
  // Each key read once: every object of a page's state is asked for a dozen keys.
  for (let i = 0; i < keys.length; i++) {
    const value = obj[keys[i] as string];
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

interface Candidate {
  obj: Json;
  name: string;
  cents: boolean;
  score: number;
  /** Named after the page's heading for want of a name of its own (product facts, or a variant's). */
  nameless: boolean;
}

/** An amount given in minor units ("centAmount": 3495, "fractionDigits": 2), as a decimal. */
function fromMinor(value: unknown, digits: number): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) return undefined;
  return digits > 0 ? (value / 10 ** digits).toFixed(digits) : String(value);
}

function priceOf(value: unknown, cents: boolean): string | undefined {
  // A list of prices (per country or channel): the first.
  if (Array.isArray(value)) return value.length > 0 ? priceOf(value[0], cents) : undefined;
  if (isObject(value)) {
    const minor = first(value, CENT_KEYS);
    if (minor !== undefined) {
      const digits =
        typeof value.fractionDigits === 'number'
          ? value.fractionDigits
          : minorDigits(scalar(first(value, CURRENCY_KEYS)));
      return fromMinor(minor, digits);
    }
    return priceOf(
      // BigCommerce: {"with_tax": {…}, "without_tax": {"value": 890, "currency": "THB"}}.
      first(value, [
        'amount',
        'value',
        'current',
        'final',
        'discounted',
        'sale',
        'selling',
        'price',
        'raw',
        'final_price',
        'salePrice',
        'sale_price',
        // A gross and a net amount: what a consumer pays is the gross one.
        'with_tax',
        'withTax',
        'amountIncl',
        'inclTax',
        'incl_tax',
        'inclVat',
        'incl_vat',
        'gross',
        'without_tax',
        // A price object with no sale price set: its regular price is the price.
        'listPrice',
        'list_price',
        'regularPrice',
      ]),
      cents,
    );
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return undefined;
    // Shopify writes prices in cents.
    return cents && Number.isInteger(value) ? (value / 100).toFixed(2) : String(value);
  }
  const text = scalar(value);
  return text && /\d/.test(text) && text.length < 50 ? text : undefined;
}

/**
 * The first of `keys` that holds a price above zero: a sale price of 0 ("not on sale") leaves
 * the plain price to be read.
 */
function firstPrice(obj: Json, keys: string[], cents: boolean): string | undefined {
  for (let i = 0; i < keys.length; i++) {
    const value = obj[keys[i] as string];
    if (value === undefined || value === null || value === '') continue;
    const price = priceOf(value, cents);
    if (price !== undefined && /[1-9]/.test(price)) return price;
  }
  return undefined;
}

const LOCALE_KEY = /^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$/;

/** A name given per locale ({"de-AT": "Yogamatte", "en": "Yoga mat"}): the one like the heading, else the first. */
function localizedName(value: unknown, heading: string | undefined): string | undefined {
  if (!isObject(value)) return undefined;
  const entries = Object.entries(value);
  if (entries.length === 0 || entries.length > 40) return undefined;
  if (!entries.every(([k, v]) => LOCALE_KEY.test(k) && typeof v === 'string')) return undefined;
  const names = entries.map(([, v]) => (v as string).trim()).filter(Boolean);
  return (heading ? names.find((n) => matchesHeading(n, heading)) : undefined) ?? names[0];
}

/** The currency of a price object or list: {"currencyCode": "EUR"}, [{"value": {"currencyCode": …}}]. */
function priceCurrency(value: unknown, depth = 0): string | undefined {
  if (Array.isArray(value)) return priceCurrency(value[0], depth);
  if (!isObject(value) || depth > 2) return undefined;
  return (
    scalar(first(value, CURRENCY_KEYS)) ??
    priceCurrency(first(value, ['value', 'amount', 'price', 'with_tax', 'without_tax']), depth + 1)
  );
}

function nameOf(value: unknown): string | undefined {
  if (isObject(value)) return scalar(first(value, ['name', 'title']));
  return scalar(value);
}

function availabilityOf(value: unknown, depth = 0): string | undefined {
  if (typeof value === 'boolean') return value ? 'InStock' : 'OutOfStock';
  // A flag written as a string (Magento's "is_salable": "0").
  if (value === '0' || value === 'false') return 'OutOfStock';
  if (value === '1' || value === 'true') return 'InStock';
  if (isObject(value)) return depth < 2 ? availabilityOf(first(value, STATE_KEYS), depth + 1) : undefined;
  const text = scalar(value);
  // Only wording that says something: a value of another kind (a minified framework's reference
  // such as "q", an internal code) would otherwise outrank what the page itself says.
  return text && text.length < 100 && normaliseAvailability(text) !== 'Unknown' ? text : undefined;
}

/** A GraphQL connection's items (`{"nodes": […]}`, `{"edges": [{"node": …}]}`), or the value as it is. */
function connection(value: unknown): unknown {
  if (!isObject(value)) return value;
  if (Array.isArray(value.nodes)) return value.nodes;
  if (Array.isArray(value.edges)) return value.edges.map((e) => (isObject(e) ? e.node : undefined));
  return value;
}

/** The product's variants, under whichever key the platform uses (commercetools' `masterVariant` first). */
function variantsOf(obj: Json): Json[] {
  const value = connection(first(obj, VARIANT_KEYS));
  const listed = Array.isArray(value) ? value.filter(isObject) : [];
  return isObject(obj.masterVariant) ? [obj.masterVariant, ...listed] : listed;
}

const priced = (obj: Json): boolean =>
  first(obj, PRICE_KEYS) !== undefined || first(obj, CENT_KEYS) !== undefined;

/** Objects shaped like a product (a name plus a price, offers or SKU), breadth-first. */
function candidates(roots: { value: unknown; cents: boolean }[], heading?: string): Candidate[] {
  const out: Candidate[] = [];
  const queue: { value: unknown; cents: boolean }[] = [...roots];
  for (let i = 0; i < queue.length && i < MAX_NODES; i++) {
    const { value, cents } = queue[i] as { value: unknown; cents: boolean };
    if (Array.isArray(value)) {
      for (const item of value.slice(0, 500))
        if (typeof item === 'object' && item !== null) queue.push({ value: item, cents });
      continue;
    }
    if (!isObject(value)) continue;
    const nameValue = first(value, NAME_KEYS);
    // Product facts without a name (BigCommerce's `BCData.product_attributes`: "sku", a price
    // and stock) are the page's own product's, below any named candidate (a named product's
    // variants look the same).
    const nameless =
      nameValue === undefined &&
      heading !== undefined &&
      (value.sku !== undefined || value.SKU !== undefined) &&
      priced(value) &&
      first(value, STOCK_FLAG_KEYS) !== undefined;
    const name = nameless ? heading : (scalar(nameValue) ?? localizedName(nameValue, heading));
    if (name && name.length < 500 && !/^https?:/.test(name)) {
      const variant = variantsOf(value)[0];
      const hasPrice = priced(value) || isObject(value.offers) || (variant !== undefined && priced(variant));
      const hasSku = first(value, SKU_KEYS) !== undefined;
      if (hasPrice || hasSku) {
        const score =
          (hasPrice ? 2 : 0) +
          (hasSku ? 2 : 0) +
          (first(value, GTIN_KEYS) !== undefined ? 1 : 0) +
          (first(value, BRAND_KEYS) !== undefined ? 1 : 0) +
          (first(value, AVAILABILITY_KEYS) !== undefined ? 1 : 0);
        out.push({ obj: value, name, cents, score, nameless });
      }
    }
    for (const child of Object.values(value))
      if (typeof child === 'object' && child !== null) queue.push({ value: child, cents });
  }
  return out;
}

// A variant's count in stock: Shopify's `inventory_quantity`, a storefront API's `quantityAvailable`.
const QUANTITY_KEYS = [
  'inventory_quantity',
  'qtyInStock',
  'quantityAvailable',
  'stock_quantity',
  'stockQuantity',
  'availableQuantity',
];
// Sold with none in stock all the same: Shopify's "continue", WooCommerce's backorders.
const OVERSELLS = (variant: Json): boolean =>
  variant.inventory_policy === 'continue' ||
  variant.backorders_allowed === true ||
  variant.backorders === 'yes';

// A product's own count in stock, where no availability key says more: a bare "stock": 0.
const PRODUCT_QUANTITY_KEYS = [
  ...QUANTITY_KEYS,
  'inventoryQuantity',
  'stockLevel',
  'stock_level',
  'stock',
  'estoque',
];

/** In stock above zero, out of stock at zero (unless sold with none in stock), from a count. */
function countedStock(obj: Json, keys: string[]): string | undefined {
  const quantity = first(obj, keys);
  if (typeof quantity !== 'number' || !Number.isFinite(quantity) || quantity < 0) return undefined;
  return quantity > 0 ? 'InStock' : OVERSELLS(obj) ? undefined : 'OutOfStock';
}

/** A variant's stock: its own availability key or wording, a sold-out flag, or its count. */
function variantStock(variant: Json, depth = 0): string | undefined {
  const value = first(variant, AVAILABILITY_KEYS);
  // {"availability": {"isOnStock": false, "availableQuantity": 0}}
  if (isObject(value)) return depth < 1 ? variantStock(value, depth + 1) : undefined;
  if (typeof value === 'boolean') return value ? 'InStock' : 'OutOfStock';
  if (typeof value === 'string') {
    const worded = normaliseAvailability(value);
    if (worded === 'InStock' || worded === 'OutOfStock') return worded;
  }
  const soldOut = first(variant, SOLD_OUT_KEYS);
  if (typeof soldOut === 'boolean') return soldOut ? 'OutOfStock' : 'InStock';
  return countedStock(variant, QUANTITY_KEYS);
}

const SELECTED_ID_KEYS = [
  'selectedVariantId',
  'selected_variant_id',
  'currentVariantId',
  'current_variant_id',
  'selectedColorId',
  'selectedColourId',
  'selected_color_id',
  'selectedColorCode',
];
const variantId = (v: Json): string =>
  String(v.id ?? v.variant_id ?? v.variation_id ?? v.colorId ?? v.colourId ?? v.color_id ?? v.colorCode);
/** The variant a page's URL names (`?variant=41220098`, Shopify's scheme). */
const urlVariantId = (url: string): string | undefined => /[?&]variant=(\d+)/.exec(url)?.[1];

/**
 * The variant the page selects: by its URL (`?variant=41220098`, Shopify's scheme), by the
 * product's `selectedVariantId`, or by a variant's own `selected` flag.
 */
function selectedVariant(obj: Json, variants: Json[], url: string): Json | undefined {
  // Shopify's Storefront API (Hydrogen) and others give the shown variant whole.
  const given = first(obj, SELECTED_VARIANT_KEYS);
  if (isObject(given)) return given;
  if (variants.length === 0) return undefined;
  const id = urlVariantId(url) ?? scalar(first(obj, SELECTED_ID_KEYS));
  const byId = id ? variants.find((v) => variantId(v) === id) : undefined;
  return (
    byId ??
    variants.find((v) => v.selected === true || v.isSelected === true || v.is_selected === true) ??
    byUrlOptions(variants, url)
  );
}

const SELECTED_VARIANT_KEYS = ['selectedVariant', 'selected_variant', 'currentVariant', 'current_variant'];

/**
 * The variant whose options the URL's query names (`?Colour=Olive&Size=M`, as Shopify's
 * Hydrogen writes them): each option a variant lists (`selectedOptions`, `options`) that the
 * query also names must have the query's value, and at least one must be named.
 */
function byUrlOptions(variants: Json[], url: string): Json | undefined {
  let query: URLSearchParams;
  try {
    query = new URL(url).searchParams;
  } catch {
    return undefined;
  }
  if (query.size === 0) return undefined;
  const params = new Map([...query].map(([k, v]) => [k.toLowerCase(), v.toLowerCase()]));
  return variants.find((v) => {
    const options = v.selectedOptions ?? v.selected_options;
    if (!Array.isArray(options)) return false;
    let named = 0;
    for (const option of options) {
      if (!isObject(option)) continue;
      const wanted = params.get(String(option.name ?? '').toLowerCase());
      if (wanted === undefined) continue;
      if (String(option.value ?? '').toLowerCase() !== wanted) return false;
      named++;
    }
    return named > 0;
  });
}

/** An object's offer: `offers` itself, or the first of a list (a marketplace's buy-box offer first). */
function offerOf(obj: Json): Json | undefined {
  const offers = obj.offers;
  if (isObject(offers)) return offers;
  return Array.isArray(offers) && isObject(offers[0]) ? offers[0] : undefined;
}

function read(candidate: Candidate, base: string, url: string): Fields {
  const { obj } = candidate;
  const offers = offerOf(obj);
  const variants = variantsOf(obj);
  const selected = selectedVariant(obj, variants, url);
  const variant = selected ?? variants.find((v) => variantStock(v) === 'InStock') ?? variants[0];
  // Shopify's product JSON gives cents, wherever it is embedded (a theme's list of variants too).
  const shopifyKeys = (o: Json): boolean => SHOPIFY_VARIANT_KEYS.some((k) => o[k] !== undefined);
  const cents = candidate.cents || shopifyKeys(obj) || (variant !== undefined && shopifyKeys(variant));
  const price =
    firstPrice(obj, PRICE_KEYS, cents) ??
    (first(obj, CENT_KEYS) !== undefined ? priceOf(obj, cents) : undefined) ??
    (offers ? firstPrice(offers, PRICE_KEYS, cents) : undefined) ??
    (variant
      ? (firstPrice(variant, PRICE_KEYS, cents) ??
        (first(variant, CENT_KEYS) !== undefined ? priceOf(variant, cents) : undefined) ??
        // A marketplace's variant sold by several sellers: its first offer.
        firstPrice(offerOf(variant) ?? {}, PRICE_KEYS, cents))
      : undefined);
  const imageValue = first(obj, IMAGE_KEYS);
  const image = Array.isArray(imageValue) ? imageValue[0] : imageValue;
  const imageUrl = resolveHttpUrl(
    isObject(image) ? scalar(first(image, ['src', 'url'])) : scalar(image),
    base,
  );
  const soldOut = first(obj, SOLD_OUT_KEYS);
  const stockObject = first(obj, STOCK_OBJECT_KEYS);
  const availability =
    availabilityOf(first(obj, AVAILABILITY_KEYS)) ??
    (typeof soldOut === 'boolean' ? (soldOut ? 'OutOfStock' : 'InStock') : undefined) ??
    (isObject(stockObject) ? availabilityOf(stockObject) : undefined) ??
    (offers ? availabilityOf(first(offers, AVAILABILITY_KEYS)) : undefined) ??
    // The variant the URL selects; else every variant unavailable is a sold-out product.
    (selected ? variantStock(selected) : undefined) ??
    countedStock(obj, PRODUCT_QUANTITY_KEYS) ??
    (variants.length > 0
      ? variants.some((v) => variantStock(v) === 'InStock')
        ? 'InStock'
        : variants.every((v) => variantStock(v) === 'OutOfStock')
          ? 'OutOfStock'
          : undefined
      : undefined);
  return {
    title: candidate.name,
    price,
    currency:
      scalar(first(obj, CURRENCY_KEYS)) ??
      (offers ? scalar(first(offers, CURRENCY_KEYS)) : undefined) ??
      // A price object names its own: {"price": {"amount": "34.95", "currencyCode": "EUR"}}.
      [obj, variant].map((o) => (o ? priceCurrency(first(o, PRICE_KEYS)) : undefined)).find(Boolean),
    sku: scalar(first(obj, SKU_KEYS)) ?? (variant ? scalar(first(variant, SKU_KEYS)) : undefined),
    gtin: scalar(first(obj, GTIN_KEYS)) ?? (variant ? scalar(first(variant, GTIN_KEYS)) : undefined),
    availability,
    brand: nameOf(first(obj, BRAND_KEYS)),
    images: imageUrl ? [imageUrl] : [],
  };
}

function matchesHeading(name: string, heading: string): boolean {
  const a = nameKey(name);
  const b = nameKey(heading);
  return a.length >= 3 && b.length >= 3 && (a === b || a.includes(b) || b.includes(a));
}

const quotedKey = (keys: string[]): RegExp => new RegExp(`"(?:${keys.join('|')})"\\s*:`);
// JSON literals quote their keys: a script without a quoted name key and a quoted price, offers,
// variants or SKU key holds no product object, and is not parsed at all.
const HAS_NAME = quotedKey(NAME_KEYS);
// SKU and stock quoted, as product facts without a name give them (BigCommerce's `BCData`).
const HAS_SKU = quotedKey(['sku', 'SKU']);
const HAS_STOCK = quotedKey(STOCK_FLAG_KEYS);
const hasNamelessFacts = (source: string): boolean => HAS_SKU.test(source) && HAS_STOCK.test(source);
const HAS_PRODUCT_KEY = quotedKey([...PRICE_KEYS, ...CENT_KEYS, 'offers', ...VARIANT_KEYS, ...SKU_KEYS]);

// Attributes that hold a product's variants as JSON.
const VARIANT_ATTRIBUTES = ['data-variants', 'data-product_variations', 'data-product-variants'];

const STATE_HINT = /__NEXT_DATA__|__NUXT__|Shopify|product|dataLayer|window\.|var |let |const /i;

const MAX_STATE_ATTRIBUTES = 20;

const MAX_VARIANT_LISTS = 3;

/**
 * JSON held in the attributes of the elements noted while parsing, added to `roots`:
 * application state that looks like product data (Inertia's `data-page`, Vue's `:product`,
 * Alpine's `x-data`, an Astro island's `props`, also as a JavaScript literal holding JSON), then
 * lists of variants a buy box holds (Squarespace's `data-variants`, WooCommerce's
 * `data-product_variations`) as the heading's product's, within what is left of the page's
 * budget of characters read.
 */
function attributeStates(
  elements: readonly Element[],
  roots: { value: unknown; cents: boolean }[],
  budget: number,
  heading: string | undefined,
  errors: string[],
): void {
  let states = 0;
  const variantLists: { value: unknown; cents: boolean }[] = [];
  for (const e of elements) {
    const attribs = e.attribs;
    for (const name in attribs) {
      const value = attribs[name] as string;
      if (value.length > MAX_SCRIPT) continue;
      if (heading && variantLists.length < MAX_VARIANT_LISTS && VARIANT_ATTRIBUTES.includes(name)) {
        const variants = /^\s*\[/.test(value) ? variantList(value, name, errors) : undefined;
        if (variants) variantLists.push({ value: { name: heading, variants }, cents: false });
      }
      if (states >= MAX_STATE_ATTRIBUTES || budget < 0 || value.length < 30 || !startsAsJson(value)) continue;
      if (!HAS_PRODUCT_KEY.test(value) || !(HAS_NAME.test(value) || hasNamelessFacts(value))) continue;
      budget -= value.length;
      states++;
      const astro = e.name === 'astro-island' && name === 'props';
      for (const parsed of scriptJson(value, errors))
        roots.push({ value: astro ? astroProps(parsed) : parsed, cents: false });
    }
  }
  roots.push(...variantLists);
}

/** A non-empty JSON array of variants, or undefined (an error noted when it is no JSON). */
function variantList(value: string, name: string, errors: string[]): unknown[] | undefined {
  try {
    const variants = JSON.parse(value) as unknown;
    return Array.isArray(variants) && variants.length > 0 ? variants : undefined;
  } catch {
    errors.push(`state: ${name} is not JSON`);
    return undefined;
  }
}

/** Product fields from the page's embedded application state. */
export function extractState(page: ExtractorPage): ScoredFields | null {
  const index = indexPage(page.document);
  if (index.scripts.length === 0 && index.jsonAttributed.length === 0) return null;
  const roots: { value: unknown; cents: boolean }[] = [];
  let budget = MAX_SCANNED;
  const flight: string[] = [];
  for (const script of index.scripts.slice(0, MAX_SCRIPTS) as Element[]) {
    const type = (script.attribs.type ?? '').toLowerCase();
    // Magento 2 writes its product and price data as JSON in `text/x-magento-init` scripts.
    const magento = type === 'text/x-magento-init';
    if (type && !magento && !/json|javascript|ecmascript|^module$/.test(type)) continue;
    const json = type.includes('json') || magento;
    const raw = rawTextOf(script);
    if (raw.length < 30 || raw.length > MAX_SCRIPT) continue;
    // Next.js's server components payload: gathered from every script, read as one below.
    if (!json && raw.includes('self.__next_f.push(')) {
      budget -= raw.length;
      if (budget < 0) break;
      flight.push(raw);
      continue;
    }
    const source = json ? angularState(raw) : raw;
    if (!json && !STATE_HINT.test(source.slice(0, 5000)) && !source.includes('{"')) continue;
    if (!(HAS_NAME.test(source) || hasNamelessFacts(source)) || !HAS_PRODUCT_KEY.test(source)) continue;
    budget -= source.length;
    if (budget < 0) break;
    const cents =
      script.attribs['data-product-json'] !== undefined ||
      /product-json/i.test(script.attribs.id ?? '') ||
      /ShopifyAnalytics|Shopify\.|var meta\s*=/.test(source.slice(0, 2000)) ||
      // Shopify's money format ("R {{amount}}") beside the product: its amounts are in cents.
      // (Looked for as plain text first: the pattern tries every quote of the script.)
      (source.includes('"money') && /"money_?[fF]ormat"\s*:\s*"[^"]*\{\{\s*amount/.test(source));
    for (const value of scriptJson(source, page.errors)) roots.push({ value, cents });
  }
  for (const value of flightRows(flight)) roots.push({ value, cents: false });
  // A page rendered by its scripts may have no heading yet; its title names the product then.
  const heading =
    firstHeading(page.document) ?? ((index.title && textOf(index.title, 500).trim()) || undefined);
  attributeStates(index.jsonAttributed, roots, budget, heading, page.errors);
  if (roots.length === 0) return null;
  const found = candidates(roots, heading);
  if (found.length === 0) return null;
  const named = heading ? found.filter((c) => matchesHeading(c.name, heading)) : [];
  const pool = named.length > 0 ? named : found;
  // A page's URL names the variant it shows (`?variant=41220098`): when the variants are the
  // objects found (a theme's variant list), that one.
  const wanted = urlVariantId(page.url);
  const best =
    (wanted ? pool.find((c) => variantId(c.obj) === wanted) : undefined) ??
    pool.toSorted((a, b) => Number(a.nameless) - Number(b.nameless) || b.score - a.score)[0];
  if (!best) return null;
  // Without the page's heading to match, the object may be any product the page mentions.
  const sure = named.length > 0;
  const fields = read(best, baseUrl(page.document, page.url), page.url);
  return scoreFields(fields, sure ? 0.65 : 0.4, sure ? { sku: 0.7, title: 0.55 } : { title: 0.3 });
}
