import { isIP } from 'node:net';
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { politenessSchema, trapLimitsSchema } from './crawl-limits.ts';
import { globProblem, regexProblem } from './patterns.ts';
import { pluginProblem } from './plugin-allow-list.ts';

/**
 * How big a site definition may be. Every list is walked per URL or per page, so its size is
 * a cost on every crawler node: a 36 MB site of 20,000 globs was accepted before these.
 * Generous for real shops (which use a handful of each).
 */
export const SITE_LIMITS = {
  startUrls: 1000,
  urlLength: 2000,
  hosts: 100,
  hostLength: 253,
  /** Per list: include, exclude, productUrls. */
  globs: 200,
  globLength: 500,
  selectorLength: 1000,
  attributeLength: 100,
  regexLength: 500,
  plugins: 20,
  pluginLength: 500,
  userAgentLength: 500,
  timezoneLength: 100,
} as const;

function isValidCron(value: string): boolean {
  try {
    CronExpressionParser.parse(value);
    return true;
  } catch {
    return false;
  }
}

function isValidTimezone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** A refinement reporting `problem(value)` as the issue's message. */
function problemCheck(problem: (value: string) => string | null) {
  return (value: string, ctx: z.core.$RefinementCtx<string>) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: 'custom', message, input: value });
  };
}

const tooMany = (what: string, max: number) => `at most ${max} ${what}`;
const tooLong = (max: number) => `at most ${max} characters`;

export const extractedFields = [
  'title',
  'description',
  'brand',
  'sku',
  'gtin',
  'price',
  'currency',
  'availability',
  'images',
  'categoryPath',
] as const;

/** Names of the built-in extractors, in precedence order. */
export const builtInExtractors = [
  'selectors',
  'jsonld',
  'microdata',
  'rdfa',
  'opengraph',
  'state',
  'heuristics',
] as const;

/**
 * The site schemas in two strengths. `checked` validates what an operator submits: caps, RE2
 * regexes and globs, the plugin allow-list, no IP literals in privateHosts. The other reads
 * rules stored earlier, before a check existed or the allow-list changed: it only shapes and
 * defaults them (with the caps of that time), so an old site still loads. What it lets
 * through is made safe where it runs: regexes and globs only ever run on RE2, the plugin
 * loader checks the allow-list again, and the network guard ignores IP literals.
 */
