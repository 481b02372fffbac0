import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '../core/db/index.ts';
import type { NormalisedProduct } from '../core/product.ts';
import { closeConnections } from '../test/connections.ts';
import { writeProducts } from './ingest.ts';
import { clearSearchCache, searchProducts, searchQuerySchema } from './search.ts';
import { putSite } from './sites.ts';

const products: Array<Partial<NormalisedProduct> & Pick<NormalisedProduct, 'title' | 'price'>> = [
  {
    title: 'Nordvik Espresso Machine Classic',
    brand: 'Nordvik',
    price: '349.00',
    categoryPath: ['Kitchen', 'Coffee'],
  },
  {
    title: 'Nordvik Espresso Machine Pro',
    brand: 'Nordvik',
    price: '599.00',
    categoryPath: ['Kitchen', 'Coffee'],
  },
  {
    title: 'Baristo Espresso Grinder',
    brand: 'Baristo',
    price: '129.00',
    categoryPath: ['Kitchen', 'Coffee'],
  },
  {
    title: 'Baristo Espresso Cups (set of 4)',
    brand: 'Baristo',
    price: '24.50',
    categoryPath: ['Kitchen', 'Tableware'],
    availability: 'OutOfStock',
  },
  {
    title: 'Sonora Wireless Headphones',
    brand: 'Sonora',
    price: '199.99',
    categoryPath: ['Audio', 'Headphones'],
  },
  {
    title: 'Sonora Studio Headphones',
    brand: 'Sonora',
    price: '89.00',
    categoryPath: ['Audio', 'Headphones'],
  },
  {
    title: 'Trailhead Hiking Backpack 30 L',
    brand: 'Trailhead',
    price: '75.00',
    categoryPath: ['Outdoor', 'Bags'],
  },
  { title: 'Crème Brûlée Torch', brand: 'Mirelle', price: '32.00', categoryPath: ['Kitchen', 'Tools'] },
];

let siteName: string;

beforeAll(async () => {
  const site = await putSite({ name: 'search-shop', startUrls: ['https://search.example/'] });
  siteName = site.name;
  await writeProducts(
    products.map((p, i) => ({
      siteId: site.id,
      runId: null,
      product: {
        url: `https://search.example/p/${i}`,
        description: null,
        brand: null,
        sku: `SKU-${i}`,
        gtin: null,
        currency: 'EUR',
        availability: 'InStock',
        images: [],
        categoryPath: [],
        attributes: {},
        ...p,
      },
    })),
  );
});

afterAll(closeConnections);

const search = (params: Record<string, string>) =>
  searchProducts(searchQuerySchema.parse({ site: siteName, ...params }));

describe('searchProducts', () => {
  it('finds products by words of their title, brand and category', async () => {
    const result = await search({ q: 'espresso machine' });
    expect(result.items.map((i) => i.title).sort()).toEqual([
      'Nordvik Espresso Machine Classic',
      'Nordvik Espresso Machine Pro',
    ]);
    expect((await search({ q: 'headphones' })).total).toBe(2);
    expect((await search({ q: 'sonora' })).total).toBe(2);
  });

  it('tolerates misspellings, including transposed letters', async () => {
    for (const q of ['expresso', 'espreso', 'headphnoes', 'backpak']) {
      const result = await search({ q });
      expect(result.total, q).toBeGreaterThan(0);
      expect(Object.keys(result.corrections), q).toEqual([q]);
    }
    expect((await search({ q: 'espreso machnie' })).total).toBe(2);
  });

  it('folds accents and matches word prefixes as you type', async () => {
    expect((await search({ q: 'creme brulee' })).items[0]?.title).toBe('Crème Brûlée Torch');
    expect((await search({ q: 'headph' })).total).toBe(2);
  });

  it('counts facets over the matches, each ignoring its own filter', async () => {
    const result = await search({ q: 'espresso', brand: 'Baristo' });
    expect(result.total).toBe(2);
    // The brand facet counts every brand among espresso products, not only the chosen one.
    expect(result.facets.brand).toEqual([
      { value: 'Baristo', count: 2 },
      { value: 'Nordvik', count: 2 },
    ]);
    expect(result.facets.category).toEqual([
      { value: 'Coffee', count: 1 },
      { value: 'Tableware', count: 1 },
    ]);
    expect(result.facets.availability).toEqual(
      expect.arrayContaining([
        { value: 'InStock', count: 1 },
        { value: 'OutOfStock', count: 1 },
      ]),
    );
    expect(result.facets.price).toEqual([
      { min: 0, max: 25, count: 1 },
      { min: 100, max: 250, count: 1 },
    ]);
  });

  it('filters by category, price range and stock', async () => {
    expect((await search({ category: 'Kitchen' })).total).toBe(5);
    expect(
      (await search({ category: 'Coffee', minPrice: '200', maxPrice: '400' })).items.map((i) => i.title),
    ).toEqual(['Nordvik Espresso Machine Classic']);
    expect((await search({ q: 'espresso', inStock: 'true' })).total).toBe(3);
  });

  it('sorts by price and pages through results', async () => {
    const cheap = await search({ sort: 'price_asc', pageSize: '3' });
    expect(cheap.items.map((i) => i.price)).toEqual(['24.50', '32.00', '75.00']);
    expect(cheap.total).toBe(products.length);
    const page3 = await search({ sort: 'price_asc', pageSize: '3', page: '3' });
    expect(page3.items.map((i) => i.price)).toEqual(['349.00', '599.00']);
    const dear = await search({ sort: 'price_desc', pageSize: '1' });
    expect(dear.items[0]?.price).toBe('599.00');
  });

  it('treats query syntax as plain words', async () => {
    for (const q of ["'", '!', '&|:*', "o'brien & (x)", '\\']) {
      await expect(search({ q })).resolves.toBeDefined();
    }
  });
});

