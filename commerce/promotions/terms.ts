import { z } from 'zod';
import { amountPattern } from '../../core/money.ts';

/**
 * What a promotion is, as data: its type's terms (`rules`), window, scope, audience, limits and
 * stacking rule. The same schemas validate the admin API, the back-office forms and rows read
 * back from the database.
 */
export const promotionTypes = ['threshold', 'discount', 'coupon', 'rush', 'flash', 'group'] as const;
export type PromotionType = (typeof promotionTypes)[number];
export const promotionStatuses = ['draft', 'scheduled', 'active', 'paused', 'ended'] as const;
export type PromotionStatus = (typeof promotionStatuses)[number];
export const promotionScopes = ['everything', 'merchant', 'category', 'listings'] as const;
export type PromotionScope = (typeof promotionScopes)[number];

/** How each type is called in the shop (the seed's names). */
export const typeNames: Record<PromotionType, string> = {
  threshold: '满减 spend threshold',
  discount: '折扣 discount',
  coupon: 'Coupon',
  rush: '抢购 rush price',
  flash: '秒杀 flash sale',
  group: '团购 group buy',
};

const amount = z.string().trim().regex(amountPattern, 'an amount such as 12.50');
const positiveAmount = amount.refine((v) => Number(v) > 0, 'more than zero');
const percent = z
  .number()
  .gt(0)
  .lt(100)
  .refine((v) => Number.isInteger(v * 100), 'at most two decimals');

/** 满减: spend at least `spend` on eligible items, get `off` off; the best tier reached applies. */
export const thresholdTerms = z
  .object({
    tiers: z
      .array(z.object({ spend: positiveAmount, off: positiveAmount }).strict())
      .min(1)
      .max(10)
      .refine(
        (tiers) => tiers.every((t) => Number(t.off) <= Number(t.spend)),
        'a tier cannot take off more than its spend',
      )
      .refine(
        (tiers) => new Set(tiers.map((t) => Number(t.spend))).size === tiers.length,
        'one tier per spend',
      ),
  })
  .strict();

/** 折扣 and coupons: a percentage (optionally capped) or a fixed amount, from a minimum spend. */
export const discountTerms = z
  .object({
    percent: percent.optional(),
    amountOff: positiveAmount.optional(),
    minSpend: amount.optional(),
    maxOff: positiveAmount.optional(),
  })
  .strict()
  .refine((t) => (t.percent === undefined) !== (t.amountOff === undefined), {
    message: 'exactly one of percent and amountOff',
    path: ['percent'],
  });

/** 抢购: a price for the window, at most `perPersonUnits` units per person. */
export const rushTerms = z
  .object({ price: positiveAmount, perPersonUnits: z.number().int().min(1).max(99) })
  .strict();

/** 秒杀: `units` units at `price`; a unit reserved and not paid within `reserveMinutes` returns to the sale. */
export const flashTerms = z
  .object({
    price: positiveAmount,
    units: z.number().int().min(1).max(1_000_000),
    perPersonUnits: z.number().int().min(1).max(99).default(1),
    reserveMinutes: z.number().min(0.05).max(120).default(10),
  })
  .strict();

/** 团购: the group price holds once `groupSize` people have paid within `hours` of the group's start. */
export const groupTerms = z
  .object({
    price: positiveAmount,
    groupSize: z.number().int().min(2).max(100),
    hours: z.number().min(0.001).max(720),
    perPersonUnits: z.number().int().min(1).max(99).default(1),
  })
  .strict();

export const termsSchemaByType = {
  threshold: thresholdTerms,
  discount: discountTerms,
  coupon: discountTerms,
  rush: rushTerms,
  flash: flashTerms,
  group: groupTerms,
} as const;

export type ThresholdTerms = z.infer<typeof thresholdTerms>;
export type DiscountTerms = z.infer<typeof discountTerms>;
export type RushTerms = z.infer<typeof rushTerms>;
export type FlashTerms = z.infer<typeof flashTerms>;
export type GroupTerms = z.infer<typeof groupTerms>;
export type Terms =
  | { type: 'threshold'; rules: ThresholdTerms }
  | { type: 'discount' | 'coupon'; rules: DiscountTerms }
  | { type: 'rush'; rules: RushTerms }
  | { type: 'flash'; rules: FlashTerms }
  | { type: 'group'; rules: GroupTerms };

