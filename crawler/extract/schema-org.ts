/**
 * Reading schema.org Product and BreadcrumbList data. JSON-LD and microdata are both turned into
 * plain JSON-LD-shaped objects first, so the rules live here once.
 */
import { normaliseAvailability } from '../normalise/availability.ts';
import { cleanText } from '../normalise/text.ts';
import { resolveHttpUrl } from '../normalise/url.ts';
import { nameKey } from './dom.ts';
import { decodeEntities } from './entities.ts';
import { scoreFields } from './fields.ts';
import type { Fields, PriceRange, ScoredFields } from './types.ts';

export type LdNode = Record<string, unknown>;

export const isNode = (value: unknown): value is LdNode =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const asList = (value: unknown): unknown[] =>
  value == null ? [] : Array.isArray(value) ? value : [value];

/** "http://schema.org/Product", "schema:Product" and "Product" are all "Product". */
export function shortName(value: string): string {
  return value.trim().replace(/^.*[/#:]/, '');
}

export function typesOf(node: LdNode): string[] {
  return asList(node['@type'])
    .filter((t): t is string => typeof t === 'string')
    .map(shortName);
}

// The prefixed spellings of each key asked for, made once (the keys are the readers' own names).
const spellings = new Map<string, readonly [string, string, string]>();

/** A property, whether written plainly, with the "schema:" prefix or as an expanded IRI. */
export function get(node: LdNode, key: string): unknown {
  const plain = node[key];
  if (plain !== undefined && plain !== null) return plain;
  let keys = spellings.get(key);
  if (keys === undefined) {
    keys = [`schema:${key}`, `http://schema.org/${key}`, `https://schema.org/${key}`];
    if (spellings.size < 1000) spellings.set(key, keys);
  }
  return node[keys[0]] ?? node[keys[1]] ?? node[keys[2]];
}

const PRODUCT_TYPES = new Set([
  'Product',
  'ProductGroup',
  'IndividualProduct',
  'ProductModel',
  'SomeProducts',
  'Vehicle',
  'Car',
  'Motorcycle',
]);
// Sold things typed by what they are rather than as Product; they count only with offers.
const OFFERED_TYPES = new Set([
  'Book',
  'Audiobook',
  'Movie',
  'MusicAlbum',
  'MusicRecording',
  'VideoGame',
  'Game',
  'SoftwareApplication',
  'MobileApplication',
  'WebApplication',
]);

export function isProduct(node: LdNode): boolean {
  const types = typesOf(node);
  return (
    types.some((t) => PRODUCT_TYPES.has(t)) ||
    (types.some((t) => OFFERED_TYPES.has(t)) && get(node, 'offers') != null)
  );
}

export const isBreadcrumbList = (node: LdNode): boolean => typesOf(node).includes('BreadcrumbList');

/** Resolves `{"@id": "#offer"}` references to the node carrying that id elsewhere in the page. */
export class Graph {
  readonly #byId = new Map<string, LdNode>();

  add(node: LdNode): void {
    const id = node['@id'];
    // A node with more than an id (and a type) is the definition; a bare reference is not.
    if (
      typeof id === 'string' &&
      Object.keys(node).some((k) => k !== '@id' && k !== '@type') &&
      !this.#byId.has(id)
    ) {
      this.#byId.set(id, node);
    }
  }

  deref(value: unknown): unknown {
    if (!isNode(value)) return value;
    const id = value['@id'];
    if (typeof id !== 'string') return value;
    return this.#byId.get(id) ?? value;
  }

  nodes(value: unknown): LdNode[] {
    return asList(value)
      .map((v) => this.deref(v))
      .filter(isNode);
  }
}

/** First usable text of a value: a string, a number, `{"@value"}`, or the first of a list. */
export function text(value: unknown, max = 2000): string | undefined {
  for (const item of asList(value)) {
    if (typeof item === 'string') {
      const clean = cleanText(decodeEntities(item), max);
      if (clean) return clean;
    } else if (typeof item === 'number' && Number.isFinite(item) && Math.abs(item) < 1e21) {
      return String(item);
    } else if (isNode(item) && item['@value'] != null) {
      const inner = text(item['@value'], max);
      if (inner) return inner;
    }
  }
  return undefined;
}

export interface ReadContext {
  graph: Graph;
  /** Base for relative image URLs. */
  base: string;
  pageUrl: string;
}

function nameOf(value: unknown, ctx: ReadContext): string | undefined {
  for (const item of asList(value)) {
    const resolved = ctx.graph.deref(item);
    const name = isNode(resolved) ? text(get(resolved, 'name'), 500) : text(resolved, 500);
    if (name) return name;
  }
  return undefined;
}

function imageUrls(value: unknown, ctx: ReadContext): string[] {
  const out: string[] = [];
  for (const item of asList(value)) {
    const resolved = ctx.graph.deref(item);
    const candidates = isNode(resolved)
      ? [get(resolved, 'contentUrl'), get(resolved, 'url'), resolved['@id']]
      : [resolved];
    for (const candidate of candidates) {
      const url = resolveHttpUrl(text(candidate, 4000), ctx.base);
      if (url) {
        out.push(url);
        break;
      }
    }
  }
  return out;
}

function firstOf(node: LdNode, keys: string[], max = 500): string | undefined {
  for (const key of keys) {
    const value = text(get(node, key), max);
    if (value) return value;
  }
  return undefined;
}

const GTIN_KEYS = ['gtin13', 'gtin', 'gtin12', 'gtin14', 'gtin8', 'ean', 'isbn'];
const NOT_SELLING_PRICE = new Set([
  'ListPrice',
  'StrikethroughPrice',
  'SRP',
  'MSRP',
  'InvoicePrice',
  'MinimumAdvertisedPrice',
]);

/**
 * schema.org prices always use "." as the decimal point, whatever the shop's locale; the price
 * parser downstream reads "24.990" as a thousands group, so such values are rewritten to the
 * same number without the ambiguity ("24.99", "1.1250").
 */
export function structuredPrice(value: string | undefined): string | undefined {
  const match = value === undefined ? null : /^(\d+)\.(\d{3})$/.exec(value);
  if (!match) return value;
  let fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length === 3) fraction += '0';
  return fraction ? `${match[1]}.${fraction}` : match[1];
}

/**
 * An AggregateOffer whose prices run from one amount to another (true): its price is the lowest;
 * or ('listed') the offer guessed among those it lists: not necessarily the one shown; or
 * ('sibling') an offer whose URL names another variant than the page's URL does.
 */
export type OfferRange = boolean | 'listed' | 'sibling';

/** What readProduct notes of the offer it read: a range, and its bounds when it is an AggregateOffer's. */
export interface OfferNotes {
  range?: OfferRange;
  bounds?: PriceRange;
}

interface OfferFields {
  range?: OfferRange;
  /** An AggregateOffer's lowest and highest prices, when they differ. */
  bounds?: PriceRange;
  price?: string;
  currency?: string;
  availability?: string;
  sku?: string;
  gtin?: string;
}

function sameUrl(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const resolved = resolveHttpUrl(a, b);
  return resolved !== null && resolved.replace(/#.*$/, '') === b.replace(/#.*$/, '');
}

function specPrice(offer: LdNode, ctx: ReadContext): { price?: string; currency?: string } {
  const specs = ctx.graph.nodes(get(offer, 'priceSpecification'));
  // The selling price, not the crossed-out list price or a per-kilo unit price.
  const spec =
    specs.find((s) => {
      const type = text(get(s, 'priceType'));
      return !(type && NOT_SELLING_PRICE.has(shortName(type))) && get(s, 'referenceQuantity') == null;
    }) ?? specs[0];
  if (!spec) return {};
  return {
    price: structuredPrice(firstOf(spec, ['price', 'minPrice'])),
    currency: text(get(spec, 'priceCurrency'), 100),
  };
}

function readOffer(offer: LdNode, ctx: ReadContext, depth = 0): OfferFields {
  const aggregate = typesOf(offer).includes('AggregateOffer');
  const spec = specPrice(offer, ctx);
  const low = aggregate ? Number(firstOf(offer, ['lowPrice'])) : Number.NaN;
  const high = aggregate ? Number(firstOf(offer, ['highPrice'])) : Number.NaN;
  const fields: OfferFields = {
    ...(low > 0 && high > low ? { range: true, bounds: { low, high } } : {}),
    price:
      structuredPrice(
        aggregate ? firstOf(offer, ['lowPrice', 'price']) : firstOf(offer, ['price', 'lowPrice']),
      ) ?? spec.price,
    currency: text(get(offer, 'priceCurrency'), 100) ?? spec.currency,
    availability: text(get(offer, 'availability'), 500),
    sku: text(get(offer, 'sku'), 500),
    gtin: firstOf(offer, GTIN_KEYS, 100),
  };
  // A range whose offers are listed (graduated prices by quantity, sizes, sellers): the offer
  // the page is about (at its URL, or the first in stock) rather than the lowest price of all.
  if (fields.range && depth < 2) {
    const inner = pickOffer(ctx.graph.nodes(get(offer, 'offers')), ctx, depth + 1);
    if (inner?.price) {
      fields.price = inner.price;
      fields.availability = inner.availability ?? fields.availability;
      fields.range = 'listed';
    }
  }
  // An AggregateOffer may only list its offers.
  if (depth < 2 && (!fields.price || !fields.availability)) {
    const inner = pickOffer(ctx.graph.nodes(get(offer, 'offers')), ctx, depth + 1);
    if (inner) {
      fields.price ??= inner.price;
      fields.currency ??= inner.currency;
      fields.availability ??= inner.availability;
    }
  }
  return fields;
}

const inStock = (availability: string | undefined): boolean =>
  normaliseAvailability(availability) === 'InStock';

/**
 * The offer for this page: among the offers with a price (those at the page's URL, if any),
 * the first in stock, else the first. One offer per size with the first sold out is still an
 * available product.
 */
function pickOffer(offers: LdNode[], ctx: ReadContext, depth = 0): OfferFields | undefined {
  const read = offers.slice(0, 200).map((offer) => ({ offer, fields: readOffer(offer, ctx, depth) }));
  const withPrice = read.filter((r) => r.fields.price);
  const here = withPrice.filter((r) => sameUrl(text(get(r.offer, 'url'), 4000), ctx.pageUrl));
  const tier = here.length > 0 ? here : withPrice;
  const chosen = tier.find((r) => inStock(r.fields.availability)) ?? tier[0] ?? read[0];
  if (chosen && here.length === 0 && !chosen.fields.range && namesOtherVariant(chosen.offer, ctx.pageUrl))
    return { ...chosen.fields, range: 'sibling' };
  return chosen?.fields;
}

/**
 * Whether an offer's URL is the page's with another value of a parameter both name
 * (`?variant=44021` on a page at `?variant=44022`): the structured data describes the default
 * variant while the page shows the one its URL chose. Tracking parameters only one of them has
 * say nothing.
 */
function namesOtherVariant(offer: LdNode, pageUrl: string): boolean {
  const raw = text(get(offer, 'url'), 4000);
  if (!raw || !pageUrl.includes('?')) return false;
  const resolved = resolveHttpUrl(raw, pageUrl);
  if (!resolved) return false;
  try {
    const offerUrl = new URL(resolved);
    const page = new URL(pageUrl);
    if (offerUrl.origin !== page.origin || offerUrl.pathname !== page.pathname) return false;
    for (const [name, value] of page.searchParams) {
      const other = offerUrl.searchParams.get(name);
      if (other !== null && other !== value) return true;
    }
  } catch {
    return false;
  }
  return false;
}

/** The variant a ProductGroup page shows: the one at the page's URL, else the first. */
function pickVariant(product: LdNode, ctx: ReadContext): LdNode | undefined {
  const variants = ctx.graph.nodes(get(product, 'hasVariant')).slice(0, 500);
  return variants.find((v) => sameUrl(text(get(v, 'url'), 4000), ctx.pageUrl)) ?? variants[0];
}

function attributesOf(product: LdNode): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const key of ['mpn', 'color', 'size', 'material', 'model', 'pattern', 'itemCondition']) {
    const raw = get(product, key);
    const value = isNode(raw) ? text(get(raw, 'name')) : text(raw);
    if (value)
      attributes[key === 'itemCondition' ? 'condition' : key] =
        key === 'itemCondition' ? shortName(value) : value;
  }
  for (const property of asList(get(product, 'additionalProperty')).filter(isNode).slice(0, 50)) {
    const name = text(get(property, 'name'), 200);
    const value = text(get(property, 'value'));
    if (name && value && !(name in attributes)) attributes[name] = value;
  }
  return attributes;
}