async function writeSite(
  name: string,
  items: Array<Partial<NormalisedProduct> & Pick<NormalisedProduct, 'title'>>,
) {
  const site = await putSite({ name, startUrls: [`https://${name}.example/`] });
  await writeProducts(
    items.map((p, i) => ({
      siteId: site.id,
      runId: null,
      product: {
        url: `https://${name}.example/p/${i}`,
        description: null,
        brand: null,
        sku: null,
        gtin: null,
        price: '10.00',
        currency: 'EUR',
        availability: 'InStock',
        images: [],
        categoryPath: [],
        attributes: {},
        ...p,
      },
    })),
  );
  return site.name;
}

describe('ranking and typos', () => {
  let site: string;
  beforeAll(async () => {
    site = await writeSite('tier-shop', [
      { title: 'Brass Bulb E27', description: 'Fits any lamp with a standard socket.' },
      { title: 'Halden Desk Lamp S500', brand: 'Halden' },
      { title: 'Halden Desk Lamp S5', brand: 'Halden' },
      { title: 'Reading Light', description: 'A warm light for your evenings.' },
      { title: 'Lamp Shade', availability: 'OutOfStock' },
    ]);
  });
  const find = (q: string) => searchProducts(searchQuerySchema.parse({ site, q }));

  it('ranks title matches above description matches, in stock first', async () => {
    const titles = (await find('lamp')).items.map((i) => i.title);
    expect(titles.at(-1)).toBe('Brass Bulb E27');
    expect(titles.slice(0, 2).sort()).toEqual(['Halden Desk Lamp S5', 'Halden Desk Lamp S500']);
    expect(titles[2]).toBe('Lamp Shade');
  });

  it('ranks an exact word above a prefix match', async () => {
    const titles = (await find('s5')).items.map((i) => i.title);
    expect(titles).toEqual(['Halden Desk Lamp S5', 'Halden Desk Lamp S500']);
    expect((await find('halden s5')).items[0]?.title).toBe('Halden Desk Lamp S5');
  });

  it('counts a transposition as one edit and never corrects into a stop word', async () => {
    const lmap = await find('lmap');
    expect(lmap.corrections).toEqual({ lmap: ['lamp'] });
    expect(lmap.total).toBe(4);
    const ligth = await find('ligth');
    expect(ligth.corrections.ligth).toContain('light');
    expect(ligth.corrections.ligth).not.toContain('with');
    expect(ligth.items.map((i) => i.title)).toEqual(['Reading Light']);
    // Known words and model numbers are taken as typed.
    expect((await find('lamp')).corrections).toEqual({});
    expect((await find('s50')).corrections).toEqual({});
  });
});

describe('words the catalog learns', () => {
  it('takes a word as typed once a listing brings it, though it was unknown before', async () => {
    const site = await writeSite('learning-shop', [{ title: 'Garden Hose' }]);
    const find = (q: string) => searchProducts(searchQuerySchema.parse({ site, q }));
    expect((await find('quixotry')).total).toBe(0);
    await writeSite('learning-shop', [{ title: 'Garden Hose' }, { title: 'Quixotry Lantern' }]);
    const after = await find('quixotry');
    expect(after.corrections).toEqual({});
    expect(after.items.map((i) => i.title)).toEqual(['Quixotry Lantern']);
  });
});

