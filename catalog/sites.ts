import { z } from 'zod';
import { getUser } from '../commerce/accounts/index.ts';
import { type Actor, systemActor } from '../core/actor.ts';
import { db, Prisma } from '../core/db/index.ts';
import { ConflictError, NotFoundError } from '../core/errors.ts';
import { type SiteInput, type SiteRules, siteSchema, storedSiteSchema } from '../core/site.ts';
import { assertMayWriteRules } from './rule-policy.ts';
import { removeSchedule, syncSchedule } from './schedules.ts';

export class SiteExistsError extends ConflictError {
  override name = 'SiteExistsError';
}

export interface SiteRecord {
  id: string;
  name: string;
  rules: SiteRules;
  /** The merchant whose shop this is, if any. */
  ownerId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

function toRecord(row: {
  id: string;
  name: string;
  rules: unknown;
  ownerId: string | null;
  createdAt: Date;
  updatedAt: Date;
}): SiteRecord {
  // Stored rules were validated on write; parsing again applies defaults added since. Checks
  // added since (caps, RE2, the plugin allow-list) do not apply here: an old site still loads.
  return { ...row, rules: storedSiteSchema.parse(row.rules) };
}

/**
 * Validates and stores a new site, and schedules it when its rules have a schedule. Throws
 * ZodError on bad input, ForbiddenError for rules the actor may not set, SiteExistsError on a
 * taken name.
 */
export async function createSite(input: unknown, actor: Actor = systemActor): Promise<SiteRecord> {
  const rules = siteSchema.parse(input);
  assertMayWriteRules(actor, rules);
  let site: SiteRecord;
  try {
    const row = await db().site.create({
      data: { name: rules.name, rules: rules as Prisma.InputJsonObject },
    });
    site = toRecord(row);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new SiteExistsError(`a site named "${rules.name}" exists already`);
    }
    throw error;
  }
  await syncSchedule(site);
  return site;
}

/** Creates the site or replaces its rules (used by `trawl site add` and the demo). */
export async function putSite(input: SiteInput | unknown, actor: Actor = systemActor): Promise<SiteRecord> {
  const rules = siteSchema.parse(input);
  const existing = await getSite(rules.name);
  assertMayWriteRules(actor, rules, existing?.rules ?? null);
  const row = await db().site.upsert({
    where: { name: rules.name },
    create: { name: rules.name, rules: rules as Prisma.InputJsonObject },
    update: { rules: rules as Prisma.InputJsonObject },
  });
  const site = toRecord(row);
  await syncSchedule(site);
  return site;
}

/** Applies a partial change to a site's rules; the result is validated as a whole. */
export async function updateSite(
  name: string,
  patch: unknown,
  actor: Actor = systemActor,
): Promise<SiteRecord | null> {
  const existing = await getSite(name);
  if (!existing) return null;
  const changes = z.record(z.string(), z.unknown()).parse(patch);
  if ('name' in changes && changes.name !== name) {
    throw new z.ZodError([
      { code: 'custom', path: ['name'], message: 'a site cannot be renamed', input: changes.name },
    ]);
  }
  const rules = siteSchema.parse({ ...existing.rules, ...changes });
  assertMayWriteRules(actor, rules, existing.rules);
  const row = await db().site.update({ where: { name }, data: { rules: rules as Prisma.InputJsonObject } });
  const site = toRecord(row);
  await syncSchedule(site);
  return site;
}

export async function getSite(nameOrId: string): Promise<SiteRecord | null> {
  const isUuid = z.uuid().safeParse(nameOrId).success;
  const row = await db().site.findFirst({ where: isUuid ? { id: nameOrId } : { name: nameOrId } });
  return row ? toRecord(row) : null;
}

/** Every site, or only those one merchant owns. */
export async function listSites(filter: { ownerId?: string } = {}): Promise<SiteRecord[]> {
  const rows = await db().site.findMany({
    where: filter.ownerId ? { ownerId: filter.ownerId } : {},
    orderBy: { name: 'asc' },
  });
  return rows.map(toRecord);
}

/** Makes a user (a merchant) the owner of a site, or leaves it unowned with null. */
export async function setSiteOwner(name: string, ownerId: string | null): Promise<SiteRecord> {
  if (ownerId) await getUser(ownerId);
  const { count } = await db().site.updateMany({ where: { name }, data: { ownerId } });
  if (count === 0) throw new NotFoundError(`no site "${name}"`);
  return (await getSite(name))!;
}

export async function deleteSite(name: string): Promise<boolean> {
  const site = await getSite(name);
  if (!site) return false;
  await removeSchedule(site.id);
  const result = await db().site.deleteMany({ where: { name } });
  return result.count > 0;
}
