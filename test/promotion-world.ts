import { randomUUID } from 'node:crypto';
import { addToCart } from '../commerce/cart/index.ts';
import { payOrder, placeOrders, quoteCheckout } from '../commerce/orders/index.ts';
import { accountCode, postTransaction } from '../commerce/payments/index.ts';
import { changePromotionStatus, createPromotion, type PromotionView } from '../commerce/promotions/index.ts';
import { db } from '../core/db/index.ts';
import { money } from '../core/money.ts';

/** A promotion made and published through the service, active now unless the window says otherwise. */
export async function runningPromotion(input: Record<string, unknown>): Promise<PromotionView> {
  const created = await createPromotion({
    name: 'Test promotion',
    startsAt: new Date(Date.now() - 60_000),
    endsAt: new Date(Date.now() + 3_600_000),
    currency: 'CNY',
    ...input,
  });
  return changePromotionStatus(created.id, 'publish');
}

/** Credits a shopper's balance (as a top-up would), so orders can be paid from it. */
export async function fundWallet(userId: string, amount: string, currency = 'CNY'): Promise<void> {
  await db().$transaction((tx) =>
    postTransaction(tx, {
      reference: `test-credit-${randomUUID()}`,
      kind: 'topup',
      entries: [
        {
          kind: 'clearing',
          code: accountCode.clearing('test', currency),
          currency,
          amount: money(amount).negated(),
        },
        {
          kind: 'wallet',
          code: accountCode.wallet(userId, currency),
          userId,
          currency,
          amount: money(amount),
        },
      ],
    }),
  );
}

export const payUrls = { notifyBase: 'http://127.0.0.1:9/notify', returnUrl: 'http://127.0.0.1:9/return' };

/** Puts listings in the cart and places the checkout; returns the order ids. */
export async function buy(
  shopper: { id: string; addressId: string },
  items: Array<{ productId: string; quantity?: number }>,
  extra: { couponCode?: string; points?: number } = {},
): Promise<string[]> {
  for (const item of items)
    await addToCart({ userId: shopper.id }, { productId: item.productId, quantity: item.quantity ?? 1 });
  const { orderIds } = await placeOrders(shopper, `promo-${randomUUID()}`, {
    addressId: shopper.addressId,
    ...extra,
  });
  return orderIds;
}

export async function payFromBalance(
  shopper: { id: string; userId: string | null; can(p: string): boolean },
  orderId: string,
) {
  return payOrder(shopper, orderId, { method: 'balance' }, payUrls);
}

export async function quoteFor(
  shopper: { id: string; addressId: string },
  extra: { couponCode?: string; points?: number } = {},
) {
  return quoteCheckout(shopper.id, { addressId: shopper.addressId, ...extra });
}

export async function emptyCart(userId: string): Promise<void> {
  await db().cartLine.deleteMany({ where: { cart: { userId } } });
}
