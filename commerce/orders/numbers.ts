import type { Prisma } from '../../core/db/index.ts';

/**
 * A human-friendly order number: T, the date (yymmdd, UTC) and a sequence number, as in
 * "T261201-000042". Short enough to read out on the phone, unique, and in placing order.
 */
export async function orderNumber(tx: Prisma.TransactionClient, now = new Date()): Promise<string> {
  const [row] = await tx.$queryRaw<Array<{ n: bigint }>>`SELECT nextval('order_number_seq') AS n`;
  const date = now.toISOString().slice(2, 10).replaceAll('-', '');
  return `T${date}-${String(row!.n).padStart(6, '0')}`;
}
