import { z } from 'zod';
import type { Actor } from '../core/actor.ts';
import { db, Prisma } from '../core/db/index.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../core/errors.ts';
import { roundMoney } from '../core/money.ts';

/**
 * Back-office changes to listings: hide, retitle, recategorise, reprice (markup or fixed) and
 * reweigh. They live in `listing_override`, apart from the crawled fields, so a recrawl never
 * undoes them and the back office can show both. Everything shoppers see goes through
 * `listedPrice` (here) or `trawl_listed_price` (SQL, for search), which agree to the cent.
 */

export type PriceOverride = { mode: 'markup'; percent: string } | { mode: 'fixed'; amount: string };

const decimalText = (max: string) =>
  z
    .string()
    .trim()
    .regex(/^-?\d{1,10}(\.\d{1,4})?$/, { message: 'a decimal number such as 12.50', abort: true })
    .refine((v) => new Prisma.Decimal(v).abs().lte(max), `at most ${max}`);

export const priceOverrideSchema = z.discriminatedUnion('mode', [
  z
    .object({
      mode: z.literal('markup'),
      percent: decimalText('1000').refine((v) => new Prisma.Decimal(v).gt(-100), 'more than -100'),
    })
    .strict(),
  z
    .object({
      mode: z.literal('fixed'),
      amount: decimalText('9999999999').refine((v) => new Prisma.Decimal(v).gt(0), 'more than 0'),
    })
    .strict(),
]);

/** A change to overrides: a field left out stays as it is; null clears it (back to the crawled value). */
export const overridePatchSchema = z
  .object({
    hidden: z.boolean().optional(),
    title: z.string().trim().min(1).max(300).nullable().optional(),
    categoryPath: z
      .array(z.string().trim().min(1).max(100))
      .min(1)
      .max(8)
      .nullable()
      .optional()
      .describe('from the broadest category to the narrowest'),
    price: priceOverrideSchema.nullable().optional(),
    weightG: z.number().int().min(1).max(1_000_000).nullable().optional(),
  })
  .strict();
export type OverridePatch = z.infer<typeof overridePatchSchema>;

export interface ListingOverrideView {
  hidden: boolean;
  title: string | null;
  categoryPath: string[] | null;
  price: PriceOverride | null;
  weightG: number | null;
  updatedAt: Date;
}

type OverrideRow = {
  hidden: boolean;
  title: string | null;
  categoryPath: string[];
  priceMode: 'markup' | 'fixed' | null;
  priceValue: Prisma.Decimal | null;
  weightG: number | null;
  updatedAt: Date;
};

export function overrideView(row: OverrideRow | null | undefined): ListingOverrideView | null {
  if (!row) return null;
  const value = row.priceValue?.toString() ?? null;
  return {
    hidden: row.hidden,
    title: row.title,
    categoryPath: row.categoryPath.length > 0 ? row.categoryPath : null,
    price:
      row.priceMode && value !== null
        ? row.priceMode === 'markup'
          ? { mode: 'markup', percent: value }
          : { mode: 'fixed', amount: value }
        : null,
    weightG: row.weightG,
    updatedAt: row.updatedAt,
  };
}

/** The price shoppers pay: the crawled one, marked up or down, or replaced by a fixed price. */
export function listedPrice(
  crawled: Prisma.Decimal | null,
  currency: string | null,
  override: Pick<OverrideRow, 'priceMode' | 'priceValue'> | null | undefined,
): Prisma.Decimal | null {
  if (!override?.priceMode || override.priceValue === null) return crawled;
  if (override.priceMode === 'fixed') return override.priceValue;
  if (crawled === null || currency === null) return crawled;
  return roundMoney(crawled.times(override.priceValue.dividedBy(100).plus(1)), currency.trim());
}

/** What a product shows once its override applies. */
export function applyOverride<T extends { title: string; categoryPath: string[] }>(
  crawled: T,
  override: Pick<OverrideRow, 'title' | 'categoryPath'> | null | undefined,
): T {
  if (!override) return crawled;
  return {
    ...crawled,
    title: override.title ?? crawled.title,
    categoryPath: override.categoryPath.length > 0 ? override.categoryPath : crawled.categoryPath,
  };
}

/**
 * The products among `ids` that the actor may change: all of them with products:manage, those of
 * the sites the actor owns with products:manage:own. Throws NotFoundError for an unknown id and
 * ForbiddenError for one the actor may not touch (without saying whose it is).
 */
export async function assertMayManageProducts(actor: Actor, ids: readonly string[]): Promise<void> {
  const unique = [...new Set(ids)];
  const rows = await db().product.findMany({
    where: { id: { in: unique } },
    select: { id: true, site: { select: { ownerId: true } } },
  });
  if (rows.length !== unique.length) throw new NotFoundError('no such product');
  if (actor.can('products:manage')) return;
  if (!actor.can('products:manage:own') || !actor.userId)
    throw new ForbiddenError('you may not manage products', 'products:manage');
  if (rows.some((row) => row.site.ownerId !== actor.userId))
    throw new ForbiddenError('you may manage only the products of your own shops', 'products:manage:own');
}

export const MAX_BULK = 500;

/**
 * Applies one change to the overrides of up to MAX_BULK products at once, in one transaction.
 * A fixed price needs a listing with a currency. An override left empty is removed.
 */
export async function setOverrides(ids: readonly string[], patch: unknown, actor: Actor): Promise<number> {
  const change = overridePatchSchema.parse(patch);
  const unique = [...new Set(ids)];
  if (unique.length === 0) return 0;
  if (unique.length > MAX_BULK) throw ValidationError.field('ids', `at most ${MAX_BULK} products at once`);
  await assertMayManageProducts(actor, unique);
  if (change.price?.mode === 'fixed') {
    const noCurrency = await db().product.count({ where: { id: { in: unique }, currency: null } });
    if (noCurrency > 0)
      throw ValidationError.field('price', 'a fixed price needs a listing whose currency is known');
  }
  const data: Prisma.ListingOverrideUncheckedUpdateInput = { updatedById: actor.userId };
  if (change.hidden !== undefined) data.hidden = change.hidden;
  if (change.title !== undefined) data.title = change.title;
  if (change.categoryPath !== undefined) data.categoryPath = change.categoryPath ?? [];
  if (change.weightG !== undefined) data.weightG = change.weightG;
  if (change.price !== undefined) {
    data.priceMode = change.price?.mode ?? null;
    data.priceValue = change.price
      ? new Prisma.Decimal(change.price.mode === 'markup' ? change.price.percent : change.price.amount)
      : null;
  }
  await db().$transaction(async (tx) => {
    await tx.listingOverride.createMany({
      data: unique.map((productId) => ({ productId, updatedById: actor.userId })),
      skipDuplicates: true,
    });
    await tx.listingOverride.updateMany({ where: { productId: { in: unique } }, data });
    await tx.listingOverride.deleteMany({
      where: {
        productId: { in: unique },
        hidden: false,
        title: null,
        categoryPath: { isEmpty: true },
        priceMode: null,
        weightG: null,
      },
    });
  });
  return unique.length;
}

/** Removes every override of these products: they show their crawled values again. */
export async function clearOverrides(ids: readonly string[], actor: Actor): Promise<number> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return 0;
  if (unique.length > MAX_BULK) throw ValidationError.field('ids', `at most ${MAX_BULK} products at once`);
  await assertMayManageProducts(actor, unique);
  const { count } = await db().listingOverride.deleteMany({ where: { productId: { in: unique } } });
  return count;
}