function schemas(checked: boolean) {
  /** A length cap: `max` when checked, the cap of the time (`legacyMax`, none if infinite) when stored. */
  const cap = <T extends z.ZodString>(schema: T, max: number, legacyMax = max): T => {
    const limit = checked ? max : Math.max(max, legacyMax);
    return (Number.isFinite(limit) ? schema.max(limit, tooLong(limit)) : schema) as T;
  };
  const capList = <T extends z.ZodType>(item: T, what: string, max: number) =>
    checked ? z.array(item).max(max, tooMany(what, max)) : z.array(item);
  const when = <T extends z.ZodString>(schema: T, problem: (value: string) => string | null): T =>
    (checked ? schema.superRefine(problemCheck(problem)) : schema) as T;

  const glob = when(cap(z.string().min(1), SITE_LIMITS.globLength, 2000), globProblem);

  /** One field of a CSS extraction rule. */
  const fieldRuleSchema = z
    .object({
      selector: cap(z.string().min(1), SITE_LIMITS.selectorLength, Number.POSITIVE_INFINITY).describe(
        'CSS selector; the first match is used',
      ),
      attribute: cap(z.string().min(1), SITE_LIMITS.attributeLength, Number.POSITIVE_INFINITY)
        .optional()
        .describe('read this attribute instead of the text content (e.g. "content", "src", "href")'),
      regex: when(cap(z.string(), SITE_LIMITS.regexLength, Number.POSITIVE_INFINITY), regexProblem)
        .optional()
        .describe(
          'keep only the first capture group (or the whole match) of this regular expression; RE2 syntax ' +
            '(linear-time matching: no backreferences or lookaround)',
        ),
      all: z.boolean().optional().describe('collect every match (for images and category paths)'),
    })
    .strict();

  const selectorRulesSchema = z
    .partialRecord(
      z.enum(extractedFields),
      z.union([
        cap(z.string().min(1), SITE_LIMITS.selectorLength, Number.POSITIVE_INFINITY),
        fieldRuleSchema,
      ]),
    )
    .describe('per-field CSS rules; a plain string is a selector whose text is used');

  const extractionSchema = z
    .object({
      mode: z
        .enum(['auto', 'selectors'])
        .default('auto')
        .describe(
          '"auto" merges structured data (JSON-LD, microdata, OpenGraph) with the selector rules; ' +
            '"selectors" uses only the selector rules',
        ),
      selectors: selectorRulesSchema.default({}),
      currency: z
        .string()
        .regex(/^[A-Z]{3}$/, 'ISO 4217 code such as EUR')
        .optional()
        .describe('currency to assume when a page shows none'),
      plugins: z
        .array(
          // Relative paths resolve against the working directory, as the loader's do.
          when(cap(z.string().min(1), SITE_LIMITS.pluginLength), (spec) => pluginProblem(spec)),
        )
        .max(SITE_LIMITS.plugins, tooMany('plugins', SITE_LIMITS.plugins))
        .optional()
        .describe(
          'extractor plugins to run besides the built-in ones: folder paths ("./plugins/my-plugin", ' +
            'relative to the working directory) inside PLUGIN_DIRS, or npm package names in PLUGIN_PACKAGES',
        ),
      disable: capList(z.enum(builtInExtractors), 'entries', builtInExtractors.length)
        .optional()
        .describe('built-in extractors not to run on this site'),
      minConfidence: z
        .union([
          z.number().min(0).max(1),
          z.partialRecord(
            z.enum(['price', 'currency', 'sku', 'gtin', 'availability', 'brand']),
            z.number().min(0).max(1),
          ),
        ])
        .optional()
        .describe(
          'leave a field empty when its merged confidence is below this (0..1): one number for price, currency, ' +
            'SKU, GTIN, availability and brand, or a number per field',
        ),
    })
    .strict();

  const host = cap(z.string().min(1), SITE_LIMITS.hostLength);

  /** An operator's crawl rules for one shop. */
  const siteSchema = z
    .object({
      name: z
        .string()
        .min(1)
        .max(100)
        .regex(
          /^[a-z0-9][a-z0-9-]*$/,
          'lower-case letters, digits and dashes, starting with a letter or digit',
        )
        .describe('unique identifier of the site, used in URLs and the CLI'),
      title: z.string().min(1).max(200).optional().describe('display name'),
      startUrls: z
        .array(
          z
            .url({ protocol: /^https?$/ })
            .max(checked ? SITE_LIMITS.urlLength : Number.MAX_SAFE_INTEGER, tooLong(SITE_LIMITS.urlLength)),
        )
        .min(1)
        .max(SITE_LIMITS.startUrls, tooMany('start URLs', SITE_LIMITS.startUrls)),
      allowedHosts: capList(host, 'hosts', SITE_LIMITS.hosts)
        .default([])
        .describe('hosts the crawl may visit; empty means the hosts of the start URLs'),
      include: capList(glob, 'globs', SITE_LIMITS.globs)
        .default([])
        .describe('URL globs to follow; empty means every URL on an allowed host'),
      exclude: capList(glob, 'globs', SITE_LIMITS.globs)
        .default([])
        .describe('URL globs never to follow (checked after include)'),
      productUrls: capList(glob, 'globs', SITE_LIMITS.globs)
        .default([])
        .describe('URL globs of product pages; empty means every page is tried for a product'),
      extraction: extractionSchema.default({ mode: 'auto', selectors: {} }),
      render: z
        .enum(['http', 'browser', 'auto'])
        .default('http')
        .describe(
          '"http" fetches pages plainly; "browser" renders every page in Chromium; "auto" samples each kind ' +
            'of page both ways and renders only the kinds that need JavaScript',
        ),
      maxPages: z.number().int().min(1).max(10_000_000).default(10_000).describe('page budget of one run'),
      politeness: politenessSchema
        .prefault({})
        .describe('per-host limits, enforced across all crawler nodes'),
      traps: trapLimitsSchema
        .prefault({})
        .describe('guards against crawler traps (endless calendars, link loops)'),
      seedFromSitemaps: z
        .boolean()
        .default(false)
        .describe('also queue the page URLs of the sitemaps named in robots.txt and /sitemap.xml'),
      maxConcurrency: z
        .number()
        .int()
        .min(1)
        .max(100)
        .default(5)
        .describe('requests in flight per node for this site'),
      userAgent: z.string().min(1).max(SITE_LIMITS.userAgentLength).optional(),
      respectRobotsTxt: z.boolean().default(true),
      schedule: z
        .string()
        .max(200)
        .refine(
          isValidCron,
          'must be a cron pattern such as "0 3 * * *" (minute hour day month weekday, optional seconds first)',
        )
        .optional()
        .describe('recrawl on this cron schedule (UTC unless timezone is set)'),
      timezone: cap(z.string(), SITE_LIMITS.timezoneLength, Number.POSITIVE_INFINITY)
        .refine(isValidTimezone, 'must be an IANA time zone such as Europe/Berlin')
        .optional()
        .describe('time zone of the schedule'),
      privateHosts: z
        .array(
          when(host.toLowerCase(), (name) =>
            // "[::1]" as well as "127.0.0.1": a literal would be allowPrivateNetwork for that address.
            isIP(name.replace(/^\[(.*)\]$/, '$1'))
              ? 'must be a host name, not an IP address (use allowPrivateNetwork for addresses)'
              : null,
          ),
        )
        .max(SITE_LIMITS.hosts, tooMany('hosts', SITE_LIMITS.hosts))
        .default([])
        .describe(
          'host names allowed to resolve to private addresses (an intranet shop), narrower than ' +
            'allowPrivateNetwork: redirects elsewhere are still refused. Names only, no IP addresses',
        ),
      allowPrivateNetwork: z
        .boolean()
        .default(false)
        .describe('allow crawling loopback and private addresses (only for local test shops)'),
    })
    .strict();

  return { fieldRuleSchema, selectorRulesSchema, extractionSchema, siteSchema };
}

const checked = schemas(true);
const stored = schemas(false);

/** One field of a CSS extraction rule. */
export const fieldRuleSchema = checked.fieldRuleSchema;
export const selectorRulesSchema = checked.selectorRulesSchema;
/** A site's `extraction` rules, as an operator submits them (also the rule preview's `rules`). */
export const extractionSchema = checked.extractionSchema;
/** An operator's crawl rules for one shop, as submitted: every check applies. */
export const siteSchema = checked.siteSchema;
/**
 * Rules as stored: shape and defaults only, so sites saved before a check existed still load
 * (see `schemas`). Never for input.
 */
export const storedSiteSchema = stored.siteSchema;

/** A site definition as an operator writes it (defaults not yet applied). */
export type SiteInput = z.input<typeof siteSchema>;
/** A validated site definition with defaults applied. */
export type SiteRules = z.output<typeof siteSchema>;
export type FieldRule = z.output<typeof fieldRuleSchema>;
export type ExtractedField = (typeof extractedFields)[number];

/** Update: every field optional except the name, which cannot change. */
export const siteUpdateSchema = siteSchema.omit({ name: true }).partial();
