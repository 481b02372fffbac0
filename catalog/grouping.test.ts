import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../core/db/index.ts';
import type { NormalisedProduct } from '../core/product.ts';
import { closeConnections } from '../test/connections.ts';
import { explainGrouping, mergeProducts, splitOffer } from './grouping.ts';
import { writeProducts } from './ingest.ts';
import { searchProducts, searchQuerySchema } from './search.ts';
import { putSite } from './sites.ts';

type Item = Partial<NormalisedProduct> & Pick<NormalisedProduct, 'title'> & { key: string };

const sites = new Map<string, string>();
async function write(siteName: string, items: Item[]) {
  if (!sites.has(siteName)) {
    const site = await putSite({ name: siteName, startUrls: [`https://${siteName}.example/`] });
    sites.set(siteName, site.id);
  }
  await writeProducts(
    items.map(({ key, ...p }) => ({
      siteId: sites.get(siteName)!,
      runId: null,
      product: {
        url: `https://${siteName}.example/p/${key}`,
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

async function groupOf(siteName: string, key: string): Promise<string> {
  const row = await db().product.findFirstOrThrow({
    where: { siteId: sites.get(siteName)!, url: `https://${siteName}.example/p/${key}` },
    select: { catalogProductId: true },
  });
  return row.catalogProductId!;
}

beforeAll(async () => {
  await write('group-a', [
    {
      key: 'kettle',
      title: 'Fjellhus Gooseneck Kettle K200',
      gtin: '4006381000031',
      brand: 'Fjellhus',
      price: '59.00',
    },
    { key: 'lamp', title: 'Halden Desk Lamp S5', brand: 'Halden', attributes: { mpn: 'HD-S5-BLK' } },
    { key: 'lamp500', title: 'Halden Desk Lamp S500', brand: 'Halden' },
    { key: 'pen', title: 'Quillon Fountain Pen F12', categoryPath: ['Office', 'Pens'] },
    { key: 'shirt', title: 'Blue Cotton Shirt', categoryPath: ['Clothing'] },
    { key: 'mug', title: 'Kestrel Travel Mug M3', gtin: '5901234000017' },
  ]);
  await write('group-b', [
    // The same GTIN written as GTIN-14 with spaces.
    { key: 'kettle', title: 'Gooseneck kettle by Fjellhus', gtin: '0 4006381 00003 1', price: '54.50' },
    // Brand and MPN, no GTIN.
    { key: 'lamp', title: 'HALDEN lamp (black)', brand: 'halden', attributes: { MPN: 'hd s5 blk' } },
    // A near-identical title: case and punctuation aside.
    { key: 'lamp500', title: 'HALDEN desk-lamp, S500' },
    // Same words, other category: another product.
    { key: 'pen', title: 'Quillon Fountain Pen F12', categoryPath: ['Gifts'] },
    // No model-like word: titles alone never merge it.
    { key: 'shirt', title: 'Blue cotton shirt', categoryPath: ['Clothing'] },
    // An invalid check digit is no GTIN.
    { key: 'mug', title: 'Kestrel Travel Mug M3 steel', gtin: '5901234000018' },
  ]);
  await write('group-c', [
    // Look-alike: the same title as another product's but its own GTIN.
    { key: 'mug', title: 'Kestrel Travel Mug M3', gtin: '4012345000016' },
    // A GTIN listing joins a product grouped by title alone (which then has its GTIN)…
    { key: 'lamp500', title: 'Halden Desk Lamp S500', gtin: '9780201000016' },
  ]);
  await write('group-d', [
    // …and after that, a listing with another GTIN and the same title is another product.
    { key: 'lamp500', title: 'Halden Desk Lamp S500', gtin: '9780306000010' },
  ]);
});

afterAll(closeConnections);

describe('grouping listings into products', () => {
  it('groups by GTIN, however it is written', async () => {
    expect(await groupOf('group-b', 'kettle')).toBe(await groupOf('group-a', 'kettle'));
    const grouping = await explainGrouping(await groupOf('group-a', 'kettle'));
    expect(grouping!.offers.map((o) => o.reason).sort()).toEqual(['first', 'gtin:04006381000031']);
    expect(grouping!.offers.find((o) => o.site === 'group-b')!.explanation).toBe('same GTIN 4006381000031');
  });

  it('groups by brand and manufacturer part number', async () => {
    expect(await groupOf('group-b', 'lamp')).toBe(await groupOf('group-a', 'lamp'));
  });

  it('groups near-identical titles in the same category', async () => {
    expect(await groupOf('group-b', 'lamp500')).toBe(await groupOf('group-a', 'lamp500'));
  });

  it('keeps look-alikes apart', async () => {
    expect(await groupOf('group-a', 'lamp')).not.toBe(await groupOf('group-a', 'lamp500'));
    expect(await groupOf('group-b', 'pen')).not.toBe(await groupOf('group-a', 'pen'));
    expect(await groupOf('group-b', 'shirt')).not.toBe(await groupOf('group-a', 'shirt'));
    expect(await groupOf('group-b', 'mug')).not.toBe(await groupOf('group-a', 'mug'));
    expect(await groupOf('group-c', 'mug')).not.toBe(await groupOf('group-a', 'mug'));
    expect(await groupOf('group-c', 'lamp500')).toBe(await groupOf('group-a', 'lamp500'));
    expect(await groupOf('group-d', 'lamp500')).not.toBe(await groupOf('group-a', 'lamp500'));
  });

  it('never merges a merchant-made product or an overridden title by its text', async () => {
    const site = await putSite({ name: 'group-manual', startUrls: ['https://group-manual.example/'] });
    const manual = await db().product.create({
      data: {
        siteId: site.id,
        url: 'https://group-manual.example/p/lamp',
        title: 'Halden Desk Lamp S5',
        brand: 'Halden',
        attributes: { mpn: 'HD-S5-BLK' },
        origin: 'manual',
        contentHash: 'manual',
      },
    });
    const { catalogProductId } = await db().product.findUniqueOrThrow({ where: { id: manual.id } });
    expect(catalogProductId).not.toBe(await groupOf('group-a', 'lamp'));
    // An override changes what shoppers see, not the product a listing is an offer of.
    const shirt = await db().product.findFirstOrThrow({ where: { url: 'https://group-b.example/p/shirt' } });
    await db().listingOverride.create({
      data: { productId: shirt.id, title: 'Fjellhus Gooseneck Kettle K200' },
    });
    expect(await groupOf('group-b', 'shirt')).not.toBe(await groupOf('group-a', 'kettle'));
  });

  it('shows one card per product: N offers from the lowest price', async () => {
    const result = await searchProducts(
      searchQuerySchema.parse({ q: 'gooseneck kettle', brand: 'Fjellhus', site: 'group-a' }),
    );
    expect(result.items).toHaveLength(1);
    expect(result.items[0]).toMatchObject({ offers: 2, price: '54.50', site: 'group-b' });
    expect(result.items[0]!.productId).toBe(await groupOf('group-a', 'kettle'));
    // A shop filter finds the product through any of its offers.
    const bySite = await searchProducts(searchQuerySchema.parse({ q: 'kettle', site: 'group-a' }));
    expect(bySite.items.map((i) => i.productId)).toEqual([await groupOf('group-a', 'kettle')]);
  });

  it('lets an admin split an offer off and merge products, and a recrawl keeps it so', async () => {
    const lamp = await groupOf('group-a', 'lamp');
    const offer = await db().product.findFirstOrThrow({ where: { url: 'https://group-b.example/p/lamp' } });
    const alone = await splitOffer(offer.id);
    expect(await groupOf('group-b', 'lamp')).toBe(alone);
    expect((await explainGrouping(alone))!.offers[0]).toMatchObject({ reason: 'split', locked: true });
    // The next crawl brings the same page: it stays split.
    await write('group-b', [
      { key: 'lamp', title: 'HALDEN lamp (black)', brand: 'halden', attributes: { MPN: 'hd s5 blk' } },
    ]);
    expect(await groupOf('group-b', 'lamp')).toBe(alone);

    await mergeProducts(lamp, alone);
    expect(await groupOf('group-b', 'lamp')).toBe(lamp);
    expect(await explainGrouping(alone)).toBeNull();
    const cards = await searchProducts(searchQuerySchema.parse({ q: 'halden lamp', site: 'group-b' }));
    expect(cards.items.find((i) => i.productId === lamp)?.offers).toBe(2);
  });
});

describe('concurrent batches', () => {
  it('group the same products from two shops at once into one product each, without deadlock', async () => {
    const gtins = Array.from({ length: 40 }, (_, i) => {
      const body = `50000000${String(i).padStart(4, '0')}`;
      let total = 0;
      for (let k = 0; k < 12; k++) total += Number(body[k]) * (k % 2 === 0 ? 1 : 3);
      return `${body}${(10 - (total % 10)) % 10}`;
    });
    const items = (reverse: boolean) =>
      (reverse ? [...gtins].reverse() : gtins).map((gtin, i) => ({
        key: gtin,
        title: `Race Item ${reverse ? 40 - i : i} R${gtin.slice(-4)}`,
        gtin,
      }));
    await Promise.all([write('race-x', items(false)), write('race-y', items(true))]);
    for (const gtin of gtins) expect(await groupOf('race-x', gtin)).toBe(await groupOf('race-y', gtin));
  });
});