describe('pages, totals and order', () => {
  let site: string;
  const count = 130;
  beforeAll(async () => {
    // One batch: every listing shares first_seen_at, and prices repeat, so only id breaks ties.
    site = await writeSite(
      'deep-shop',
      Array.from({ length: count }, (_, i) => ({
        title: `Deep Widget ${i % 3 === 0 ? 'Pro' : 'Basic'} ${i}`,
        brand: ['Acme', 'Bolt', 'Crux'][i % 3]!,
        price: `${10 + (i % 7)}.00`,
        availability: i % 5 === 0 ? ('OutOfStock' as const) : ('InStock' as const),
        categoryPath: ['Tools', i % 2 ? 'Hand' : 'Power'],
      })),
    );
    // Statistics, as a running install has them: with a small cap the planner then expects more
    // matches than the cap, and capped queries skip the single pass (the tests below compare
    // their pages with uncapped ones, which take it).
    await db().$executeRawUnsafe('ANALYZE search_document');
    clearSearchCache();
  });
  const params = (extra: Record<string, string>) =>
    searchQuerySchema.parse({ site, pageSize: '9', ...extra });

  it.each(['relevance', 'price_asc', 'price_desc', 'newest'])(
    'reaches every match exactly once, page by page, sorted by %s',
    async (sort) => {
      for (const q of ['', 'widget', 'widge']) {
        const first = await searchProducts(params({ q, sort }));
        expect(first.total, q).toBe(count);
        expect(first.totalExact).toBe(true);
        const seen: string[] = [];
        for (let page = 1; page <= Math.ceil(first.total / 9); page++) {
          const result = await searchProducts(params({ q, sort, page: String(page) }));
          expect(result.total).toBe(count);
          expect(result.items.length).toBe(Math.min(9, count - (page - 1) * 9));
          seen.push(...result.items.map((i) => i.id));
        }
        expect(new Set(seen).size, `${sort} ${q}`).toBe(count);
        const past = await searchProducts(params({ q, sort, page: String(Math.ceil(count / 9) + 1) }));
        expect(past.items).toEqual([]);
        expect(past.total).toBe(count);
      }
    },
  );

  it('gives the same page for the same query, ties broken by product id', async () => {
    for (const sort of ['relevance', 'price_asc', 'newest']) {
      const a = await searchProducts(params({ q: 'deep', sort, page: '3' }));
      const b = await searchProducts(params({ q: 'deep', sort, page: '3' }));
      expect(b.items.map((i) => i.id)).toEqual(a.items.map((i) => i.id));
    }
    const byPrice = await searchProducts(params({ sort: 'price_asc', pageSize: '100' }));
    for (let i = 1; i < byPrice.items.length; i++) {
      const [a, b] = [byPrice.items[i - 1]!, byPrice.items[i]!];
      // Ties are broken by the product's id (as Meilisearch does), whichever path read the page.
      expect(Number(a.price) < Number(b.price) || (a.price === b.price && a.productId < b.productId)).toBe(
        true,
      );
    }
  });

  it('says "N+" past the cap, and every page up to it is reachable and consistent', async () => {
    const cap = 50;
    const first = await searchProducts(params({ q: 'widget' }), { totalCap: cap });
    expect(first).toMatchObject({ total: cap, totalExact: false, facetsExhaustive: false });
    const seen: string[] = [];
    for (let page = 1; page <= Math.ceil(cap / 9); page++) {
      const result = await searchProducts(params({ q: 'widget', page: String(page) }), { totalCap: cap });
      expect(result.total).toBe(cap);
      seen.push(...result.items.map((i) => i.id));
    }
    expect(new Set(seen).size).toBe(cap);
    // The capped window is the start of the full order.
    const full: string[] = [];
    for (let page = 1; page <= 6; page++) {
      full.push(
        ...(await searchProducts(params({ q: 'widget', page: String(page) }))).items.map((i) => i.id),
      );
    }
    expect(seen).toEqual(full.slice(0, cap));
    const past = await searchProducts(params({ q: 'widget', page: '7' }), { totalCap: cap });
    expect(past.items).toEqual([]);
  });

  it('past the cap, a facet whose few matches cost less than a sample is counted whole', async () => {
    // 130 widgets, a third of them Acme: the brand facet (counted without the brand filter) stops
    // at the cap of 50, and 130 matches in this small table cost less to count than to sample.
    const result = await searchProducts(params({ q: 'widget', brand: 'Acme' }), { totalCap: 50 });
    expect(result).toMatchObject({ total: 44, totalExact: true, facetsExhaustive: true });
    expect(result.facets.brand).toEqual([
      { value: 'Acme', count: 44 },
      { value: 'Bolt', count: 43 },
      { value: 'Crux', count: 43 },
    ]);
  });

  it('words with three facet filters: each facet counts the matches every other filter accepts', async () => {
    const result = await searchProducts(
      params({ q: 'widget', category: 'Hand', brand: 'Acme', inStock: 'true' }),
    );
    const all = Array.from({ length: count }, (_, i) => ({
      category: i % 2 ? 'Hand' : 'Power',
      brand: ['Acme', 'Bolt', 'Crux'][i % 3]!,
      stock: i % 5 === 0 ? 'OutOfStock' : 'InStock',
    }));
    const tally = (rows: typeof all, key: 'category' | 'brand' | 'stock') => {
      const counts = new Map<string, number>();
      for (const r of rows) counts.set(r[key], (counts.get(r[key]) ?? 0) + 1);
      return [...counts]
        .map(([value, n]) => ({ value, count: n }))
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
    };
    const cat = (r: (typeof all)[0]) => r.category === 'Hand';
    const brand = (r: (typeof all)[0]) => r.brand === 'Acme';
    const stock = (r: (typeof all)[0]) => r.stock === 'InStock';
    expect(result.total).toBe(all.filter((r) => cat(r) && brand(r) && stock(r)).length);
    expect(result.facets.category).toEqual(
      tally(
        all.filter((r) => brand(r) && stock(r)),
        'category',
      ),
    );
    expect(result.facets.brand).toEqual(
      tally(
        all.filter((r) => cat(r) && stock(r)),
        'brand',
      ),
    );
    expect(result.facets.availability).toEqual(
      tally(
        all.filter((r) => cat(r) && brand(r)),
        'stock',
      ),
    );
  });

  it('filters by site, category, brand and stock together, facets ignoring their own filter', async () => {
    const result = await searchProducts(params({ category: 'Hand', brand: 'Acme', inStock: 'true' }));
    const expected = Array.from({ length: count }, (_, i) => i).filter(
      (i) => i % 2 === 1 && i % 3 === 0 && i % 5 !== 0,
    ).length;
    expect(result.total).toBe(expected);
    expect(result.facets.brand.map((b) => b.value).sort()).toEqual(['Acme', 'Bolt', 'Crux']);
    expect(result.facets.category.map((c) => c.value).sort()).toEqual(['Hand', 'Power']);
  });
});

