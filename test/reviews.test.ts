import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchProducts, searchQuerySchema } from '../catalog/index.ts';
import { actOnOrder } from '../commerce/orders/index.ts';
import {
  listingReviews,
  ratingOf,
  replyToReview,
  reviewsForBackOffice,
  setReviewVisibility,
  voteHelpful,
  writeReview,
} from '../commerce/reviews/index.ts';
import { db } from '../core/db/index.ts';
import { RateLimitedError } from '../core/errors.ts';
import { type TestUser, userWithRole } from './accounts.ts';
import { buy, fundWallet, payFromBalance } from './promotion-world.ts';
import { merchantWithListings, shopperWithAddress, type TestMerchant } from './shop-world.ts';
import { closeConnections } from './support.ts';

/** Reviews: who may write them, once per line, safely; replies, moderation, votes, ratings in search. */
let shop: TestMerchant;
let admin: TestUser;
const titles = [
  'Quokka Lamp',
  'Quokka Chair',
  'Quokka Desk',
  'Quokka Shelf',
  'Quokka Rug',
  'Quokka Vase',
  'Quokka Clock',
];

beforeAll(async () => {
  shop = await merchantWithListings(
    titles.map((title) => ({ title, price: '10.00', currency: 'CNY' })),
    { name: 'Quokka Home' },
  );
  admin = await userWithRole('admin');
});

afterAll(async () => {
  await closeConnections();
});

/** A shopper who bought these listings in one order, paid, shipped and delivered. */
async function delivered(listingTitles: string[]) {
  const shopper = await shopperWithAddress();
  await fundWallet(shopper.id, '500.00');
  const [orderId] = await buy(
    shopper,
    listingTitles.map((t) => ({ productId: shop.listings.find((l) => l.title === t)!.id })),
  );
  await payFromBalance(shopper, orderId!);
  await actOnOrder(shop, orderId!, 'ship', { carrier: 'SF', trackingNumber: 'SF99887766' });
  await actOnOrder(shopper, orderId!, 'deliver', {});
  const lines = await db().orderLine.findMany({ where: { orderId: orderId! } });
  const lineOf = (title: string) => lines.find((l) => l.title === title)!.id;
  return { shopper, orderId: orderId!, lineOf };
}

describe('writing reviews', () => {
  it('lets only the buyer of a delivered line review it, once, with sanitised text', async () => {
    const { shopper, lineOf } = await delivered(['Quokka Lamp']);
    const stranger = await shopperWithAddress();
    await expect(
      writeReview(stranger.id, lineOf('Quokka Lamp'), { rating: 5, body: 'Great lamp' }),
    ).rejects.toThrow(/no such order line/);
    await expect(
      writeReview(shopper.id, lineOf('Quokka Lamp'), { rating: 6, body: 'Great lamp' }),
    ).rejects.toThrow();
    const review = await writeReview(shopper.id, lineOf('Quokka Lamp'), {
      rating: 4,
      body: 'Warm light <script>alert(1)</script><img src=x onerror=alert(2)> & <b>sturdy</b>\u202E base',
      imageUrls: ['https://img.example/lamp.jpg'],
    });
    expect(review.body).toBe('Warm light  & sturdy base');
    expect(review.body).not.toMatch(/[<>]/);
    await expect(
      writeReview(shopper.id, lineOf('Quokka Lamp'), { rating: 1, body: 'Changed my mind' }),
    ).rejects.toThrow(/reviewed this item already/);
    await expect(
      writeReview(shopper.id, lineOf('Quokka Lamp'), {
        rating: 3,
        body: 'ok',
        imageUrls: ['javascript:alert(1)'],
      }),
    ).rejects.toThrow();
  });

  it('refuses a line whose order has not been delivered', async () => {
    const shopper = await shopperWithAddress();
    const [orderId] = await buy(shopper, [{ productId: shop.listings[1]!.id }]);
    const line = await db().orderLine.findFirstOrThrow({ where: { orderId: orderId! } });
    await expect(writeReview(shopper.id, line.id, { rating: 5, body: 'Not here yet' })).rejects.toThrow(
      /not delivered yet/,
    );
  });

  it('limits how many reviews one user writes in ten minutes', async () => {
    const { shopper, lineOf } = await delivered(titles.slice(1, 7));
    for (const title of titles.slice(1, 6))
      await writeReview(shopper.id, lineOf(title), { rating: 5, body: `Lovely ${title}` });
    const refused = await writeReview(shopper.id, lineOf(titles[6]!), {
      rating: 5,
      body: 'One too many',
    }).catch((e) => e);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
  });
});

