import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { systemActor } from '../core/actor.ts';
import { db, Prisma } from '../core/db/index.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../core/errors.ts';
import { minorUnitsOf } from '../core/money.ts';
import { userWithRole } from '../test/accounts.ts';
import { closeConnections } from '../test/connections.ts';
import { merchantWithListings, type TestMerchant } from '../test/shop-world.ts';
import {
  createManualProduct,
  getAdminProduct,
  listAdminProducts,
  updateManualProduct,
} from './admin-products.ts';
import { writeProducts } from './ingest.ts';
import { getListings, purchaseProblem } from './listings.ts';
import { clearOverrides, listedPrice, setOverrides } from './overrides.ts';
import { getProduct } from './products.ts';
import { markGone } from './runs.ts';
import { searchProducts, searchQuerySchema } from './search.ts';

let shop: TestMerchant;
let other: TestMerchant;

beforeAll(async () => {
  shop = await merchantWithListings([
    { title: 'Quillon Fountain Pen', price: '40.00' },
    { title: 'Quillon Ink Bottle', price: '9.99' },
    { title: 'Quillon Notebook', price: '12.00', currency: 'JPY' },
  ]);
  other = await merchantWithListings([{ title: 'Quillon Desk Lamp', price: '55.00' }]);
});

afterAll(closeConnections);

const search = (params: Record<string, string>) =>
  searchProducts(searchQuerySchema.parse({ site: shop.siteName, ...params }));

describe('listed prices', () => {
  it('rounds a currency in SQL to the same digits as Intl does, for every currency Node knows', async () => {
    const currencies = Intl.supportedValuesOf('currency');
    const rows = await db().$queryRaw<Array<{ c: string; d: number }>>`
      SELECT c, trawl_minor_units(c) AS d FROM unnest(${currencies}::text[]) AS c`;
    const mismatches = rows.filter((r) => r.d !== minorUnitsOf(r.c));
    expect(mismatches).toEqual([]);
    expect(rows).toHaveLength(currencies.length);
  });

  it('computes a markup in SQL exactly as in TypeScript, half away from zero', async () => {
    const cases: Array<[string, string, string]> = [
      ['10.005', 'EUR', '0'],
      ['19.99', 'EUR', '12.5'],
      ['999', 'JPY', '10.5'],
      ['1.2345', 'KWD', '7'],
      ['100', 'EUR', '-33.3333'],
      ['0.01', 'USD', '49.9999'],
    ];
    for (const [price, currency, percent] of cases) {
      const [row] = await db().$queryRaw<Array<{ p: Prisma.Decimal }>>`
        SELECT trawl_listed_price(${price}::numeric, ${currency}, 'markup', ${percent}::numeric) AS p`;
      const ts = listedPrice(new Prisma.Decimal(price), currency, {
        priceMode: 'markup',
        priceValue: new Prisma.Decimal(percent),
      });
      expect(row!.p.toString(), `${price} ${currency} +${percent}%`).toBe(ts!.toString());
    }
  });
});

