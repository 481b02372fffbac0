import { z } from 'zod';
import { db, Prisma } from '../core/db/index.ts';
import { type SiteInput, type SiteRules, siteSchema, storedSiteSchema } from '../core/site.ts';
import { removeSchedule, syncSchedule } from './schedules.ts';

export class SiteExistsError extends Error {
  override name = 'SiteExistsError';
}

export interface SiteRecord {
  id: string;
  name: string;
  rules: SiteRules;
  createdAt: Date;
  updatedAt: Date;
}

function toRecord(row: {
  id: string;
  name: string;
  rules: unknown;
  createdAt: Date;
  updatedAt: Date;
}): SiteRecord {
  // Stored rules were validated on write; parsing again applies defaults added since. Checks
  // added since (caps, RE2, the plugin allow-list) do not apply here: an old site still loads.
  return { ...row, rules: storedSiteSchema.parse(row.rules) };
}

/** Validates and stores a new site. Throws ZodError on bad input, SiteExistsError on a taken name. */
export async function createSite(input: unknown): Promise<SiteRecord> {
  const rules = siteSchema.parse(input);
  try {
    const row = await db().site.create({
      data: { name: rules.name, rules: rules as Prisma.InputJsonObject },
    });
    return toRecord(row);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new SiteExistsError(`a site named "${rules.name}" exists already`);
    }
    throw error;
  }
}

/** Creates the site or replaces its rules (used by `trawl site add` and the demo). */
export async function putSite(input: SiteInput | unknown): Promise<SiteRecord> {
  const rules = siteSchema.parse(input);
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
export async function updateSite(name: string, patch: unknown): Promise<SiteRecord | null> {
  const existing = await getSite(name);
  if (!existing) return null;
  const changes = z.record(z.string(), z.unknown()).parse(patch);
  if ('name' in changes && changes.name !== name) {
    throw new z.ZodError([
      { code: 'custom', path: ['name'], message: 'a site cannot be renamed', input: changes.name },
    ]);
  }
  const rules = siteSchema.parse({ ...existing.rules, ...changes });
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

export async function listSites(): Promise<SiteRecord[]> {
  const rows = await db().site.findMany({ orderBy: { name: 'asc' } });
  return rows.map(toRecord);
}

export async function deleteSite(name: string): Promise<boolean> {
  const site = await getSite(name);
  if (!site) return false;
  await removeSchedule(site.id);
  const result = await db().site.deleteMany({ where: { name } });
  return result.count > 0;
}
