import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../core/actor.ts';
import { db, Prisma } from '../core/db/index.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../core/errors.ts';
import { availabilitySchema } from '../core/product.ts';
import { contentHash } from './ingest.ts';
import { weightFromAttributes } from './listings.ts';
import { type ListingOverrideView, listedPrice, overrideView } from './overrides.ts';
import { formatDecimal } from './search.ts';

/**
 * The back office's view of listings: crawled and merchant-created, each with its crawled values
 * and its override side by side. Merchants see only their own shops' listings.
 */

export const productStatuses = ['all', 'visible', 'hidden', 'overridden', 'gone', 'manual'] as const;

export const adminProductQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  site: z.string().max(200).optional(),
  category: z.string().max(200).optional(),
  status: z.enum(productStatuses).default('all'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type AdminProductQuery = z.infer<typeof adminProductQuerySchema>;

export interface AdminProductRow {
  id: string;
  site: string;
  origin: 'crawled' | 'manual';
  url: string;
  sku: string | null;
  image: string | null;
  availability: string;
  crawled: { title: string; category: string[]; price: string | null };
  /** What shoppers see. */
  listed: { title: string; category: string[]; price: string | null };
  currency: string | null;
  override: ListingOverrideView | null;
  goneAt: Date | null;
  lastSeenAt: Date;
}

export interface AdminProductPage {
  items: AdminProductRow[];
  total: number;
  page: number;
  pageSize: number;
  /** Categories (top level) and sites to filter by, within the caller's scope. */
  sites: string[];
}

/** Listings the actor may manage: every one with products:manage, its own shops' with :own. */
function scopeOf(actor: Actor): Prisma.ProductWhereInput {
  if (actor.can('products:manage')) return {};
  if (actor.can('products:manage:own') && actor.userId) return { site: { ownerId: actor.userId } };
  throw new ForbiddenError('you may not manage products', 'products:manage');
}

const includeForRow = {
  site: { select: { name: true } },
  override: true,
} satisfies Prisma.ProductInclude;

type ProductWithOverride = Prisma.ProductGetPayload<{ include: typeof includeForRow }>;

function toRow(row: ProductWithOverride): AdminProductRow {
  const override = overrideView(row.override);
  const currency = row.currency?.trim() ?? null;
  const listed = listedPrice(row.price, currency, row.override);
  return {
    id: row.id,
    site: row.site.name,
    origin: row.origin,
    url: row.url,
    sku: row.sku,
    image: row.images[0] ?? null,
    availability: row.availability,
    crawled: {
      title: row.title,
      category: row.categoryPath,
      price: row.price === null ? null : formatDecimal(row.price),
    },
    listed: {
      title: override?.title ?? row.title,
      category: override?.categoryPath ?? row.categoryPath,
      price: listed === null ? null : formatDecimal(listed),
    },
    currency,
    override,
    goneAt: row.goneAt,
    lastSeenAt: row.lastSeenAt,
  };
}

export async function listAdminProducts(input: unknown, actor: Actor): Promise<AdminProductPage> {
  const query = adminProductQuerySchema.parse(input);
  const scope = scopeOf(actor);
  const and: Prisma.ProductWhereInput[] = [scope];
  if (query.q) {
    and.push({
      OR: [
        { title: { contains: query.q, mode: 'insensitive' } },
        { override: { title: { contains: query.q, mode: 'insensitive' } } },
        { sku: query.q },
        { gtin: query.q },
        ...(z.uuid().safeParse(query.q).success ? [{ id: query.q }] : []),
      ],
    });
  }
  if (query.site) and.push({ site: { name: query.site } });
  if (query.category)
    and.push({
      OR: [
        { categoryPath: { has: query.category } },
        { override: { categoryPath: { has: query.category } } },
      ],
    });
  const status: Record<(typeof productStatuses)[number], Prisma.ProductWhereInput> = {
    all: {},
    visible: { goneAt: null, OR: [{ override: null }, { override: { hidden: false } }] },
    hidden: { override: { hidden: true } },
    overridden: { override: { isNot: null } },
    gone: { goneAt: { not: null } },
    manual: { origin: 'manual' },
  };
  and.push(status[query.status]);
  const where: Prisma.ProductWhereInput = { AND: and };
  const [rows, total, sites] = await Promise.all([
    db().product.findMany({
      where,
      include: includeForRow,
      orderBy: [{ lastSeenAt: 'desc' }, { id: 'asc' }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
    db().product.count({ where }),
    db().site.findMany({
      where: 'site' in scope ? { ownerId: actor.userId } : {},
      select: { name: true },
      orderBy: { name: 'asc' },
    }),
  ]);
  return {
    items: rows.map(toRow),
    total,
    page: query.page,
    pageSize: query.pageSize,
    sites: sites.map((s) => s.name),
  };
}

export interface AdminProductDetail extends AdminProductRow {
  description: string | null;
  brand: string | null;
  gtin: string | null;
  images: string[];
  /** The shipping weight the page (or the merchant's entry) stated, before any override. */
  statedWeightG: number | null;
}

export async function getAdminProduct(id: string, actor: Actor): Promise<AdminProductDetail> {
  if (!z.uuid().safeParse(id).success) throw new NotFoundError('no such product');
  const row = await db().product.findFirst({
    where: { AND: [{ id }, scopeOf(actor)] },
    include: includeForRow,
  });
  if (!row) throw new NotFoundError('no such product');
  return {
    ...toRow(row),
    description: row.description,
    brand: row.brand,
    gtin: row.gtin,
    images: row.images,
    statedWeightG: weightFromAttributes(row.attributes),
  };
}

const money = z
  .string()
  .trim()
  .regex(/^\d{1,10}(\.\d{1,4})?$/, { message: 'a price such as 12.50', abort: true })
  .refine((v) => new Prisma.Decimal(v).gt(0), 'more than 0');

/** A product a merchant sells without a crawl: what they type in, bounded like crawled input. */
export const manualProductSchema = z
  .object({
    site: z.string().min(1).max(200).describe('the shop (site name) it belongs to'),
    title: z.string().trim().min(1).max(300),
    description: z.string().trim().max(20_000).nullable().default(null),
    brand: z.string().trim().max(200).nullable().default(null),
    sku: z.string().trim().max(100).nullable().default(null),
    gtin: z
      .string()
      .regex(/^\d{8,14}$/, '8 to 14 digits')
      .nullable()
      .default(null),
    price: money,
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'),
    availability: availabilitySchema.default('InStock'),
    categoryPath: z.array(z.string().trim().min(1).max(100)).max(8).default([]),
    images: z
      .array(
        z
          .url({ protocol: /^https$/, hostname: z.regexes.domain })
          .max(2000)
          .describe('an https image URL'),
      )
      .max(10)
      .default([]),
    weightG: z.number().int().min(1).max(1_000_000).nullable().default(null),
  })
  .strict();
export type ManualProductInput = z.input<typeof manualProductSchema>;

/** Where a merchant-created product lives: a URL no crawl can produce, so ingestion never meets it. */
export const manualProductUrl = (id: string) => `urn:trawl:product:${id}`;

async function siteForManual(name: string, actor: Actor): Promise<string> {
  const site = await db().site.findUnique({ where: { name }, select: { id: true, ownerId: true } });
  if (!site) throw ValidationError.field('site', `no site "${name}"`);
  if (actor.can('products:manage')) return site.id;
  if (actor.can('products:manage:own') && actor.userId && site.ownerId === actor.userId) return site.id;
  throw new ForbiddenError('you may add products only to your own shops', 'products:manage:own', 'site');
}

function manualData(input: z.infer<typeof manualProductSchema>, url: string) {
  const attributes: Record<string, string> = input.weightG ? { Weight: `${input.weightG} g` } : {};
  const normalised = {
    url,
    title: input.title,
    description: input.description,
    brand: input.brand,
    sku: input.sku,
    gtin: input.gtin,
    price: input.price,
    currency: input.currency,
    availability: input.availability,
    images: input.images,
    categoryPath: input.categoryPath,
    attributes,
  };
  return {
    title: input.title,
    description: input.description,
    brand: input.brand,
    sku: input.sku,
    gtin: input.gtin,
    price: new Prisma.Decimal(input.price),
    currency: input.currency,
    availability: input.availability,
    images: input.images,
    categoryPath: input.categoryPath,
    category: input.categoryPath[0] ?? null,
    attributes,
    contentHash: contentHash(normalised),
  };
}

export async function createManualProduct(input: unknown, actor: Actor): Promise<AdminProductRow> {
  const product = manualProductSchema.parse(input);
  const siteId = await siteForManual(product.site, actor);
  const id = randomUUID();
  const url = manualProductUrl(id);
  await db().$transaction(async (tx) => {
    await tx.product.create({ data: { id, siteId, url, origin: 'manual', ...manualData(product, url) } });
    await tx.priceObservation.create({
      data: {
        productId: id,
        price: product.price,
        currency: product.currency,
        availability: product.availability,
      },
    });
  });
  return getAdminProduct(id, actor);
}

/** Replaces a merchant-created product's fields; crawled listings change only through overrides. */
export async function updateManualProduct(
  id: string,
  input: unknown,
  actor: Actor,
): Promise<AdminProductRow> {
  const current = await getAdminProduct(id, actor);
  if (current.origin !== 'manual')
    throw ValidationError.field('origin', 'a crawled listing changes through overrides, not by editing it');
  const product = manualProductSchema.parse(input);
  const siteId = await siteForManual(product.site, actor);
  const data = manualData(product, current.url);
  await db().$transaction(async (tx) => {
    await tx.product.update({
      where: { id },
      data: { ...data, siteId, lastSeenAt: new Date(), updatedAt: new Date() },
    });
    const changed =
      current.crawled.price !== formatDecimal(data.price) ||
      current.currency !== product.currency ||
      current.availability !== product.availability;
    if (changed)
      await tx.priceObservation.create({
        data: {
          productId: id,
          price: data.price,
          currency: product.currency,
          availability: product.availability,
        },
      });
  });
  return getAdminProduct(id, actor);
}
