import { z } from 'zod';
import { amountPattern, type Money, money, roundMoney } from '../../core/money.ts';

const amount = z.string().regex(amountPattern, 'an amount such as "12.50"');
const grams = z.number().int().min(1).max(1_000_000);

/** Express: a fee for the first weight, then a fee for each further unit of weight started. */
export const expressRulesSchema = z
  .object({ firstWeightG: grams, firstFee: amount, additionalWeightG: grams, additionalFee: amount })
  .strict();

/** Logistics: weight tiers; the first tier the parcel fits under sets the fee. */
export const logisticsRulesSchema = z
  .object({
    tiers: z
      .array(z.object({ upToG: grams, fee: amount }).strict())
      .min(1)
      .max(20)
      .refine(
        (tiers) => tiers.every((t, i) => i === 0 || t.upToG > tiers[i - 1]!.upToG),
        'tiers must rise in weight',
      ),
  })
  .strict();

/**
 * Same-city delivery: only to addresses within `radiusKm` of the merchant's origin (addresses
 * need coordinates), or, without a radius, in the listed cities; a base fee plus a fee per
 * kilometre started.
 */
export const sameCityRulesSchema = z
  .object({
    radiusKm: z.number().positive().max(200).optional(),
    cities: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
    country: z.string().regex(/^[A-Z]{2}$/),
    baseFee: amount,
    perKmFee: amount.default('0'),
  })
  .strict()
  .refine((rules) => rules.radiusKm !== undefined || (rules.cities?.length ?? 0) > 0, {
    message: 'give a radius or a list of cities',
    path: ['radiusKm'],
  });

export type ExpressRules = z.infer<typeof expressRulesSchema>;
export type LogisticsRules = z.infer<typeof logisticsRulesSchema>;
export type SameCityRules = z.infer<typeof sameCityRulesSchema>;

export const shippingKinds = ['express', 'logistics', 'same_city'] as const;
export type ShippingKindName = (typeof shippingKinds)[number];

export const rulesSchemaByKind = {
  express: expressRulesSchema,
  logistics: logisticsRulesSchema,
  same_city: sameCityRulesSchema,
} as const;

export interface Parcel {
  weightG: number;
  itemsTotal: Money;
  currency: string;
  destination: { city: string; country: string; latitude: number | null; longitude: number | null };
}

export interface Origin {
  city: string | null;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
}

export type FeeResult = { available: true; fee: Money; note?: string } | { available: false; reason: string };

/** Great-circle distance in km (haversine); for delivery radii, not money. */
export function distanceKm(
  a: { latitude: number; longitude: number },
  b: { latitude: number; longitude: number },
): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLng = (b.longitude - a.longitude) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

const sameCity = (a: string, b: string) =>
  a.trim().normalize('NFKC').toLowerCase() === b.trim().normalize('NFKC').toLowerCase();

/** The fee of one method for one parcel, before any free-shipping threshold. */
export function feeFor(kind: ShippingKindName, rules: unknown, parcel: Parcel, origin: Origin): FeeResult {
  if (kind === 'express') {
    const r = expressRulesSchema.parse(rules);
    const extraUnits = Math.ceil(Math.max(0, parcel.weightG - r.firstWeightG) / r.additionalWeightG);
    return { available: true, fee: money(r.firstFee).plus(money(r.additionalFee).times(extraUnits)) };
  }
  if (kind === 'logistics') {
    const r = logisticsRulesSchema.parse(rules);
    const tier = r.tiers.find((t) => parcel.weightG <= t.upToG);
    if (!tier) return { available: false, reason: `heavier than ${r.tiers.at(-1)!.upToG / 1000} kg` };
    return { available: true, fee: money(tier.fee) };
  }
  const r = sameCityRulesSchema.parse(rules);
  if (parcel.destination.country !== r.country)
    return { available: false, reason: 'only within the merchant’s city' };
  const { latitude, longitude } = parcel.destination;
  let km = 0;
  if (r.radiusKm !== undefined) {
    if (origin.latitude === null || origin.longitude === null)
      return { available: false, reason: 'the merchant has not set where parcels leave from' };
    if (latitude === null || longitude === null)
      return { available: false, reason: 'the address needs a map location for same-city delivery' };
    km = distanceKm({ latitude: origin.latitude, longitude: origin.longitude }, { latitude, longitude });
    if (km > r.radiusKm) return { available: false, reason: `more than ${r.radiusKm} km away` };
  } else if (!r.cities!.some((city) => sameCity(city, parcel.destination.city))) {
    return { available: false, reason: `only in ${r.cities!.join(', ')}` };
  }
  const startedKm = Math.ceil(km);
  return {
    available: true,
    fee: money(r.baseFee).plus(money(r.perKmFee).times(startedKm)),
    ...(r.radiusKm !== undefined ? { note: `${km.toFixed(1)} km` } : {}),
  };
}

/** The fee with the method's free-shipping threshold applied, rounded to the currency. */
export function shippingFee(
  method: { kind: ShippingKindName; rules: unknown; freeOver: Money | null; currency: string },
  parcel: Parcel,
  origin: Origin,
): FeeResult {
  if (method.currency !== parcel.currency)
    return { available: false, reason: `charges in ${method.currency}` };
  const result = feeFor(method.kind, method.rules, parcel, origin);
  if (!result.available) return result;
  if (method.freeOver && parcel.itemsTotal.gte(method.freeOver))
    return {
      available: true,
      fee: money(0),
      note: `free over ${method.freeOver.toFixed(2)} ${method.currency}`,
    };
  return { ...result, fee: roundMoney(result.fee, parcel.currency) };
}