describe('browse counts', () => {
  const browse = (site: string) =>
    searchProducts(searchQuerySchema.parse({ site, category: 'Garden' })).then((r) => ({
      total: r.total,
      brands: r.facets.brand,
    }));

  it('are computed again once a document changes, and refreshed in the background when old', async () => {
    const items = ['Rake', 'Hoe', 'Spade'].map((title) => ({
      title: `Garden ${title}`,
      brand: 'Greenway',
      categoryPath: ['Garden'],
    }));
    const site = await writeSite('browse-cache-shop', items);
    expect(await browse(site)).toEqual({ total: 3, brands: [{ value: 'Greenway', count: 3 }] });

    // A write through ingestion moves the search version: the next browse counts it.
    await writeSite('browse-cache-shop', [
      ...items,
      { title: 'Garden Trowel', brand: 'Greenway', categoryPath: ['Garden'] },
    ]);
    expect(await browse(site)).toEqual({ total: 4, brands: [{ value: 'Greenway', count: 4 }] });

    // A change the version did not see (as when a read races a write's commit) is served from
    // the cache until the entry is old, then once more while it is computed again.
    await db().$executeRaw`UPDATE search_document SET brand = 'Renamed' WHERE ${site} = ANY(sites)`;
    expect((await browse(site)).brands).toEqual([{ value: 'Greenway', count: 4 }]);
    const now = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(now + 11_000);
    try {
      expect((await browse(site)).brands).toEqual([{ value: 'Greenway', count: 4 }]);
      await vi.waitFor(async () => {
        expect((await browse(site)).brands).toEqual([{ value: 'Renamed', count: 4 }]);
      });
    } finally {
      clock.mockRestore();
    }
  });
});
