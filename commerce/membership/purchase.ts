import { z } from 'zod';
import { db } from '../../core/db/index.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { money } from '../../core/money.ts';
import { accountCode, postTransaction } from '../payments/index.ts';
import { memberStatus } from './tiers.ts';

export const buyTierSchema = z.object({ tier: z.string().trim().min(1).max(40) }).strict();

const YEAR_MS = 365 * 86_400_000;

/**
 * A year of a paid tier, paid from the balance in the membership currency: the wallet pays the
 * platform's membership account in the ledger, in one transaction with the tier. Buying again
 * (the same tier or a higher one) extends from the later of now and the current end.
 */
export async function buyTier(userId: string, input: unknown): Promise<{ tier: string; until: Date }> {
  const { tier: code } = buyTierSchema.parse(input);
  const status = await memberStatus(userId);
  const tier = await db().memberTier.findUnique({ where: { code } });
  if (!tier) throw new NotFoundError('no such tier');
  if (!tier.price) throw ValidationError.field('tier', `${tier.name} cannot be bought`);
  if (status.paidTier && status.paidTier.code !== code) {
    const current = await db().memberTier.findUniqueOrThrow({ where: { code: status.paidTier.code } });
    if (current.rank > tier.rank)
      throw ValidationError.field(
        'tier',
        `you have ${current.name} until ${status.paidTier.until.toISOString().slice(0, 10)}`,
      );
  }
  const currency = status.currency;
  return db().$transaction(async (tx) => {
    const member = await tx.member.upsert({
      where: { userId },
      create: { userId },
      update: {},
    });
    await tx.$queryRaw`SELECT user_id FROM member WHERE user_id = ${userId}::uuid FOR UPDATE`;
    const from =
      member.paidTier === code && member.paidUntil && member.paidUntil > new Date()
        ? member.paidUntil
        : new Date();
    const until = new Date(from.getTime() + YEAR_MS);
    await tx.member.update({ where: { userId }, data: { paidTier: code, paidUntil: until } });
    // One reference per user and end date: a retried purchase posts once.
    await postTransaction(tx, {
      reference: `membership:${userId}:${until.toISOString()}`,
      kind: 'membership',
      entries: [
        {
          kind: 'wallet',
          code: accountCode.wallet(userId, currency),
          userId,
          currency,
          amount: money(tier.price!).negated(),
        },
        {
          kind: 'clearing',
          code: accountCode.clearing('membership', currency),
          currency,
          amount: money(tier.price!),
        },
      ],
    });
    return { tier: code, until };
  });
}
