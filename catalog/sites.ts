import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { emailsOf, getUser } from '../commerce/accounts/index.ts';
import { type Actor, systemActor } from '../core/actor.ts';
import { db, Prisma } from '../core/db/index.ts';
import { ConflictError, NotFoundError } from '../core/errors.ts';
import { currentSettings } from '../core/settings.ts';
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
export async function createSite(
  input: unknown,
  actor: Actor = systemActor,
  note?: string,
): Promise<SiteRecord> {
  const rules = siteSchema.parse(await withInstallDefaults(input));
  await assertMayWriteRules(actor, rules);
  let site: SiteRecord;
  try {
    site = await db().$transaction(async (tx) => {
      const row = await tx.site.create({
        data: { name: rules.name, rules: rules as Prisma.InputJsonObject },
      });
      await recordVersion(tx, row.id, rules, actor, note ?? 'created');
      return toRecord(row);
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new SiteExistsError(`a site named "${rules.name}" exists already`);
    }
    throw error;
  }
  await syncSchedule(site);
  return site;
}

/** A new site's rules with the back office's crawl defaults where the input leaves them out. */
async function withInstallDefaults(input: unknown): Promise<unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input) || 'maxConcurrency' in input)
    return input;
  const { crawl } = await currentSettings();
  return { ...input, maxConcurrency: crawl.defaultMaxConcurrency };
}

type Tx = Prisma.TransactionClient;

/** Appends the rules as the site's next version (the site row is locked by the caller's update). */
async function recordVersion(tx: Tx, siteId: string, rules: SiteRules, actor: Actor, note: string | null) {
  await tx.$executeRaw`
    INSERT INTO site_version (id, site_id, version, rules, author_id, note)
    SELECT gen_random_uuid(), ${siteId}::uuid, coalesce(max(version), 0) + 1, ${JSON.stringify(rules)}::jsonb,
      ${actor.userId}::uuid, ${note?.slice(0, 500) ?? null}
    FROM site_version WHERE site_id = ${siteId}::uuid`;
}

/**
 * Stores new rules for an existing site and records them as its next version, unless they are
 * the rules it has (saving twice makes one version). The row lock orders concurrent saves.
 */
async function replaceRules(
  existing: SiteRecord,
  rules: SiteRules,
  actor: Actor,
  note: string | null,
): Promise<SiteRecord> {
  const site = await db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM site WHERE id = ${existing.id}::uuid FOR UPDATE`;
    const current = await tx.site.findUniqueOrThrow({ where: { id: existing.id } });
    // jsonb keeps its own key order: compare values, not texts.
    if (isDeepStrictEqual(current.rules, JSON.parse(JSON.stringify(rules)))) return toRecord(current);
    const row = await tx.site.update({
      where: { id: existing.id },
      data: { rules: rules as Prisma.InputJsonObject },
    });
    await recordVersion(tx, row.id, rules, actor, note);
    return toRecord(row);
  });
  await syncSchedule(site);
  return site;
}

/** Creates the site or replaces its rules (used by `trawl site add` and the demo). */
export async function putSite(
  input: SiteInput | unknown,
  actor: Actor = systemActor,
  note?: string,
): Promise<SiteRecord> {
  const rules = siteSchema.parse(input);
  const existing = await getSite(rules.name);
  await assertMayWriteRules(actor, rules, existing?.rules ?? null);
  if (!existing) {
    try {
      return await createSite(rules, actor, note);
    } catch (error) {
      // Created by someone else meanwhile: replace theirs, as an upsert would.
      if (!(error instanceof SiteExistsError)) throw error;
      return putSite(input, actor, note);
    }
  }
  return replaceRules(existing, rules, actor, note ?? null);
}

/** Applies a partial change to a site's rules; the result is validated as a whole. */
export async function updateSite(
  name: string,
  patch: unknown,
  actor: Actor = systemActor,
  note?: string,
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
  await assertMayWriteRules(actor, rules, existing.rules);
  return replaceRules(existing, rules, actor, note ?? null);
}

/** Replaces a site's rules as a whole (the rule editor's save): validated, checked, versioned. */
export async function replaceSiteRules(
  name: string,
  input: unknown,
  actor: Actor,
  note?: string,
): Promise<SiteRecord> {
  const existing = await getSite(name);
  if (!existing) throw new NotFoundError(`no site "${name}"`);
  const rules = siteSchema.parse(input);
  if (rules.name !== name)
    throw new z.ZodError([
      { code: 'custom', path: ['name'], message: 'a site cannot be renamed', input: rules.name },
    ]);
  await assertMayWriteRules(actor, rules, existing.rules);
  return replaceRules(existing, rules, actor, note ?? null);
}

export interface SiteVersionView {
  version: number;
  rules: unknown;
  authorId: string | null;
  authorEmail: string | null;
  note: string | null;
  createdAt: Date;
}

/** A site's saved versions, newest first. */
export async function listSiteVersions(name: string, limit = 100): Promise<SiteVersionView[]> {
  const site = await getSite(name);
  if (!site) throw new NotFoundError(`no site "${name}"`);
  const rows = await db().siteVersion.findMany({
    where: { siteId: site.id },
    orderBy: { version: 'desc' },
    take: Math.min(Math.max(limit, 1), 1000),
  });
  const authors = await emailsOf(rows.map((r) => r.authorId).filter((id): id is string => id !== null));
  return rows.map((r) => ({
    version: r.version,
    rules: r.rules,
    authorId: r.authorId,
    authorEmail: r.authorId ? (authors.get(r.authorId) ?? null) : null,
    note: r.note,
    createdAt: r.createdAt,
  }));
}

/**
 * Makes an old version's rules current again, as a new version ("rolled back to v3"). The old
 * rules are validated by today's schema and policy: a rollback cannot bring back what is no
 * longer allowed.
 */
export async function rollbackSite(name: string, version: number, actor: Actor): Promise<SiteRecord> {
  const site = await getSite(name);
  if (!site) throw new NotFoundError(`no site "${name}"`);
  const old = await db().siteVersion.findUnique({ where: { siteId_version: { siteId: site.id, version } } });
  if (!old) throw new NotFoundError(`site "${name}" has no version ${version}`);
  return replaceSiteRules(name, old.rules, actor, `rolled back to version ${version}`);
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
