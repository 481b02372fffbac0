import { gtinCheckDigit, slugify } from './format.ts';
import { Random } from './random.ts';
import {
  type BrandDef,
  brands,
  type CategoryDef,
  categoryDefs,
  descriptionClosers,
  descriptionMiddles,
  descriptionOpeners,
} from './vocabulary.ts';

export type Currency = 'EUR' | 'GBP' | 'USD';
export type DemoAvailability = 'InStock' | 'OutOfStock' | 'PreOrder';
/** Which structured data a product page carries; `plain` pages only have the CSS classes the rules target. */
export type Markup = 'jsonld' | 'microdata' | 'plain';

export interface DemoCategory {
  slug: string;
  name: string;
  parentSlug: string | null;
  /** Names from the top-level category down to this one. */
  path: string[];
  /** Only leaf categories hold products; parents list their subcategories. */
  isLeaf: boolean;
}

export interface DemoProduct {
  id: string;
  slug: string;
  title: string;
  brand: string;
  sku: string;
  /** GTIN-13 with a valid check digit. */
  gtin: string;
  priceCents: number;
  /** Struck-through former price shown beside the real one, or null. */
  wasPriceCents: number | null;
  currency: Currency;
  /** How the page writes the price: "€19.90" (prefix) or "19,90 €" (suffix, EUR only). */
  priceStyle: 'prefix' | 'suffix';
  availability: DemoAvailability;
  description: string;
  /** Site-relative paths under /static/img/. */
  images: string[];
  categorySlug: string;
  categoryPath: string[];
  markup: Markup;
  /** The page also carries a syntactically broken JSON-LD block (its microdata stays correct). */
  brokenJsonLd: boolean;
}

export interface DemoCatalog {
  products: DemoProduct[];
  categories: DemoCategory[];
}

export interface CatalogOptions {
  seed?: number;
  /** Total number of products, the four special ones included (default 540). */
  products?: number;
}

const brandsPerCategory = 6;

/** Same options, same catalog: byte for byte, on every machine. */
export function generateCatalog(options: CatalogOptions = {}): DemoCatalog {
  const random = new Random(options.seed ?? 20240611);
  const total = Math.max(options.products ?? 540, 4);
  const categories = buildCategories();
  const leaves = categoryDefs.filter((def) => def.goods !== undefined);
  const shuffledBrands = random.sample(brands, brands.length);
  const brandsByCategory = new Map(
    leaves.map((def, i) => [
      def.slug,
      Array.from(
        { length: brandsPerCategory },
        (_, k) => shuffledBrands[(i * brandsPerCategory + k) % brands.length]!,
      ),
    ]),
  );
  const generator = new ProductGenerator(random, categories, brandsByCategory);

  const products: DemoProduct[] = [];
  for (let i = 0; i < total - 4; i++) products.push(generator.regular(pickWeighted(random, leaves)));

  // Spread mid-catalog so they sit inside listings, not always on the last page.
  const specials = generator.specials();
  specials.forEach((product, i) => {
    products.splice(Math.min(products.length, 7 + i * 131), 0, product);
  });
  return { products, categories };
}

function buildCategories(): DemoCategory[] {
  const bySlug = new Map(categoryDefs.map((def) => [def.slug, def]));
  const pathOf = (def: CategoryDef): string[] => {
    const parent = def.parent ? bySlug.get(def.parent) : undefined;
    return parent ? [...pathOf(parent), def.name] : [def.name];
  };
  return categoryDefs.map((def) => ({
    slug: def.slug,
    name: def.name,
    parentSlug: def.parent ?? null,
    path: pathOf(def),
    isLeaf: def.goods !== undefined,
  }));
}