describe('ratings, replies, moderation and votes', () => {
  it('aggregates each listing’s rating, drops a hidden review from it, and shows the reply once', async () => {
    const chair = shop.listings.find((l) => l.title === 'Quokka Chair')!.id;
    const before = await ratingOf(chair);
    const buyers = await Promise.all([delivered(['Quokka Chair']), delivered(['Quokka Chair'])]);
    const [low, high] = [
      await writeReview(buyers[0].shopper.id, buyers[0].lineOf('Quokka Chair'), {
        rating: 1,
        body: 'Wobbly legs',
      }),
      await writeReview(buyers[1].shopper.id, buyers[1].lineOf('Quokka Chair'), {
        rating: 4,
        body: 'Comfortable',
      }),
    ];
    const rating = await ratingOf(chair);
    expect(rating.count).toBe(before.count + 2);
    expect(rating.distribution[0]).toBe(before.distribution[0] + 1);
    expect(rating.distribution[3]).toBe(before.distribution[3] + 1);

    await replyToReview(shop, low.id, { reply: 'Sorry: we are sending new feet.' });
    await expect(replyToReview(shop, low.id, { reply: 'Again' })).rejects.toThrow(/reply already/);
    const otherMerchant = await merchantWithListings([{ title: 'Elsewhere', price: '1.00' }]);
    await expect(replyToReview(otherMerchant, high.id, { reply: 'Not mine' })).rejects.toThrow(
      /no such review/,
    );

    await setReviewVisibility(low.id, false, { reason: 'abusive language' });
    expect((await ratingOf(chair)).count).toBe(before.count + 1);
    expect(
      (await listingReviews(chair, { sort: 'newest', page: 1, pageSize: 50 })).items.map((r) => r.id),
    ).not.toContain(low.id);
    await expect(setReviewVisibility(low.id, false, { reason: 'again' })).rejects.toThrow(/hidden already/);
    expect(
      (await reviewsForBackOffice(admin, { status: 'hidden', page: 1, pageSize: 50 })).items.map((r) => r.id),
    ).toContain(low.id);
    // A merchant sees only their own shops' reviews.
    expect((await reviewsForBackOffice(otherMerchant, { page: 1, pageSize: 50 })).total).toBe(0);

    await voteHelpful(buyers[0].shopper.id, high.id);
    await expect(voteHelpful(buyers[0].shopper.id, high.id)).rejects.toThrow(/helpful already/);
    await expect(voteHelpful(buyers[1].shopper.id, high.id)).rejects.toThrow(/your own review/);
    const listed = await listingReviews(
      chair,
      { sort: 'helpful', page: 1, pageSize: 10 },
      buyers[0].shopper.id,
    );
    expect(listed.items[0]).toMatchObject({ id: high.id, helpfulCount: 1, votedHelpful: true });
  });

  it('lets search sort by rating and keep listings of at least some stars', async () => {
    const query = (extra: Record<string, unknown>) =>
      searchProducts(searchQuerySchema.parse({ q: 'quokka', site: shop.siteName, ...extra }));
    const sorted = await query({ sort: 'rating' });
    const rated = sorted.items.filter((i) => i.rating !== null);
    expect(rated.length).toBeGreaterThan(1);
    const averages = rated.map((i) => Number(i.rating));
    expect(averages).toEqual([...averages].sort((a, b) => b - a));
    // Rated listings first, unrated (null) after.
    expect(sorted.items.findIndex((i) => i.rating === null)).toBeGreaterThanOrEqual(rated.length);
    const atLeastFour = await query({ minRating: 4 });
    expect(atLeastFour.items.length).toBeGreaterThan(0);
    for (const item of atLeastFour.items) expect(Number(item.rating)).toBeGreaterThanOrEqual(4);
    expect(atLeastFour.total).toBeLessThan(sorted.total);
  });
});
