import { db, type Prisma } from '../../core/db/index.ts';
import { ConflictError, ValidationError } from '../../core/errors.ts';
import { formatAmount, type Money, money, ZERO } from '../../core/money.ts';

/**
 * A double-entry ledger: every movement of money is a transaction whose entries sum to zero per
 * currency, and an account's balance is the sum of its entries (kept alongside, so reading it
 * needs no sum: a wallet's in the same statement as its entry, a shared account's at commit). Wallets may never go negative: a check
 * constraint refuses it, and accounts are locked in one order so concurrent spends queue up
 * rather than deadlock. A transaction's `reference` makes posting it twice a no-op.
 */
export type AccountKind = 'wallet' | 'payable' | 'clearing';

export const accountCode = {
  wallet: (userId: string, currency: string) => `wallet:${userId}:${currency}`,
  payable: (merchantId: string, currency: string) => `payable:${merchantId}:${currency}`,
  clearing: (provider: string, currency: string) => `clearing:${provider}:${currency}`,
};

export interface EntryInput {
  kind: AccountKind;
  code: string;
  userId?: string | null;
  currency: string;
  /** Positive credits the account, negative debits it. */
  amount: Money;
}

export class InsufficientFundsError extends ConflictError {
  override name = 'InsufficientFundsError';
}

type Tx = Prisma.TransactionClient;

/** Posts a transaction; 'duplicate' when one with this reference was posted already. */
export async function postTransaction(
  tx: Tx,
  input: { reference: string; kind: string; entries: EntryInput[] },
): Promise<'posted' | 'duplicate'> {
  const byCurrency = new Map<string, Money>();
  for (const entry of input.entries) {
    if (entry.amount.isZero()) throw ValidationError.field('amount', 'a ledger entry cannot be zero');
    byCurrency.set(entry.currency, (byCurrency.get(entry.currency) ?? ZERO).plus(entry.amount));
  }
  for (const [currency, total] of byCurrency)
    if (!total.isZero())
      throw new Error(`ledger transaction ${input.reference} does not balance in ${currency}`);

  const inserted = await tx.$queryRaw<Array<{ id: string }>>`
    INSERT INTO ledger_transaction (id, kind, reference)
    VALUES (gen_random_uuid(), ${input.kind}, ${input.reference})
    ON CONFLICT (reference) DO NOTHING
    RETURNING id`;
  const transactionId = inserted[0]?.id;
  if (!transactionId) return 'duplicate';

  for (const entry of input.entries) {
    await tx.$executeRaw`
      INSERT INTO ledger_account (id, kind, code, user_id, currency, updated_at)
      VALUES (gen_random_uuid(), ${entry.kind}, ${entry.code}, ${entry.userId ?? null}::uuid, ${entry.currency}, now())
      ON CONFLICT (code) DO NOTHING`;
  }
  const codes = [...new Set(input.entries.map((e) => e.code))].sort();
  const wallets = [...new Set(input.entries.filter((e) => e.kind === 'wallet').map((e) => e.code))].sort();
  // Wallets are locked, in one order for every transaction (two spends queue, never deadlock),
  // and changed now: their no-overdraft check must refuse the spend here. Shared accounts
  // (payable, clearing) are not touched: the database adds their entries at commit (see the
  // ledger_shared_accounts migration), so payments to one merchant do not queue on its row.
  if (wallets.length > 0)
    await tx.$queryRaw`
      SELECT id FROM ledger_account WHERE code = ANY(${wallets}::text[]) ORDER BY code FOR UPDATE`;
  const accounts = await tx.$queryRaw<Array<{ id: string; code: string }>>`
    SELECT id, code FROM ledger_account WHERE code = ANY(${codes}::text[])`;
  const idOf = new Map(accounts.map((a) => [a.code, a.id]));
  try {
    for (const entry of input.entries) {
      if (entry.kind !== 'wallet') continue;
      await tx.$executeRaw`
        UPDATE ledger_account SET balance = balance + ${entry.amount}::numeric, updated_at = now()
        WHERE code = ${entry.code}`;
    }
  } catch (error) {
    if (isCheckViolation(error)) throw new InsufficientFundsError('the balance is too low for this payment');
    throw error;
  }
  await tx.ledgerEntry.createMany({
    data: input.entries.map((entry) => ({
      transactionId,
      accountId: idOf.get(entry.code)!,
      amount: entry.amount,
    })),
  });
  return 'posted';
}

function isCheckViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code =
      (e as { code?: unknown; originalCode?: unknown }).originalCode ?? (e as { code?: unknown }).code;
    if (code === '23514') return true;
    const meta = (e as { meta?: { driverAdapterError?: { cause?: { originalCode?: string } } } }).meta;
    if (meta?.driverAdapterError?.cause?.originalCode === '23514') return true;
    if (/ledger_account_wallet_check/.test(String((e as Error).message ?? ''))) return true;
  }
  return false;
}

export interface WalletView {
  currency: string;
  balance: string;
  available: string;
  frozen: string;
}

/** A user's wallets, one per currency they ever held. */
export async function walletsOf(userId: string): Promise<WalletView[]> {
  const rows = await db().ledgerAccount.findMany({
    where: { kind: 'wallet', userId },
    orderBy: { currency: 'asc' },
  });
  return rows.map((row) => ({
    currency: row.currency,
    balance: formatAmount(row.balance, row.currency),
    frozen: formatAmount(row.frozen, row.currency),
    available: formatAmount(row.balance.minus(row.frozen), row.currency),
  }));
}

export async function walletBalance(userId: string, currency: string): Promise<Money> {
  const row = await db().ledgerAccount.findUnique({ where: { code: accountCode.wallet(userId, currency) } });
  return row ? money(row.balance) : ZERO;
}

/**
 * Accounts whose stored balance differs from the sum of their entries: always none. Reports and
 * tests use it to prove the ledger adds up.
 */
export async function ledgerMismatches(): Promise<Array<{ code: string; balance: string; entries: string }>> {
  const rows = await db().$queryRaw<
    Array<{ code: string; balance: Prisma.Decimal; entries: Prisma.Decimal }>
  >`
    SELECT a.code, a.balance, coalesce(sum(e.amount), 0) AS entries
    FROM ledger_account a LEFT JOIN ledger_entry e ON e.account_id = a.id
    GROUP BY a.id HAVING a.balance <> coalesce(sum(e.amount), 0)`;
  return rows.map((r) => ({ code: r.code, balance: r.balance.toString(), entries: r.entries.toString() }));
}

/** The sum of every entry per currency: zero, always (money is neither made nor lost). */
export async function ledgerTotals(): Promise<Map<string, Money>> {
  const rows = await db().$queryRaw<Array<{ currency: string; total: Prisma.Decimal }>>`
    SELECT a.currency, sum(e.amount) AS total FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id
    GROUP BY a.currency`;
  return new Map(rows.map((r) => [r.currency, money(r.total)]));
}