/** "Chef's Knife" → "chef's knife" but "LED Light Strip" → "LED light strip", for mid-sentence use. */
function lowerWords(value: string): string {
  return value.replace(/\b[A-Z][a-z][\w'-]*/g, (word) => word.toLowerCase());
}

function pickWeighted(random: Random, leaves: readonly CategoryDef[]): CategoryDef {
  const total = leaves.reduce((sum, def) => sum + (def.goods?.weight ?? 0), 0);
  let roll = random.next() * total;
  for (const def of leaves) {
    roll -= def.goods?.weight ?? 0;
    if (roll < 0) return def;
  }
  return leaves[leaves.length - 1]!;
}

class ProductGenerator {
  #next = 1;
  readonly #titles = new Set<string>();
  readonly #slugs = new Set<string>();

  constructor(
    private readonly random: Random,
    private readonly categories: readonly DemoCategory[],
    private readonly brandsByCategory: Map<string, BrandDef[]>,
  ) {}

  regular(def: CategoryDef): DemoProduct {
    const goods = def.goods!;
    const { random } = this;
    let brand: BrandDef;
    let adjective: string;
    let type: string;
    let model: string;
    let title: string;
    do {
      brand = random.pick(this.brandsByCategory.get(def.slug)!);
      adjective = random.pick(goods.adjectives);
      type = random.pick(goods.types);
      model = this.#model();
      title = `${brand.name} ${adjective} ${type} ${model}`;
    } while (this.#titles.has(title));
    const fill = (template: string) =>
      template
        .replaceAll('{brand}', brand.name)
        .replaceAll('{adjective}', adjective.toLowerCase())
        .replaceAll('{type}', lowerWords(type))
        .replaceAll('{model}', model)
        .replaceAll('{use}', goods.use);
    const sentences = [
      random.pick(descriptionOpeners),
      ...random.sample(descriptionMiddles, random.int(1, 2)),
      random.pick(descriptionClosers),
    ];
    const description = sentences.map(fill).join(' ');
    return this.#build(def.slug, brand, title, description);
  }

  /** Hostile titles and the broken JSON-LD page: the cases extractors and escaping get wrong. */
  specials(): DemoProduct[] {
    const brand = (name: string) => brands.find((b) => b.name === name)!;
    const script = this.#build(
      'coffee',
      brand('Kestrel'),
      'Kestrel <script>alert(1)</script> Insulated Travel Mug 01',
      'A travel mug whose listing was pasted from a spreadsheet, markup and all. Keeps coffee hot for six hours.',
      { markup: 'jsonld', priceCents: 2490 },
    );
    const unicode = this.#build(
      'tea',
      brand('Mirelle'),
      'Mirelle Café "Crème" Müller & Söhne 日本 Teapot Edition',
      'A porcelain teapot glazed in Arita, Japan (日本), for the Café Crème Müller & Söhne tea room. Holds 0.6 litres.',
      { markup: 'microdata', priceCents: 8900 },
    );
    const ampersand = this.#build(
      'coffee',
      brand('Holm & Berg'),
      `Holm & Berg "Barista" Milk Jug 350 ml – Chef's Choice`,
      'A stainless milk jug with a sharp spout for latte art. Dishwasher safe & stackable.',
      { markup: 'plain', priceCents: 1990 },
    );
    const broken = this.#build(
      'coffee',
      brand('Nordvik'),
      'Nordvik Stainless Steel Espresso Tamper 58',
      'A heavy, flat-based tamper that fits 58 mm portafilters. Its JSON-LD was mangled by a CMS plugin.',
      { markup: 'microdata', brokenJsonLd: true, slugPrefix: 'broken-jsonld-', priceCents: 4490 },
    );
    return [script, unicode, ampersand, broken];
  }

  #model(): string {
    const { random } = this;
    switch (random.int(0, 4)) {
      case 0:
        return `0${random.int(1, 9)}`;
      case 1:
        return `${random.pick(['X', 'S', 'M', 'T'])}${random.int(1, 9)}`;
      case 2:
        return `${random.pick(['S', 'K', 'R', 'V'])}${random.int(1, 9) * 100}`;
      case 3:
        return `Pro ${random.int(2, 6)}`;
      default:
        return random.pick(['Mk II', 'Mk III', 'Mk IV']);
    }
  }

  #build(
    categorySlug: string,
    brand: BrandDef,
    title: string,
    description: string,
    special: { markup?: Markup; brokenJsonLd?: boolean; slugPrefix?: string; priceCents?: number } = {},
  ): DemoProduct {
    const { random } = this;
    const category = this.categories.find((c) => c.slug === categorySlug)!;
    const goods = categoryDefs.find((def) => def.slug === categorySlug)!.goods!;
    const n = this.#next++;
    this.#titles.add(title);

    let slug = `${special.slugPrefix ?? ''}${slugify(title)}`;
    for (let k = 2; this.#slugs.has(slug); k++) slug = `${slugify(title)}-${k}`;
    this.#slugs.add(slug);

    const drawnCents =
      random.int(Math.ceil(goods.minCents / 100), Math.floor(goods.maxCents / 100)) * 100 +
      random.pick([90, 99, 0, 50]);
    const priceCents = special.priceCents ?? drawnCents;
    const wasPriceCents = random.next() < 0.15 ? Math.round((priceCents * 1.25) / 100) * 100 - 10 : null;
    const currencyRoll = random.next();
    const currency: Currency = currencyRoll < 0.1 ? 'GBP' : currencyRoll < 0.2 ? 'USD' : 'EUR';
    const priceStyle = currency === 'EUR' && random.next() < 0.5 ? 'suffix' : 'prefix';
    const stockRoll = random.next();
    const availability: DemoAvailability =
      stockRoll < 0.12 ? 'OutOfStock' : stockRoll < 0.145 ? 'PreOrder' : 'InStock';
    const imageCount = random.int(1, 3);
    const markupRoll = random.next();
    const markup: Markup =
      special.markup ?? (markupRoll < 0.4 ? 'jsonld' : markupRoll < 0.75 ? 'microdata' : 'plain');

    const brandIndex = brands.indexOf(brand);
    const gtinBody = `${40 + (brandIndex % 10)}${String(10007 + brandIndex * 3571).slice(-5)}${String(n).padStart(5, '0')}`;
    return {
      id: `p${String(n).padStart(4, '0')}`,
      slug,
      title,
      brand: brand.name,
      sku: `${brand.code}-${10000 + n}`,
      gtin: `${gtinBody}${gtinCheckDigit(gtinBody)}`,
      priceCents,
      wasPriceCents,
      currency,
      priceStyle,
      availability,
      description,
      images: Array.from({ length: imageCount }, (_, i) => `/static/img/${slug}-${i + 1}.svg`),
      categorySlug,
      categoryPath: [...category.path],
      markup,
      brokenJsonLd: special.brokenJsonLd ?? false,
    };
  }
}
