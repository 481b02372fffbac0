import { randomUUID } from 'node:crypto';
import { putSite, setSiteOwner } from '../catalog/index.ts';
import { db, type Prisma } from '../core/db/index.ts';
import { setUpDemoMerchant, setUpDemoShopper } from '../demo/index.ts';
import { type TestUser, userWithRole } from './accounts.ts';

export interface TestListing {
  id: string;
  title: string;
  price: string;
  currency: string;
}

export interface TestMerchant extends TestUser {
  siteId: string;
  siteName: string;
  listings: TestListing[];
}

/**
 * A merchant with a shop (a site it owns) whose listings are written straight into the catalog,
 * as a crawl would leave them, with the demo merchant's shipping methods.
 */
export async function merchantWithListings(
  listings: Array<{
    title: string;
    price: string;
    currency?: string;
    availability?: Prisma.ProductCreateInput['availability'];
    weight?: string;
  }>,
  options: { name?: string } = {},
): Promise<TestMerchant> {
  const merchant = await userWithRole('merchant');
  const siteName = `shop-${randomUUID().slice(0, 8)}`;
  const site = await putSite({ name: siteName, startUrls: [`https://${siteName}.example/`] });
  await setSiteOwner(site.name, merchant.id);
  await setUpDemoMerchant(merchant.id, { name: options.name ?? `Shop ${siteName}` });
  const created: TestListing[] = [];
  for (const [i, listing] of listings.entries()) {
    const row = await db().product.create({
      data: {
        siteId: site.id,
        url: `https://${siteName}.example/p/${i}`,
        title: listing.title,
        sku: `SKU-${i}`,
        price: listing.price,
        currency: listing.currency ?? 'EUR',
        availability: listing.availability ?? 'InStock',
        contentHash: randomUUID(),
        attributes: listing.weight ? { Weight: listing.weight } : {},
      },
    });
    created.push({ id: row.id, title: row.title, price: listing.price, currency: listing.currency ?? 'EUR' });
  }
  return { ...merchant, siteId: site.id, siteName, listings: created };
}

/** A shopper with a delivery address in Shanghai (the demo merchants ship there). */
export async function shopperWithAddress(): Promise<TestUser & { addressId: string }> {
  const shopper = await userWithRole('shopper');
  await setUpDemoShopper(shopper.id);
  const address = await db().address.findFirstOrThrow({ where: { userId: shopper.id } });
  return { ...shopper, addressId: address.id };
}
