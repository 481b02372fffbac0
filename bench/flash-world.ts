import { randomUUID } from 'node:crypto';
import { changePromotionStatus, createPromotion } from '../commerce/promotions/index.ts';
import { db } from '../core/db/index.ts';

/**
 * A 999 CNY phone listed on `siteId` and a published flash sale of `units` of it at 9.90, one per
 * person, open from a second ago for an hour. Import it after prepareBenchEnvironment.
 */
export async function openFlashSale(
  siteId: string,
  options: { slug: string; title: string; units: number; reserveMinutes: number; exclusive?: boolean },
): Promise<{ listingId: string; promotionId: string }> {
  const listing = await db().product.create({
    data: {
      siteId,
      url: `https://bench-flash.example/p/${options.slug}`,
      title: options.title,
      price: '999.00',
      currency: 'CNY',
      availability: 'InStock',
      contentHash: randomUUID(),
    },
  });
  const promotion = await createPromotion({
    name: `Flash sale: ${options.title}`,
    type: 'flash',
    startsAt: new Date(Date.now() - 1000),
    endsAt: new Date(Date.now() + 3_600_000),
    currency: 'CNY',
    scope: 'listings',
    productIds: [listing.id],
    rules: { price: '9.90', units: options.units, perPersonUnits: 1, reserveMinutes: options.reserveMinutes },
    ...(options.exclusive ? { stacking: 'exclusive' as const } : {}),
  });
  await changePromotionStatus(promotion.id, 'publish');
  return { listingId: listing.id, promotionId: promotion.id };
}
