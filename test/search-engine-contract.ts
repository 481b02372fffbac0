/**
 * What every search engine must do, whichever serves the storefront. Run against Postgres in
 * `npm test` (search-engine.test.ts) and against Meilisearch whenever MEILI_URL points at a
 * real server. The data goes in through ingestion, as in production; `engine.sync()` then
 * brings an external engine up to date.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SearchEngine } from '../catalog/engine.ts';
import { writeProducts } from '../catalog/ingest.ts';
import { searchQuerySchema } from '../catalog/search.ts';
import { putSite } from '../catalog/sites.ts';
import { db } from '../core/db/index.ts';
import type { NormalisedProduct } from '../core/product.ts';

type Item = Partial<NormalisedProduct> & Pick<NormalisedProduct, 'title'> & { key: string };

async function shop(name: string, items: Item[]): Promise<void> {
  const site = await putSite({ name, startUrls: [`https://${name}.example/`] });
  await writeProducts(
    items.map(({ key, ...p }) => ({
      siteId: site.id,
      runId: null,
      product: {
        url: `https://${name}.example/p/${key}`,
        description: null,
        brand: null,
        sku: null,
        gtin: null,
        price: '10.00',
        currency: 'EUR',
        availability: 'InStock',
        images: [],
        categoryPath: ['Home', 'Lighting'],
        attributes: {},
        ...p,
      },
    })),
  );
}

export function searchEngineContract(label: string, engine: () => SearchEngine, prefix: string): void {
  const a = `${prefix}-a`;
  const b = `${prefix}-b`;
  const search = (params: Record<string, string>) =>
    engine().search(searchQuerySchema.parse({ site: a, ...params }));

  describe(`search engine contract: ${label}`, () => {
    beforeAll(async () => {
      await shop(a, [
        {
          key: 'lamp5',
          title: 'Haldor Desk Lamp S5',
          brand: 'Haldor',
          price: '40.00',
          gtin: '4006381000017',
        },
        { key: 'lamp500', title: 'Haldor Desk Lamp S500', brand: 'Haldor', price: '60.00' },
        {
          key: 'floor',
          title: 'Lumio Floor Lamp F2',
          brand: 'Lumio',
          price: '120.00',
          availability: 'OutOfStock',
        },
        {
          key: 'kettle',
          title: 'Fjellhus Gooseneck Kettle K2',
          brand: 'Fjellhus',
          price: '55.00',
          categoryPath: ['Kitchen', 'Tea'],
        },
        { key: 'hidden', title: 'Secret Prototype Lamp P1', brand: 'Haldor', price: '10.00' },
        ...Array.from({ length: 30 }, (_, i) => ({
          key: `bulb${i}`,
          title: `Brightwell Bulb E27 B${i}`,
          brand: 'Brightwell',
          price: `${5 + (i % 3)}.00`,
          categoryPath: ['Home', 'Bulbs'],
        })),
      ]);
      // The same lamp at another shop, cheaper: one product, two offers.
      await shop(b, [{ key: 'lamp5', title: 'HALDEN desk lamp S5', price: '35.50', gtin: '4006381000017' }]);
      const hidden = await db().product.findFirstOrThrow({ where: { url: `https://${a}.example/p/hidden` } });
      await db().listingOverride.create({ data: { productId: hidden.id, hidden: true } });
      await engine().sync();
    });

    it('finds products by their words, one card per product with its offers and lowest price', async () => {
      const result = await search({ q: 'haldor lamp' });
      expect(result.items.map((i) => i.title).sort()).toEqual([
        'Haldor Desk Lamp S5',
        'Haldor Desk Lamp S500',
      ]);
      const s5 = result.items.find((i) => i.title === 'Haldor Desk Lamp S5')!;
      expect(s5).toMatchObject({ offers: 2, price: '35.50', currency: 'EUR' });
    });

    it('never shows a hidden listing', async () => {
      expect((await search({ q: 'prototype' })).items).toEqual([]);
    });

    it('forgives a transposition and ranks an exact word above a prefix', async () => {
      expect((await search({ q: 'ketlte' })).items.map((i) => i.title)).toEqual([
        'Fjellhus Gooseneck Kettle K2',
      ]);
      expect((await search({ q: 'lmap' })).items.length).toBeGreaterThanOrEqual(3);
      expect((await search({ q: 'haldor s5' })).items[0]?.title).toBe('Haldor Desk Lamp S5');
    });

    it('filters, and counts each facet without its own filter', async () => {
      const result = await search({ q: 'lamp', brand: 'Haldor', maxPrice: '50' });
      expect(result.items.map((i) => i.title)).toEqual(['Haldor Desk Lamp S5']);
      expect(result.facets.brand.map((f) => f.value).sort()).toEqual(['Haldor']);
      const lamps = await search({ q: 'lamp', brand: 'Haldor' });
      expect(lamps.facets.brand.map((f) => f.value).sort()).toEqual(['Haldor', 'Lumio']);
      expect((await search({ q: 'lamp', inStock: 'true' })).items.map((i) => i.title)).not.toContain(
        'Lumio Floor Lamp F2',
      );
      expect((await search({ category: 'Tea' })).items.map((i) => i.title)).toEqual([
        'Fjellhus Gooseneck Kettle K2',
      ]);
    });

    it('reaches every match exactly once, page by page, in a total order', async () => {
      for (const sort of ['relevance', 'price_asc', 'price_desc', 'newest']) {
        const first = await search({ q: 'bulb', sort, pageSize: '7' });
        expect(first.total, sort).toBe(30);
        const seen: string[] = [];
        for (let page = 1; page <= 5; page++) {
          const result = await search({ q: 'bulb', sort, pageSize: '7', page: String(page) });
          expect(result.total).toBe(30);
          seen.push(...result.items.map((i) => i.productId));
        }
        expect(new Set(seen).size, sort).toBe(30);
        const again = await search({ q: 'bulb', sort, pageSize: '7', page: '3' });
        expect(
          again.items.map((i) => i.productId),
          sort,
        ).toEqual(seen.slice(14, 21));
      }
      const cheap = await search({ q: 'bulb', sort: 'price_asc', pageSize: '30' });
      const prices = cheap.items.map((i) => Number(i.price));
      expect(prices).toEqual([...prices].sort((x, y) => x - y));
    });
  });
}
