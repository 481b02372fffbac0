import { z } from 'zod';
import { type Config, config } from './config.ts';
import { db, type Prisma } from './db/index.ts';
import { ValidationError } from './errors.ts';

/**
 * Shop-wide settings the back office edits: stored in the `setting` table (one row per group),
 * validated on write and on read, and seen by every process within CACHE_MS of a change, with no
 * restart. A group never saved takes its defaults from the environment (core/config.ts), so an
 * install configured by environment variables keeps working and the back office overrides it.
 */

const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR');
const amount = z.string().regex(/^\d{1,9}(\.\d{1,2})?$/, 'an amount such as 100.00');

export const settingGroups = {
  shop: z
    .object({
      name: z.string().trim().min(1).max(60).describe('shown in the header, page titles and e-mails'),
      defaultCurrency: currency.describe('preselected for new products and in reports'),
      supportEmail: z.email().max(200).nullable().describe('where shoppers are told to write'),
    })
    .strict(),
  orders: z
    .object({
      paymentMinutes: z
        .number()
        .int()
        .min(1)
        .max(7 * 24 * 60)
        .describe('an unpaid order is closed this many minutes after it is placed'),
      autoCompleteDays: z
        .number()
        .int()
        .min(1)
        .max(365)
        .describe('a delivered order completes by itself after this many days'),
    })
    .strict(),
  delivery: z
    .object({
      defaultWeightG: z
        .number()
        .int()
        .min(1)
        .max(1_000_000)
        .describe('the weight of a listing neither its page nor its merchant states'),
      listingMaxAgeHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 365)
        .describe('a crawled listing not seen by a crawl for longer cannot be bought'),
    })
    .strict(),
  payments: z
    .object({
      topUpMin: amount.describe('the smallest balance top-up'),
      topUpMax: amount.describe('the largest balance top-up'),
    })
    .strict()
    .refine((p) => Number(p.topUpMin) <= Number(p.topUpMax), {
      message: 'the smallest top-up is larger than the largest',
      path: ['topUpMin'],
    }),
  crawl: z
    .object({
      floorMinDelayMs: z
        .number()
        .int()
        .min(0)
        .max(600_000)
        .describe('no site may wait less between requests to a host, without politeness:override'),
      floorMaxInFlightPerHost: z
        .number()
        .int()
        .min(1)
        .max(64)
        .describe('no site may have more requests in flight to a host, without politeness:override'),
      floorScheduleMinutes: z
        .number()
        .int()
        .min(1)
        .max(10_080)
        .describe('no site may be scheduled more often, without politeness:override'),
      defaultMaxConcurrency: z
        .number()
        .int()
        .min(1)
        .max(100)
        .describe('requests in flight per node for a new site'),
    })
    .strict(),
} as const;

export type SettingGroup = keyof typeof settingGroups;
export type Settings = { [K in SettingGroup]: z.infer<(typeof settingGroups)[K]> };
export const settingGroupNames = Object.keys(settingGroups) as SettingGroup[];

/** What an install without saved settings uses: the environment's values. */
export function defaultSettings(env: Config = config()): Settings {
  return {
    shop: { name: env.SHOP_NAME, defaultCurrency: env.DEFAULT_CURRENCY, supportEmail: null },
    orders: { paymentMinutes: env.ORDER_PAYMENT_MINUTES, autoCompleteDays: env.ORDER_COMPLETE_DAYS },
    delivery: { defaultWeightG: 500, listingMaxAgeHours: env.LISTING_MAX_AGE_HOURS },
    payments: { topUpMin: '1.00', topUpMax: '50000.00' },
    crawl: {
      floorMinDelayMs: env.FLOOR_MIN_DELAY_MS,
      floorMaxInFlightPerHost: env.FLOOR_MAX_IN_FLIGHT_PER_HOST,
      floorScheduleMinutes: env.FLOOR_SCHEDULE_MINUTES,
      defaultMaxConcurrency: 5,
    },
  };
}

/** How long a process trusts its copy: a change reaches every process within this. */
export const CACHE_MS = 2_000;
let cached: { at: number; value: Promise<Settings> } | null = null;

async function load(): Promise<Settings> {
  const rows = await db().setting.findMany();
  const settings = defaultSettings();
  for (const row of rows) {
    if (!(row.key in settingGroups)) continue;
    const group = row.key as SettingGroup;
    // A row from an older version may lack a field added since: the default fills it in. A row
    // that no longer validates (a bound tightened) falls back to the defaults, loudly in the UI.
    const parsed = settingGroups[group].safeParse({ ...settings[group], ...(row.value as object) });
    if (parsed.success) (settings as Record<SettingGroup, unknown>)[group] = parsed.data;
  }
  return settings;
}

/** The settings now (at most CACHE_MS old). */
export function currentSettings(): Promise<Settings> {
  const now = Date.now();
  if (!cached || now - cached.at > CACHE_MS) {
    const value = load();
    cached = { at: now, value };
    value.catch(() => {
      if (cached?.value === value) cached = null;
    });
  }
  return cached.value;
}

/** Forget this process's copy (after a write here, or in tests). */
export function forgetSettings(): void {
  cached = null;
}

/**
 * Validates one group as a whole (fields left out keep their current values) and saves it.
 * Throws ValidationError naming the fields that are wrong.
 */
export async function updateSettings<K extends SettingGroup>(
  group: K,
  patch: unknown,
  actor: { userId: string | null },
): Promise<Settings[K]> {
  const schema = settingGroups[group];
  if (!schema) throw ValidationError.field('group', `no settings group "${String(group)}"`);
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
    throw ValidationError.field(group, 'an object of settings');
  const current = (await load())[group];
  const parsed = schema.safeParse({ ...current, ...patch });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      path: [group, ...i.path.map(String)].join('.'),
      message: i.message,
    }));
    throw new ValidationError(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  }
  const value = parsed.data as Prisma.InputJsonObject;
  await db().setting.upsert({
    where: { key: group },
    create: { key: group, value, updatedById: actor.userId },
    update: { value, updatedById: actor.userId },
  });
  forgetSettings();
  return parsed.data as Settings[K];
}

/** When each group was last saved and by whom (null: never, the defaults apply). */
export async function settingsHistory(): Promise<
  Record<SettingGroup, { at: Date; by: string | null } | null>
> {
  const rows = await db().setting.findMany({ select: { key: true, updatedAt: true, updatedById: true } });
  const out = Object.fromEntries(settingGroupNames.map((g) => [g, null])) as Record<
    SettingGroup,
    { at: Date; by: string | null } | null
  >;
  for (const row of rows)
    if (row.key in out) out[row.key as SettingGroup] = { at: row.updatedAt, by: row.updatedById };
  return out;
}
