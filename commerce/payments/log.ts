import { db, type Prisma } from '../../core/db/index.ts';
import { logger } from '../../core/logger.ts';
import { maskDeep } from '../../core/secrets.ts';
import type { Exchange, ProviderName } from './providers/types.ts';

/** Bodies are kept whole for reconciliation, but bounded: a hostile notification cannot fill the table. */
const MAX_BODY_CHARS = 20_000;

function bounded(body: unknown): Prisma.InputJsonValue {
  const masked = maskDeep(body ?? null);
  const text = JSON.stringify(masked) ?? 'null';
  if (text.length <= MAX_BODY_CHARS) return (masked ?? { empty: true }) as Prisma.InputJsonValue;
  return { truncated: true, text: text.slice(0, MAX_BODY_CHARS) };
}

/**
 * Stores one exchange with a provider in the payment log, secrets masked (private keys and the
 * APIv3 key are registered secrets once decrypted; secret-named fields are masked too).
 * Logging never fails the payment it records.
 */
export async function logExchange(
  provider: ProviderName | 'balance',
  exchange: Exchange,
  options: { paymentOrderId?: string | null; outcome?: string } = {},
): Promise<void> {
  try {
    await db().paymentLog.create({
      data: {
        provider,
        direction: exchange.direction,
        operation: exchange.operation,
        url: exchange.url ?? null,
        httpStatus: exchange.status ?? null,
        body: bounded(exchange.body),
        outcome: options.outcome ?? null,
        paymentOrderId: options.paymentOrderId ?? null,
      },
    });
  } catch (error) {
    logger().warn({ err: error, provider, operation: exchange.operation }, 'could not write the payment log');
  }
}

export interface PaymentLogView {
  id: string;
  provider: string;
  direction: string;
  operation: string;
  url: string | null;
  httpStatus: number | null;
  outcome: string | null;
  body: unknown;
  createdAt: Date;
  paymentOrderId: string | null;
}

export async function listPaymentLogs(
  filter: { paymentOrderId?: string; provider?: string; limit?: number } = {},
): Promise<PaymentLogView[]> {
  const rows = await db().paymentLog.findMany({
    where: {
      ...(filter.paymentOrderId ? { paymentOrderId: filter.paymentOrderId } : {}),
      ...(filter.provider ? { provider: filter.provider } : {}),
    },
    orderBy: { id: 'desc' },
    take: Math.min(filter.limit ?? 100, 500),
  });
  return rows.map((row) => ({ ...row, id: String(row.id) }));
}
