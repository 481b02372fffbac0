import { z } from 'zod';
import { db } from '../../core/db/index.ts';
import { NotFoundError } from '../../core/errors.ts';

export interface PaymentMethodView {
  code: string;
  name: string;
  description: string;
  enabled: boolean;
  sortOrder: number;
}

export const methodUpdateSchema = z
  .object({
    name: z.string().trim().min(1).max(60).optional(),
    description: z.string().trim().max(300).optional(),
    enabled: z.boolean().optional(),
    sortOrder: z.number().int().min(0).max(1000).optional(),
  })
  .strict();

export async function listPaymentMethods(
  options: { enabledOnly?: boolean } = {},
): Promise<PaymentMethodView[]> {
  return db().paymentMethod.findMany({
    where: options.enabledOnly ? { enabled: true } : {},
    orderBy: [{ sortOrder: 'asc' }, { code: 'asc' }],
  });
}

export async function updatePaymentMethod(code: string, input: unknown): Promise<PaymentMethodView> {
  const data = methodUpdateSchema.parse(input);
  const { count } = await db().paymentMethod.updateMany({ where: { code }, data });
  if (count === 0) throw new NotFoundError(`no payment method "${code}"`);
  return db().paymentMethod.findUniqueOrThrow({ where: { code } });
}
