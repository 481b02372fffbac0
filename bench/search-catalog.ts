/**
 * The search benchmark's catalog, query set and relevance judgments.
 *
 * Products are drawn from the demo shop's vocabulary (brands, categories, product types,
 * adjectives, description sentences) with a model-number space large enough for a million
 * distinct titles. Each product is listed by one to five of five shops, each shop writing its
 * listings its own way: the same GTIN, or only brand and model number, or only a title.
 *
 * The judged queries carry the shopper's intent (brand, adjective, product type, model,
 * category); a product's grade for a query is computed from the product's own structured
 * record, never from what any engine returns:
 *   3  every part of the intent matches (the product asked for)
 *   2  the product type and all but one other part match
 *   1  the product type matches (or the single word names part of it, or the category)
 *   0  otherwise
 */
import { gtinCheckDigit } from '../demo/format.ts';
import { Random } from '../demo/random.ts';
import {
  brands,
  type CategoryDef,
  categoryDefs,
  descriptionClosers,
  descriptionMiddles,
  descriptionOpeners,
} from '../demo/vocabulary.ts';

export interface BenchProduct {
  key: string;
  brand: string;
  brandCode: string;
  adjective: string;
  type: string;
  model: string;
  categoryPath: string[];
  title: string;
  description: string;
  gtin: string;
  priceCents: number;
  availability: 'InStock' | 'OutOfStock' | 'PreOrder';
  /** Indexes (0–4) of the shops that list it. */
  shops: number[];
}

export const shopNames = ['alpha-shop', 'bravo-shop', 'charlie-shop', 'delta-shop', 'echo-shop'];

const leaves = categoryDefs.filter((def) => def.goods !== undefined);
const byslug = new Map(categoryDefs.map((def) => [def.slug, def]));
function pathOf(def: CategoryDef): string[] {
  const parent = def.parent ? byslug.get(def.parent) : undefined;
  return parent ? [...pathOf(parent), def.name] : [def.name];
}