function categoryOf(product: LdNode): string[] {
  const category = text(get(product, 'category'), 2000);
  // Google taxonomy ids ("1604") say nothing to a reader.
  if (!category || /^\d+$/.test(category)) return [];
  return category
    .split(/\s*[>›»|]\s*/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** schema.org productID, without a scheme prefix ("isbn:…", "sku:…"). */
function productId(value: string | undefined): string | undefined {
  return value?.replace(/^[a-z]+:(?!\/\/)/i, '').trim() || undefined;
}

// What structured data says is trusted above what the page shows, except an AggregateOffer's
// range: its low price is a "from" price and its availability any variant's, so the variant's
// price and stock in the page's own state, or the price it displays and another source confirms,
// win over it; the page's text alone (0.55) does not.
const RANGE_CONFIDENCE = 0.6;
// One offer of those a range lists, guessed (at the page's URL, or the first in stock), or an
// offer at another variant's URL: the price the page displays for the option chosen says more,
// even alone.
const LISTED_CONFIDENCE = 0.5;

/**
 * A product read from structured data, scored: `base` for all, `sku` for the SKU, a range lower
 * (an AggregateOffer's price carries its bounds, for the merge to compare the displayed price).
 */
export function scoreProduct(
  fields: Fields | null,
  base: number,
  sku: number,
  { range, bounds }: OfferNotes,
): ScoredFields | null {
  const lowered = range === 'listed' || range === 'sibling' ? LISTED_CONFIDENCE : RANGE_CONFIDENCE;
  const scored = scoreFields(fields, base, {
    sku,
    ...(range ? { price: lowered, availability: lowered } : {}),
  });
  if (scored?.price && range === true && bounds) scored.price.range = bounds;
  return scored;
}

/**
 * The fields of one Product node (with its offer, or its page's variant's offer). `notes.range`
 * is set when the offer is a range of prices (an AggregateOffer from one amount to another):
 * its price and availability are then those of some variant or seller, not of the one shown.
 */
export function readProduct(product: LdNode, ctx: ReadContext, notes?: OfferNotes): Fields {
  let offer = pickOffer(ctx.graph.nodes(get(product, 'offers')), ctx);
  let variant: LdNode | undefined;
  if (!offer?.price) {
    variant = pickVariant(product, ctx);
    if (variant) offer = pickOffer(ctx.graph.nodes(get(variant, 'offers')), ctx) ?? offer;
  }
  const from = (key: 'sku' | 'gtin'): string | undefined =>
    key === 'sku'
      ? (text(get(product, 'sku'), 500) ??
        offer?.sku ??
        (variant ? text(get(variant, 'sku'), 500) : undefined) ??
        productId(text(get(product, 'productID'), 500)))
      : (firstOf(product, GTIN_KEYS, 100) ??
        offer?.gtin ??
        (variant ? firstOf(variant, GTIN_KEYS, 100) : undefined));
  if (notes && offer?.range) notes.range = offer.range;
  if (notes && offer?.bounds) notes.bounds = offer.bounds;
  let images = imageUrls(get(product, 'image'), ctx);
  if (images.length === 0 && variant) images = imageUrls(get(variant, 'image'), ctx);
  const description = asList(get(product, 'description')).find((d) => typeof d === 'string');
  const fields: Fields = {
    title: text(get(product, 'name')),
    description:
      typeof description === 'string' ? decodeEntities(description).trim() || undefined : undefined,
    brand: nameOf(get(product, 'brand'), ctx),
    sku: from('sku'),
    gtin: from('gtin'),
    price: offer?.price,
    currency: offer?.currency,
    availability: offer?.availability ?? text(get(product, 'availability'), 500),
    images,
    categoryPath: categoryOf(product),
    attributes: attributesOf(product),
  };
  return fields;
}

const HOME = new Set([
  'home',
  'homepage',
  'home page',
  'start',
  'startseite',
  'accueil',
  'inicio',
  'início',
  'pagina iniziale',
  'home page',
  'strona główna',
  'główna',
  'главная',
  'головна',
  'hem',
  'forside',
  'forsiden',
  'etusivu',
  'úvod',
  'domů',
  'kezdőlap',
  'αρχική',
  'ana sayfa',
  'anasayfa',
  'startpagina',
  'ホーム',
  'トップ',
  'トップページ',
  '首页',
  '首頁',
  '홈',
]);

function isHome(name: string, url: string | undefined, pageUrl: string): boolean {
  if (HOME.has(name.toLowerCase())) return true;
  const resolved = url ? resolveHttpUrl(url, pageUrl) : null;
  return resolved !== null && /^https?:\/\/[^/]+\/?(index\.\w+)?([?#].*)?$/i.test(resolved);
}

/**
 * Category names of a BreadcrumbList, without the home link and without a last item that is
 * the product itself (same name as `productNames`, or a link to the page).
 */
export function readBreadcrumb(
  list: LdNode,
  ctx: ReadContext,
  productNames: (string | undefined)[],
): string[] {
  const items = ctx.graph.nodes(get(list, 'itemListElement')).slice(0, 100);
  const positioned = items.map((item, index) => {
    const position = Number(text(get(item, 'position')));
    return { item, order: Number.isFinite(position) ? position : index };
  });
  positioned.sort((a, b) => a.order - b.order);
  const entries = positioned.flatMap(({ item }) => {
    const target = ctx.graph.deref(get(item, 'item'));
    const name =
      text(get(item, 'name'), 500) ?? (isNode(target) ? text(get(target, 'name'), 500) : undefined);
    const url = isNode(target)
      ? (text(target['@id'], 4000) ?? text(get(target, 'url'), 4000))
      : text(target, 4000);
    return name ? [{ name, url }] : [];
  });
  return trimBreadcrumb(entries, ctx.pageUrl, productNames);
}

export function trimBreadcrumb(
  entries: { name: string; url?: string | undefined }[],
  pageUrl: string,
  productNames: (string | undefined)[],
): string[] {
  const out = entries.slice();
  if (out[0] && isHome(out[0].name, out[0].url, pageUrl)) out.shift();
  const last = out[out.length - 1];
  const names = new Set(productNames.filter(Boolean).map(nameKey));
  if (last && (names.has(nameKey(last.name)) || sameUrl(last.url, pageUrl))) out.pop();
  return out.map((e) => e.name);
}

/**
 * The page's main product among several: those named like the page's `<h1>`, else the one at
 * the page's URL, else those whose name contains the heading or is contained in it, else all;
 * among them the one at the page's URL, else one in stock, else the first.
 */
export function pickMainProduct(
  products: LdNode[],
  heading: string | undefined,
  ctx: ReadContext,
): LdNode | undefined {
  if (products.length <= 1) return products[0];
  const h1 = nameKey(heading);
  // Each product's name key and URL test are worked out once, and a tier only when the ones
  // before it are empty (listings put hundreds of products in one block).
  const names = new Map<LdNode, string>();
  const name = (p: LdNode): string => {
    let key = names.get(p);
    if (key === undefined) {
      key = nameKey(text(get(p, 'name')));
      names.set(p, key);
    }
    return key;
  };
  const atUrl = new Map<LdNode, boolean>();
  const here = (p: LdNode): boolean => {
    let found = atUrl.get(p);
    if (found === undefined) {
      found = sameUrl(text(get(p, 'url'), 4000), ctx.pageUrl);
      atUrl.set(p, found);
    }
    return found;
  };
  const some = (list: LdNode[]): LdNode[] | undefined => (list.length > 0 ? list : undefined);
  const tier =
    (h1 ? some(products.filter((p) => name(p) === h1)) : undefined) ??
    some(products.filter(here)) ??
    (h1
      ? some(products.filter((p) => name(p).length >= 3 && (h1.includes(name(p)) || name(p).includes(h1))))
      : undefined) ??
    products;
  const available = (p: LdNode): boolean =>
    ctx.graph.nodes(get(p, 'offers')).some((offer) => inStock(text(get(offer, 'availability'), 500)));
  return tier.find(here) ?? tier.find(available) ?? tier[0];
}