/** The price-setting types: they change a line's unit price; the others take money off the order. */
export const priceTypes: ReadonlySet<PromotionType> = new Set(['rush', 'flash', 'group']);

const currency = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code such as CNY');
const limit = z.number().int().min(1).max(100_000_000).nullable().optional();

export const promotionInputSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(500).nullable().optional(),
    type: z.enum(promotionTypes),
    startsAt: z.coerce.date(),
    endsAt: z.coerce.date(),
    scope: z.enum(promotionScopes).default('everything'),
    merchantId: z.uuid().nullable().optional(),
    category: z.string().trim().min(1).max(200).nullable().optional(),
    productIds: z.array(z.uuid()).max(500).default([]),
    currency: currency.nullable().optional(),
    minTier: z.string().trim().min(1).max(40).nullable().optional(),
    stacking: z.enum(['stackable', 'exclusive']).default('stackable'),
    fundedBy: z.enum(['merchant', 'platform']).default('merchant'),
    rules: z.record(z.string(), z.unknown()),
    maxUses: limit,
    perUserLimit: limit,
    maxParticipants: limit,
    budget: positiveAmount.nullable().optional(),
    claimable: z.boolean().default(false),
  })
  .strict()
  .superRefine((p, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (p.endsAt <= p.startsAt) issue('endsAt', 'must be after the start');
    if (p.scope === 'merchant' && !p.merchantId) issue('merchantId', 'a merchant scope names the merchant');
    if (p.scope === 'category' && !p.category) issue('category', 'a category scope names the category');
    if (p.scope === 'listings' && p.productIds.length === 0)
      issue('productIds', 'a listings scope names at least one listing');
    if ((p.type === 'flash' || p.type === 'group') && (p.scope !== 'listings' || p.productIds.length !== 1))
      issue('productIds', `a ${p.type} sale is of exactly one listing`);
    if (p.type === 'rush' && p.scope !== 'listings') issue('scope', 'a rush price is for listings');
    const terms = termsSchemaByType[p.type].safeParse(p.rules);
    if (!terms.success)
      for (const i of terms.error.issues)
        ctx.addIssue({ code: 'custom', path: ['rules', ...i.path.map(String)], message: i.message });
    const rules = p.rules as Record<string, unknown>;
    const hasAmounts =
      p.type !== 'discount' && p.type !== 'coupon'
        ? true
        : Boolean(rules.amountOff ?? rules.minSpend ?? rules.maxOff);
    if ((hasAmounts || p.budget) && !p.currency) issue('currency', 'amounts need a currency');
    if (p.claimable && p.type !== 'coupon') issue('claimable', 'only coupons are claimed');
  });
export type PromotionInput = z.infer<typeof promotionInputSchema>;

/** The terms of a stored promotion, parsed (defaults filled in). */
export function parseTerms(type: PromotionType, rules: unknown): Terms {
  return { type, rules: termsSchemaByType[type].parse(rules) } as Terms;
}

/** One line describing the terms, as shop pages and the breakdown print them. */
export function describeTerms(terms: Terms, currency: string | null): string {
  const m = (v: string) => (currency ? `${v} ${currency}` : v);
  switch (terms.type) {
    case 'threshold':
      return terms.rules.tiers
        .slice()
        .sort((a, b) => Number(a.spend) - Number(b.spend))
        .map((t) => `满${m(t.spend)}减${t.off}`)
        .join(', ');
    case 'discount':
    case 'coupon': {
      const off =
        terms.rules.percent !== undefined
          ? `${terms.rules.percent}% off${terms.rules.maxOff ? ` (at most ${m(terms.rules.maxOff)})` : ''}`
          : `${m(terms.rules.amountOff!)} off`;
      return terms.rules.minSpend ? `${off} from ${m(terms.rules.minSpend)}` : off;
    }
    case 'rush':
      return `${m(terms.rules.price)} each, at most ${terms.rules.perPersonUnits} per person`;
    case 'flash':
      return `${terms.rules.units} units at ${m(terms.rules.price)}, ${terms.rules.perPersonUnits} per person`;
    case 'group':
      return `${m(terms.rules.price)} once ${terms.rules.groupSize} people join within ${terms.rules.hours} h`;
  }
}