function lower(value: string): string {
  return value.replace(/\b[A-Z][a-z][\w'-]*/g, (word) => word.toLowerCase());
}

/** Product `i` of the benchmark catalog: the same on every run and machine. */
export function benchProduct(i: number, seed = 7): BenchProduct {
  const random = new Random(seed * 1_000_003 + i * 7919);
  random.next();
  const def = random.pick(leaves);
  const goods = def.goods!;
  const brandIndex = (leaves.indexOf(def) * 6 + random.int(0, 5)) % brands.length;
  const brand = brands[brandIndex]!;
  const adjective = random.pick(goods.adjectives);
  const type = random.pick(goods.types);
  // i decides the model number, so titles stay distinct up to millions of products.
  const letters = ['S', 'X', 'K', 'R', 'V', 'T', 'M', 'Z'];
  const model = `${letters[i % letters.length]}${100 + Math.floor(i / letters.length)}`;
  const title = `${brand.name} ${adjective} ${type} ${model}`;
  const fill = (template: string) =>
    template
      .replaceAll('{brand}', brand.name)
      .replaceAll('{adjective}', adjective.toLowerCase())
      .replaceAll('{type}', lower(type))
      .replaceAll('{model}', model)
      .replaceAll('{use}', goods.use);
  const description = [
    random.pick(descriptionOpeners),
    ...random.sample(descriptionMiddles, random.int(1, 2)),
    random.pick(descriptionClosers),
  ]
    .map(fill)
    .join(' ');
  const gtinBody = `${40 + (brandIndex % 10)}${String(i).padStart(10, '0')}`;
  const stock = random.next();
  const shopCount = random.int(1, 5);
  return {
    key: `b${i}`,
    brand: brand.name,
    brandCode: brand.code,
    adjective,
    type,
    model,
    categoryPath: pathOf(def),
    title,
    description,
    gtin: `${gtinBody}${gtinCheckDigit(gtinBody)}`,
    priceCents:
      random.int(Math.ceil(goods.minCents / 100), Math.floor(goods.maxCents / 100)) * 100 +
      random.pick([90, 99, 0, 50]),
    availability: stock < 0.12 ? 'OutOfStock' : stock < 0.145 ? 'PreOrder' : 'InStock',
    shops: random.sample([0, 1, 2, 3, 4], shopCount).sort(),
  };
}

export interface BenchListing {
  shop: number;
  url: string;
  title: string;
  description: string;
  brand: string | null;
  sku: string | null;
  gtin: string | null;
  price: string;
  availability: 'InStock' | 'OutOfStock' | 'PreOrder';
  categoryPath: string[];
  /** The manufacturer part number the page states (schema.org mpn), if any. */
  mpn?: string;
}

/**
 * How each shop lists a product: alpha and echo with the GTIN and MPN, bravo with the GTIN and
 * its own title order, charlie with brand and MPN only, delta with an upper-case title alone.
 */
export function listingsOf(p: BenchProduct): BenchListing[] {
  return p.shops.map((shop) => {
    const random = new Random(Number(p.key.slice(1)) * 31 + shop);
    const factor = 0.9 + random.next() * 0.25;
    const cents = Math.max(99, Math.round((p.priceCents * factor) / 10) * 10 - 1);
    const stock = random.next();
    const availability = stock < 0.7 ? p.availability : stock < 0.85 ? 'InStock' : 'OutOfStock';
    const base = {
      shop,
      url: `https://${shopNames[shop]}.bench/p/${p.key}`,
      description: p.description,
      price: (cents / 100).toFixed(2),
      availability,
      categoryPath: p.categoryPath,
    } as const;
    switch (shop) {
      case 1:
        return {
          ...base,
          title: `${p.type} ${p.model} – ${p.brand} ${p.adjective}`,
          brand: p.brand,
          sku: null,
          gtin: p.gtin,
        };
      case 2:
        return { ...base, title: p.title, brand: p.brand, sku: p.model, gtin: null, mpn: p.model };
      case 3:
        return { ...base, title: p.title.toUpperCase(), brand: null, sku: null, gtin: null };
      case 4:
        return {
          ...base,
          title: `${p.title} (new)`,
          brand: p.brand,
          sku: `${p.brandCode}-${p.model}`,
          gtin: p.gtin,
        };
      default:
        return { ...base, title: p.title, brand: p.brand, sku: `${p.brandCode}-${p.model}`, gtin: p.gtin };
    }
  });
}

export type QueryClass = 'broad' | 'selective' | 'typo' | 'filters+sort' | 'browse' | 'page 50';

export interface Intent {
  brand?: string;
  adjective?: string;
  type?: string;
  /** One word naming part of product types ("kettle"). */
  typeWord?: string;
  model?: string;
  category?: string;
}

export interface BenchQuery {
  cls: QueryClass;
  params: Record<string, string>;
  /** Present for the judged queries (broad, selective, typo). */
  intent?: Intent;
}

const words = (s: string): string[] => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** A product's grade for an intent (see the file comment). */
export function grade(p: BenchProduct, intent: Intent): number {
  if (intent.category && !intent.type && !intent.typeWord)
    return p.categoryPath.includes(intent.category) ? 3 : 0;
  const typeOk = intent.type
    ? p.type === intent.type
    : intent.typeWord
      ? words(p.type).includes(intent.typeWord)
      : true;
  const partial =
    !typeOk && intent.type !== undefined && words(intent.type).some((w) => words(p.type).includes(w));
  if (!typeOk) return partial ? 1 : 0;
  const others = [
    intent.brand === undefined || p.brand === intent.brand,
    intent.adjective === undefined || p.adjective === intent.adjective,
    intent.model === undefined || p.model === intent.model,
  ];
  const misses = others.filter((ok) => !ok).length;
  return misses === 0 ? 3 : misses === 1 ? 2 : 1;
}

/** A misspelling: a transposition, a deletion or a doubled letter, never of the first letter. */
function misspell(word: string, random: Random): string {
  const i = random.int(1, word.length - 2);
  switch (random.int(0, 2)) {
    case 0:
      return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    case 1:
      return word.slice(0, i) + word.slice(i + 1);
    default:
      return word.slice(0, i) + word[i] + word.slice(i);
  }
}

/** The mixed query set (about 200 queries in six classes), drawn from the first `n` products. */
export function benchQueries(n: number, seed = 11): BenchQuery[] {
  const random = new Random(seed);
  const product = () => benchProduct(random.int(0, n - 1));
  const queries: BenchQuery[] = [];
  const typeWords = [...new Set(leaves.flatMap((d) => d.goods!.types.flatMap((t) => words(t))))].filter(
    (w) => w.length >= 4,
  );
  for (let k = 0; k < 35; k++) {
    const word = random.pick(typeWords);
    queries.push({ cls: 'broad', params: { q: word }, intent: { typeWord: word } });
  }
  for (let k = 0; k < 35; k++) {
    const p = product();
    const form = k % 3;
    const intent: Intent =
      form === 0
        ? { brand: p.brand, type: p.type }
        : form === 1
          ? { adjective: p.adjective, type: p.type }
          : { brand: p.brand, type: p.type, model: p.model };
    const q = [intent.brand, intent.adjective, intent.type, intent.model]
      .filter(Boolean)
      .join(' ')
      .toLowerCase();
    queries.push({ cls: 'selective', params: { q }, intent });
  }
  for (let k = 0; k < 35; k++) {
    const p = product();
    const typeText = lower(p.type).toLowerCase();
    const long = words(typeText).filter((w) => w.length >= 5);
    const target = long.length ? random.pick(long) : words(typeText).at(-1)!;
    const typo = typeText
      .split(' ')
      .map((w) => (w.toLowerCase() === target ? misspell(target, random) : w))
      .join(' ');
    const withBrand = k % 2 === 0;
    queries.push({
      cls: 'typo',
      params: { q: withBrand ? `${p.brand.toLowerCase()} ${typo}` : typo },
      intent: withBrand ? { brand: p.brand, type: p.type } : { type: p.type },
    });
  }
  const sorts = ['price_asc', 'price_desc', 'newest', 'relevance'];
  for (let k = 0; k < 35; k++) {
    const p = product();
    const word = words(p.type).at(-1)!;
    const params: Record<string, string> = { q: word, sort: sorts[k % 4]! };
    if (k % 2 === 0) params.category = p.categoryPath.at(-1)!;
    else params.brand = p.brand;
    params.minPrice = String(Math.floor(p.priceCents / 200));
    params.maxPrice = String(Math.ceil(p.priceCents / 50));
    if (k % 3 === 0) params.inStock = 'true';
    queries.push({ cls: 'filters+sort', params });
  }
  for (let k = 0; k < 30; k++) {
    const p = product();
    const params: Record<string, string> = { category: random.pick(p.categoryPath) };
    if (k % 3 === 1) params.sort = 'newest';
    if (k % 3 === 2) params.sort = 'price_asc';
    queries.push({ cls: 'browse', params });
  }
  for (let k = 0; k < 30; k++) {
    const p = product();
    const params: Record<string, string> =
      k % 2 === 0 ? { q: random.pick(typeWords), page: '50' } : { category: p.categoryPath[0]!, page: '50' };
    queries.push({ cls: 'page 50', params });
  }
  return queries;
}

/** nDCG@k of a ranked list of product keys (a product shown twice gains nothing the second time). */
export function ndcg(
  ranked: string[],
  gradeOf: (key: string) => number,
  idealGrades: number[],
  k = 10,
): number {
  const seen = new Set<string>();
  let dcg = 0;
  ranked.slice(0, k).forEach((key, i) => {
    const g = seen.has(key) ? 0 : gradeOf(key);
    seen.add(key);
    dcg += (2 ** g - 1) / Math.log2(i + 2);
  });
  const ideal = [...idealGrades].sort((a, b) => b - a).slice(0, k);
  const idcg = ideal.reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0);
  return idcg === 0 ? 1 : dcg / idcg;
}
