import { z } from 'zod';

// Parts of a site definition (core/site.ts) that the crawler enforces: kept here so the site
// schema, in core/, depends on nothing above it.

/** Per-host limits, enforced across all crawler nodes. */
export const politenessSchema = z.object({
  maxInFlightPerHost: z
    .number()
    .int()
    .min(1)
    .max(64)
    .default(2)
    .describe('requests in flight per host across all crawler nodes'),
  minDelayMs: z
    .number()
    .int()
    .min(0)
    .max(600_000)
    .default(250)
    .describe('gap between request starts per host'),
  respectCrawlDelay: z.boolean().default(true).describe("raise minDelayMs to robots.txt's Crawl-delay"),
  maxBackoffMs: z.number().int().min(0).max(86_400_000).default(600_000),
});

export type Politeness = z.output<typeof politenessSchema>;

/** Guards against crawler traps (endless calendars, link loops). */
export const trapLimitsSchema = z.object({
  maxDepth: z.number().int().min(0).default(25).describe('links followed from a start URL'),
  maxUrlLength: z.number().int().min(1).default(2000),
  maxRepeatedSegments: z
    .number()
    .int()
    .min(1)
    .default(3)
    .describe('times one path segment may occur in a path (/x/x/x/x has "x" four times)'),
  maxQueryParams: z.number().int().min(0).default(12),
});

export type TrapLimits = z.output<typeof trapLimitsSchema>;
