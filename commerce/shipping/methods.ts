import { z } from 'zod';
import { db, type Prisma } from '../../core/db/index.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { amountPattern, type Money, money } from '../../core/money.ts';
import { currentSettings } from '../../core/settings.ts';
import {
  type Origin,
  type Parcel,
  rulesSchemaByKind,
  type ShippingKindName,
  shippingFee,
  shippingKinds,
} from './rules.ts';

export const methodInputSchema = z
  .object({
    kind: z.enum(shippingKinds),
    name: z.string().trim().min(1).max(100),
    currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code such as CNY'),
    rules: z.record(z.string(), z.unknown()),
    freeOver: z.string().regex(amountPattern).nullable().optional(),
    enabled: z.boolean().default(true),
    sortOrder: z.number().int().min(0).max(1000).default(0),
  })
  .strict();

export const profileInputSchema = z
  .object({
    displayName: z.string().trim().min(1).max(100),
    defaultWeightG: z.number().int().min(1).max(1_000_000).default(500),
    originCity: z.string().trim().max(100).nullable().optional(),
    originCountry: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .nullable()
      .optional(),
    originLat: z.number().min(-90).max(90).nullable().optional(),
    originLng: z.number().min(-180).max(180).nullable().optional(),
  })
  .strict();

export interface ShippingMethodView {
  id: string;
  merchantId: string;
  kind: ShippingKindName;
  name: string;
  currency: string;
  rules: unknown;
  freeOver: string | null;
  enabled: boolean;
  sortOrder: number;
}

function view(row: Prisma.ShippingMethodGetPayload<object>): ShippingMethodView {
  return {
    id: row.id,
    merchantId: row.merchantId,
    kind: row.kind,
    name: row.name,
    currency: row.currency,
    rules: row.rules,
    freeOver: row.freeOver?.toFixed(2) ?? null,
    enabled: row.enabled,
    sortOrder: row.sortOrder,
  };
}

/** The method's rules, validated for its kind; a ValidationError names the failing rule field. */
function validRules(kind: ShippingKindName, rules: unknown): Prisma.InputJsonObject {
  const parsed = rulesSchemaByKind[kind].safeParse(rules);
  if (!parsed.success)
    throw new ValidationError(
      'invalid shipping rules',
      parsed.error.issues.map((issue) => ({
        path: ['rules', ...issue.path].join('.'),
        message: issue.message,
      })),
    );
  return parsed.data as Prisma.InputJsonObject;
}

export async function listShippingMethods(merchantId: string): Promise<ShippingMethodView[]> {
  const rows = await db().shippingMethod.findMany({
    where: { merchantId },
    orderBy: [{ sortOrder: 'asc' }, { createdAt: 'asc' }],
  });
  return rows.map(view);
}

export async function createShippingMethod(merchantId: string, input: unknown): Promise<ShippingMethodView> {
  const data = methodInputSchema.parse(input);
  const row = await db().shippingMethod.create({
    data: { ...data, merchantId, rules: validRules(data.kind, data.rules), freeOver: data.freeOver ?? null },
  });
  return view(row);
}

export async function updateShippingMethod(
  merchantId: string,
  id: string,
  input: unknown,
): Promise<ShippingMethodView> {
  const existing = await db().shippingMethod.findFirst({ where: { id, merchantId } });
  if (!existing) throw new NotFoundError('no such shipping method');
  const data = methodInputSchema.partial().parse(input);
  const kind = data.kind ?? existing.kind;
  const rules =
    data.rules !== undefined || data.kind !== undefined
      ? validRules(kind, data.rules ?? existing.rules)
      : undefined;
  const { rules: _raw, ...fields } = data;
  const row = await db().shippingMethod.update({
    where: { id },
    data: { ...fields, ...(rules ? { rules } : {}) },
  });
  return view(row);
}

export async function deleteShippingMethod(merchantId: string, id: string): Promise<void> {
  const { count } = await db().shippingMethod.deleteMany({ where: { id, merchantId } });
  if (count === 0) throw new NotFoundError('no such shipping method');
}

export interface MerchantProfileView {
  userId: string;
  displayName: string;
  defaultWeightG: number;
  origin: Origin;
}

export async function getMerchantProfile(merchantId: string): Promise<MerchantProfileView> {
  const [row, settings] = await Promise.all([
    db().merchantProfile.findUnique({ where: { userId: merchantId } }),
    currentSettings(),
  ]);
  return {
    userId: merchantId,
    displayName: row?.displayName ?? 'Merchant',
    defaultWeightG: row?.defaultWeightG ?? settings.delivery.defaultWeightG,
    origin: {
      city: row?.originCity ?? null,
      country: row?.originCountry ?? null,
      latitude: row?.originLat?.toNumber() ?? null,
      longitude: row?.originLng?.toNumber() ?? null,
    },
  };
}

export async function setMerchantProfile(merchantId: string, input: unknown): Promise<MerchantProfileView> {
  const data = profileInputSchema.parse(input);
  await db().merchantProfile.upsert({
    where: { userId: merchantId },
    create: { userId: merchantId, ...data },
    update: data,
  });
  return getMerchantProfile(merchantId);
}

export interface ShippingOption {
  methodId: string;
  name: string;
  kind: ShippingKindName;
  available: boolean;
  fee: Money | null;
  /** Why it is not available, or a note on the fee (distance, free over a threshold). */
  note: string | null;
}

/** Every enabled method of the merchant for this parcel, with its fee or why it cannot be used. */
export async function shippingOptions(merchantId: string, parcel: Parcel): Promise<ShippingOption[]> {
  const [methods, profile] = await Promise.all([
    // A method charges in one currency: only those of the order's currency are options.
    db().shippingMethod.findMany({
      where: { merchantId, enabled: true, currency: parcel.currency },
      orderBy: [{ sortOrder: 'asc' }, { createdAt: 'asc' }],
    }),
    getMerchantProfile(merchantId),
  ]);
  return methods.map((method) => {
    const result = shippingFee(
      {
        kind: method.kind,
        rules: method.rules,
        freeOver: method.freeOver ? money(method.freeOver) : null,
        currency: method.currency,
      },
      parcel,
      profile.origin,
    );
    return result.available
      ? {
          methodId: method.id,
          name: method.name,
          kind: method.kind,
          available: true,
          fee: result.fee,
          note: result.note ?? null,
        }
      : {
          methodId: method.id,
          name: method.name,
          kind: method.kind,
          available: false,
          fee: null,
          note: result.reason,
        };
  });
}
