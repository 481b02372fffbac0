import { CronExpressionParser } from 'cron-parser';
import type { Actor } from '../core/actor.ts';
import { ForbiddenError } from '../core/errors.ts';
import { currentSettings } from '../core/settings.ts';
import type { SiteRules } from '../core/site.ts';

/** The politeness a site's rules may not go below without politeness:override. */
export interface PolitenessFloors {
  minDelayMs: number;
  maxInFlightPerHost: number;
  scheduleMinutes: number;
}

export async function politenessFloors(): Promise<PolitenessFloors> {
  const { crawl } = await currentSettings();
  return {
    minDelayMs: crawl.floorMinDelayMs,
    maxInFlightPerHost: crawl.floorMaxInFlightPerHost,
    scheduleMinutes: crawl.floorScheduleMinutes,
  };
}

/** The shortest gap, in minutes, between the next few runs of a cron schedule. */
export function scheduleIntervalMinutes(pattern: string, timezone?: string): number {
  const expression = CronExpressionParser.parse(pattern, timezone ? { tz: timezone } : {});
  let previous = expression.next().getTime();
  let shortest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 24; i++) {
    const next = expression.next().getTime();
    shortest = Math.min(shortest, next - previous);
    previous = next;
  }
  return shortest / 60_000;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What a site's rules may only be set to with extra permissions. Only what changes is checked,
 * so an operator can edit a site an admin allowed more (say, a private intranet shop) without
 * taking that away, but cannot grant it.
 */
export async function assertMayWriteRules(
  actor: Actor,
  after: SiteRules,
  before: SiteRules | null = null,
): Promise<void> {
  const changed = (pick: (rules: SiteRules) => unknown) => !before || !same(pick(before), pick(after));

  if (!actor.can('network:private')) {
    if (after.allowPrivateNetwork && changed((r) => r.allowPrivateNetwork))
      throw new ForbiddenError(
        'allowPrivateNetwork needs the permission network:private',
        'network:private',
        'allowPrivateNetwork',
      );
    if (after.privateHosts.length > 0 && changed((r) => r.privateHosts))
      throw new ForbiddenError(
        'privateHosts needs the permission network:private',
        'network:private',
        'privateHosts',
      );
  }
  if (
    !actor.can('plugins:use') &&
    (after.extraction.plugins?.length ?? 0) > 0 &&
    changed((r) => r.extraction.plugins)
  )
    throw new ForbiddenError(
      'extraction.plugins needs the permission plugins:use',
      'plugins:use',
      'extraction.plugins',
    );
  if (actor.can('politeness:override')) return;

  const floors = await politenessFloors();
  const below = (field: string, what: string) =>
    new ForbiddenError(
      `${field} ${what} needs the permission politeness:override`,
      'politeness:override',
      field,
    );
  if (!after.respectRobotsTxt && changed((r) => r.respectRobotsTxt))
    throw below('respectRobotsTxt', 'false (ignoring robots.txt)');
  if (!after.politeness.respectCrawlDelay && changed((r) => r.politeness.respectCrawlDelay))
    throw below('politeness.respectCrawlDelay', "false (ignoring robots.txt's Crawl-delay)");
  if (after.politeness.minDelayMs < floors.minDelayMs && changed((r) => r.politeness.minDelayMs))
    throw below('politeness.minDelayMs', `below the floor of ${floors.minDelayMs} ms`);
  if (
    after.politeness.maxInFlightPerHost > floors.maxInFlightPerHost &&
    changed((r) => r.politeness.maxInFlightPerHost)
  )
    throw below('politeness.maxInFlightPerHost', `above the ceiling of ${floors.maxInFlightPerHost}`);
  if (after.schedule && changed((r) => [r.schedule, r.timezone])) {
    const minutes = scheduleIntervalMinutes(after.schedule, after.timezone);
    if (minutes < floors.scheduleMinutes)
      throw below(
        'schedule',
        `more often than every ${floors.scheduleMinutes} minutes (it runs every ${minutes} minutes)`,
      );
  }
}