describe('overrides', () => {
  it('shows the override to shoppers in search, filters, facets, the product page and the cart', async () => {
    const [pen, ink] = shop.listings;
    await setOverrides(
      [pen!.id],
      { title: 'Quillon Fountain Pen (gift box)', categoryPath: ['Office', 'Pens'] },
      shop,
    );
    await setOverrides([pen!.id, ink!.id], { price: { mode: 'markup', percent: '10' } }, shop);

    const all = await search({ q: 'quillon' });
    const penHit = all.items.find((i) => i.id === pen!.id)!;
    expect(penHit.title).toBe('Quillon Fountain Pen (gift box)');
    expect(penHit.price).toBe('44.00');
    expect(penHit.category).toBe('Pens');
    expect(all.items.find((i) => i.id === ink!.id)!.price).toBe('10.99');
    expect(all.facets.category).toContainEqual({ value: 'Pens', count: 1 });

    // Price filters and category filters use what shoppers see, not what was crawled.
    const cheap = await search({ q: 'quillon', maxPrice: '42' });
    expect(cheap.items.map((i) => i.id)).not.toContain(pen!.id);
    const office = await search({ category: 'Office' });
    expect(office.items.map((i) => i.id)).toEqual([pen!.id]);
    // The words of the overridden title are what search matches, and sorting uses the listed price.
    expect((await search({ q: 'gift box' })).items.map((i) => i.id)).toEqual([pen!.id]);
    const dear = await search({ q: 'quillon', sort: 'price_desc' });
    expect(dear.items[0]?.id).toBe(pen!.id);

    const detail = await getProduct(pen!.id);
    expect(detail!.title).toBe('Quillon Fountain Pen (gift box)');
    expect(detail!.price).toBe('44.00');

    const listing = (await getListings([pen!.id])).get(pen!.id)!;
    expect(listing.price!.toString()).toBe('44');
    expect(listing.title).toBe('Quillon Fountain Pen (gift box)');
  });

  it('survives a recrawl, which still updates the crawled values beneath it', async () => {
    const pen = shop.listings[0]!;
    const row = await db().product.findUniqueOrThrow({ where: { id: pen.id } });
    await writeProducts([
      {
        siteId: shop.siteId,
        runId: null,
        product: {
          url: row.url,
          title: 'Quillon Fountain Pen — new',
          description: null,
          brand: null,
          sku: row.sku,
          gtin: null,
          price: '50.00',
          currency: 'EUR',
          availability: 'InStock',
          images: [],
          categoryPath: ['Writing'],
          attributes: {},
        },
      },
    ]);
    const admin = await getAdminProduct(pen.id, shop);
    expect(admin.crawled).toEqual({
      title: 'Quillon Fountain Pen — new',
      category: ['Writing'],
      price: '50.00',
    });
    expect(admin.listed).toEqual({
      title: 'Quillon Fountain Pen (gift box)',
      category: ['Office', 'Pens'],
      price: '55.00',
    });
  });

  it('hides a listing from search, the product page and buying, and unhides it', async () => {
    const ink = shop.listings[1]!;
    await setOverrides([ink.id], { hidden: true }, shop);
    expect((await search({ q: 'ink' })).items).toEqual([]);
    expect(await getProduct(ink.id)).toBeNull();
    const listing = (await getListings([ink.id])).get(ink.id)!;
    expect(purchaseProblem(listing, 86_400_000)).toBe('hidden');

    await setOverrides([ink.id], { hidden: false }, shop);
    expect((await search({ q: 'ink' })).items.map((i) => i.id)).toEqual([ink.id]);
  });

  it('clears back to the crawled values, and removes an override left empty', async () => {
    const [pen, ink] = shop.listings;
    await clearOverrides([pen!.id], shop);
    expect((await getProduct(pen!.id))!.title).toBe('Quillon Fountain Pen — new');
    await setOverrides([ink!.id], { price: null }, shop);
    expect(await db().listingOverride.findUnique({ where: { productId: ink!.id } })).toBeNull();
  });

  it('uses the override weight for shipping', async () => {
    const ink = shop.listings[1]!;
    await setOverrides([ink.id], { weightG: 1250 }, shop);
    expect((await getListings([ink.id])).get(ink.id)!.weightG).toBe(1250);
    await setOverrides([ink.id], { weightG: null }, shop);
  });

  it("refuses a merchant another shop's listing, a shopper everything, and unknown ids", async () => {
    const lamp = other.listings[0]!;
    await expect(setOverrides([lamp.id], { hidden: true }, shop)).rejects.toBeInstanceOf(ForbiddenError);
    // Bulk: one foreign id spoils the whole batch, nothing is written.
    await expect(
      setOverrides([shop.listings[0]!.id, lamp.id], { title: 'Mine now' }, shop),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(await db().listingOverride.findUnique({ where: { productId: shop.listings[0]!.id } })).toBeNull();
    const shopper = await userWithRole('shopper');
    await expect(setOverrides([lamp.id], { hidden: true }, shopper)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      setOverrides(['00000000-0000-4000-8000-000000000000'], { hidden: true }, systemActor),
    ).rejects.toBeInstanceOf(NotFoundError);
    // An admin may change any listing.
    const admin = await userWithRole('admin');
    await setOverrides([lamp.id], { hidden: true }, admin);
    await setOverrides([lamp.id], { hidden: false }, admin);
  });

  it('rejects bad values with the field that is wrong', async () => {
    const pen = shop.listings[0]!;
    for (const patch of [
      { price: { mode: 'markup', percent: '-100' } },
      { price: { mode: 'fixed', amount: '0' } },
      { price: { mode: 'fixed', amount: '1e9' } },
      { title: '' },
      { weightG: 0 },
      { categoryPath: [] },
      { hidden: 'yes' },
      { owner: 'me' },
    ]) {
      await expect(setOverrides([pen.id], patch, shop), JSON.stringify(patch)).rejects.toThrow();
    }
    await expect(
      setOverrides(
        Array.from({ length: 501 }, () => crypto.randomUUID()),
        { hidden: true },
        systemActor,
      ),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('the back office list', () => {
  it('lists only a merchant’s own listings, filtered by status', async () => {
    const page = await listAdminProducts({}, shop);
    expect(page.items.every((i) => i.site === shop.siteName)).toBe(true);
    expect(page.sites).toEqual([shop.siteName]);
    await setOverrides([shop.listings[2]!.id], { hidden: true }, shop);
    const hidden = await listAdminProducts({ status: 'hidden' }, shop);
    expect(hidden.items.map((i) => i.id)).toEqual([shop.listings[2]!.id]);
    const found = await listAdminProducts({ q: 'notebook' }, shop);
    expect(found.total).toBe(1);
    await expect(listAdminProducts({ site: other.siteName }, shop)).resolves.toMatchObject({ total: 0 });
    await expect(getAdminProduct(other.listings[0]!.id, shop)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('merchant-created products', () => {
  it('are created in the merchant’s own shop, sold, searched, and never marked gone by a crawl', async () => {
    const created = await createManualProduct(
      {
        site: shop.siteName,
        title: 'Quillon Calligraphy Set',
        price: '65.50',
        currency: 'EUR',
        categoryPath: ['Office'],
        weightG: 800,
      },
      shop,
    );
    expect(created.origin).toBe('manual');
    expect((await search({ q: 'calligraphy' })).items.map((i) => i.id)).toEqual([created.id]);
    const listing = (await getListings([created.id])).get(created.id)!;
    expect(listing.weightG).toBe(800);
    // Never crawled, so never stale.
    expect(purchaseProblem(listing, 1, Date.now() + 365 * 86_400_000)).toBeNull();

    // A complete run of the shop marks what it did not see as gone: crawled listings only.
    const run = await db().crawlRun.create({ data: { siteId: shop.siteId, status: 'running' } });
    await markGone(run.id);
    const after = await db().product.findMany({
      where: { siteId: shop.siteId },
      select: { id: true, goneAt: true },
    });
    expect(after.find((p) => p.id === created.id)!.goneAt).toBeNull();
    expect(after.filter((p) => p.id !== created.id).every((p) => p.goneAt !== null)).toBe(true);

    const updated = await updateManualProduct(
      created.id,
      { site: shop.siteName, title: 'Quillon Calligraphy Set II', price: '70', currency: 'EUR' },
      shop,
    );
    expect(updated.listed).toMatchObject({ title: 'Quillon Calligraphy Set II', price: '70.00' });
  });

  it('refuses another merchant’s shop, hostile image URLs and editing a crawled listing', async () => {
    await expect(
      createManualProduct({ site: other.siteName, title: 'X', price: '1', currency: 'EUR' }, shop),
    ).rejects.toBeInstanceOf(ForbiddenError);
    for (const image of ['javascript:alert(1)', 'http://example.com/a.png', 'https://127.0.0.1/x.png']) {
      await expect(
        createManualProduct(
          { site: shop.siteName, title: 'X', price: '1', currency: 'EUR', images: [image] },
          shop,
        ),
        image,
      ).rejects.toThrow();
    }
    await expect(
      updateManualProduct(
        shop.listings[0]!.id,
        { site: shop.siteName, title: 'X', price: '1', currency: 'EUR' },
        shop,
      ),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('malformed numbers', () => {
  it('are validation errors, never crashes', async () => {
    const pen = shop.listings[0]!;
    for (const price of [
      { mode: 'markup', percent: '' },
      { mode: 'markup', percent: 'abc' },
      { mode: 'fixed', amount: '1,5' },
    ]) {
      const error = await setOverrides([pen.id], { price }, shop).catch((e: unknown) => e);
      expect(error, JSON.stringify(price)).toBeInstanceOf(z.ZodError);
    }
    const error = await createManualProduct(
      { site: shop.siteName, title: 'X', price: '', currency: 'EUR' },
      shop,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(z.ZodError);
  });
});
