import { z } from 'zod';
import { ValidationError } from '../../core/errors.ts';

/**
 * A report's date range and grain. Days are calendar days in UTC: `from` and `to` are both
 * included, so the range is [from 00:00 UTC, to + 1 day 00:00 UTC). Weeks are ISO weeks
 * (Monday to Sunday), months calendar months; the first and last periods may be partial.
 */
export const grains = ['day', 'week', 'month'] as const;
export type Grain = (typeof grains)[number];

/** The longest range a report covers: two years (a leap year included). */
export const MAX_RANGE_DAYS = 731;
/** The range when none is asked for: the last 30 days, today included. */
export const DEFAULT_RANGE_DAYS = 30;
const DAY_MS = 86_400_000;

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((text) => {
    const date = new Date(`${text}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
  }, 'not a calendar date')
  .refine((text) => text >= '2000-01-01' && text <= '2099-12-31', 'a date between 2000 and 2099');

export const rangeQuerySchema = z.object({
  from: isoDay.optional().describe('first day (UTC), included; default 29 days before `to`'),
  to: isoDay.optional().describe('last day (UTC), included; default today'),
  grain: z.enum(grains).default('day').describe('period of the time series: day, week (ISO) or month'),
});
export type RangeQuery = z.input<typeof rangeQuerySchema>;

export interface ReportRange {
  /** First and last day, included (YYYY-MM-DD, UTC). */
  from: string;
  to: string;
  grain: Grain;
  /** [start, end) as UTC instants. */
  start: Date;
  end: Date;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/** Validates a range (400 naming the field when it is wrong) and fills in the defaults. */
export function parseRange(input: unknown, now = new Date()): ReportRange {
  const parsed = rangeQuerySchema.safeParse(input ?? {});
  if (!parsed.success)
    throw new ValidationError(
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    );
  const { grain } = parsed.data;
  const to = parsed.data.to ?? day(now);
  const from =
    parsed.data.from ?? day(new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_RANGE_DAYS - 1) * DAY_MS));
  const start = new Date(`${from}T00:00:00Z`);
  const end = new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS);
  if (start >= end) throw ValidationError.field('from', '`from` must not be after `to`');
  if ((end.getTime() - start.getTime()) / DAY_MS > MAX_RANGE_DAYS)
    throw ValidationError.field('from', `a report covers at most ${MAX_RANGE_DAYS} days`);
  return { from, to, grain, start, end };
}

/**
 * The UTC wall time Postgres compares with: the tables' timestamps are `timestamp(3)` holding UTC,
 * so bounds go in as `timestamp` literals and the session's TimeZone never shifts a period.
 */
export function utcTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** The start of the period (UTC) that holds an instant: what the SQL's date_trunc computes. */
export function periodOf(date: Date, grain: Grain): string {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  const d = date.getUTCDate();
  if (grain === 'month') return day(new Date(Date.UTC(y, m, 1)));
  if (grain === 'week') {
    const weekday = (date.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
    return day(new Date(Date.UTC(y, m, d - weekday)));
  }
  return day(new Date(Date.UTC(y, m, d)));
}

/** Every period of the range, in order (the first may start before `from`). */
export function periodsOf(range: ReportRange): string[] {
  const periods: string[] = [];
  let cursor = new Date(`${periodOf(range.start, range.grain)}T00:00:00Z`);
  while (cursor < range.end) {
    periods.push(day(cursor));
    const y = cursor.getUTCFullYear();
    const m = cursor.getUTCMonth();
    const d = cursor.getUTCDate();
    cursor =
      range.grain === 'month'
        ? new Date(Date.UTC(y, m + 1, 1))
        : new Date(Date.UTC(y, m, d + (range.grain === 'week' ? 7 : 1)));
  }
  return periods;
}
