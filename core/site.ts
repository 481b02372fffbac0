import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { politenessSchema } from '../crawler/politeness.ts';
import { trapLimitsSchema } from '../crawler/traps.ts';

const glob = z.string().min(1).max(2000);

/** One field of a CSS extraction rule. */
export const fieldRuleSchema = z
  .object({
    selector: z.string().min(1).describe('CSS selector; the first match is used'),
    attribute: z
      .string()
      .min(1)
      .optional()
      .describe('read this attribute instead of the text content (e.g. "content", "src", "href")'),
    regex: z
      .string()
      .optional()
      .refine((value) => value === undefined || isValidRegex(value), 'must be a valid regular expression')
      .describe('keep only the first capture group (or the whole match) of this regular expression'),
    all: z.boolean().optional().describe('collect every match (for images and category paths)'),
  })
  .strict();

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

function isValidRegex(value: string): boolean {
  try {
    new RegExp(value);
    return true;
  } catch {
    return false;
  }
}

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

export const selectorRulesSchema = z
  .partialRecord(z.enum(extractedFields), z.union([z.string().min(1), fieldRuleSchema]))
  .describe('per-field CSS rules; a plain string is a selector whose text is used');

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

export const extractionSchema = z
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
      .array(z.string().min(1).max(500))
      .max(20)
      .optional()
      .describe(
        'extractor plugins to run besides the built-in ones: folder paths ("./plugins/my-plugin", ' +
          'relative to the working directory) or npm package names',
      ),
    disable: z
      .array(z.enum(builtInExtractors))
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

/** An operator's crawl rules for one shop. */
export const siteSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes, starting with a letter or digit')
      .describe('unique identifier of the site, used in URLs and the CLI'),
    title: z.string().min(1).max(200).optional().describe('display name'),
    startUrls: z
      .array(z.url({ protocol: /^https?$/ }))
      .min(1)
      .max(1000),
    allowedHosts: z
      .array(z.string().min(1).max(253))
      .default([])
      .describe('hosts the crawl may visit; empty means the hosts of the start URLs'),
    include: z
      .array(glob)
      .default([])
      .describe('URL globs to follow; empty means every URL on an allowed host'),
    exclude: z.array(glob).default([]).describe('URL globs never to follow (checked after include)'),
    productUrls: z
      .array(glob)
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
    politeness: politenessSchema.prefault({}).describe('per-host limits, enforced across all crawler nodes'),
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
    userAgent: z.string().min(1).max(500).optional(),
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
    timezone: z
      .string()
      .refine(isValidTimezone, 'must be an IANA time zone such as Europe/Berlin')
      .optional()
      .describe('time zone of the schedule'),
    privateHosts: z
      .array(z.string().min(1).max(253).toLowerCase())
      .max(100)
      .default([])
      .describe(
        'host names allowed to resolve to private addresses (an intranet shop), narrower than ' +
          'allowPrivateNetwork: redirects elsewhere are still refused',
      ),
    allowPrivateNetwork: z
      .boolean()
      .default(false)
      .describe('allow crawling loopback and private addresses (only for local test shops)'),
  })
  .strict();

/** A site definition as an operator writes it (defaults not yet applied). */
export type SiteInput = z.input<typeof siteSchema>;
/** A validated site definition with defaults applied. */
export type SiteRules = z.output<typeof siteSchema>;
export type FieldRule = z.output<typeof fieldRuleSchema>;
export type ExtractedField = (typeof extractedFields)[number];

/** Update: every field optional except the name, which cannot change. */
export const siteUpdateSchema = siteSchema.omit({ name: true }).partial();
