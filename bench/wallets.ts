import { accountCode, postTransaction } from '../commerce/payments/index.ts';
import { db } from '../core/db/index.ts';
import { money } from '../core/money.ts';

/**
 * Puts `amount` of `currency` in each user's wallet, from a bench clearing account, through the
 * ledger as a top-up would (200 users per transaction). Import it after prepareBenchEnvironment.
 */
export async function fundWallets(
  userIds: readonly string[],
  currency: string,
  amount: string,
): Promise<void> {
  for (let i = 0; i < userIds.length; i += 200)
    await db().$transaction(async (tx) => {
      for (const userId of userIds.slice(i, i + 200))
        await postTransaction(tx, {
          reference: `bench-credit-${userId}`,
          kind: 'topup',
          entries: [
            {
              kind: 'clearing',
              code: accountCode.clearing('bench', currency),
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
        });
    });
}
