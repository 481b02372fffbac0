import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalisedProduct } from '../core/product.ts';
import { closeConnections } from '../test/connections.ts';
import { writeProducts } from './ingest.ts';
import { searchProducts, searchQuerySchema } from './search.ts';
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
