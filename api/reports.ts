import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  grains,
  type ReportResult,
  type ReportScope,
  reportCsv,
  reportFileName,
  reportNames,
  reportQuerySchema,
  reportsFor,
  runReport,
} from '../commerce/reports/index.ts';
import { access, secureRoute } from './access.ts';
import type { AppEnv } from './env.ts';
import { validationHook } from './errors.ts';
import { errorResponse, json } from './openapi.ts';

/**
 * Who sees what: staff with reports:view see the whole platform. Someone who reads only their
 * own shops' orders (a merchant role an admin granted reports:view) sees their own shops only,
 * and not the platform-wide member figures.
 */
export function reportScope(principal: {
  userId: string | null;
  can(permission: string): boolean;
}): ReportScope {
  const ownShopsOnly = !principal.can('orders:read') && principal.can('orders:read:own');
  return { merchantId: ownShopsOnly ? principal.userId : null };
}

/** The CSV download of a report: RFC 4180, UTF-8 with a BOM (spreadsheets then read it as UTF-8). */
export function csvResponse(c: Context, report: ReportResult): Response {
  return c.body(`\uFEFF${reportCsv(report)}`, 200, {
    'content-type': 'text/csv; charset=utf-8; header=present',
    'content-disposition': `attachment; filename="${reportFileName(report)}"`,
    'cache-control': 'private, no-store',
  });
}

const columnSchema = z.object({
  key: z.string(),
  label: z.string(),
  kind: z.enum(['period', 'text', 'currency', 'count', 'money']),
});

const infoSchema = z.object({
  name: z.enum(reportNames),
  title: z.string(),
  description: z.string(),
  series: z.boolean().describe('rows are per period (a time series) rather than totals over the range'),
  forMerchants: z.boolean(),
});

const reportSchema = infoSchema
  .extend({
    from: z.string().describe('first day, UTC'),
    to: z.string().describe('last day, UTC, included'),
    grain: z.enum(grains),
    timeZone: z.literal('UTC'),
    scope: z.enum(['platform', 'own']).describe('own: the caller’s own shops only'),
    by: z.enum(['units', 'revenue']).optional(),
    columns: z.array(columnSchema),
    rows: z
      .array(z.record(z.string(), z.union([z.string(), z.number()])))
      .describe(
        'money as fixed-point strings (per currency, never summed across currencies), counts as numbers',
      ),
    totals: z
      .array(z.record(z.string(), z.union([z.string(), z.number()])))
      .describe('time series: the whole range (sales: per currency); empty for totals reports'),
  })
  .openapi('Report');

const querySchema = reportQuerySchema.extend({
  format: z.enum(['json', 'csv']).default('json').describe('csv: the same rows as an RFC 4180 download'),
});

const view = access.anyOf('reports:view');
const tags = ['admin'];

/** The reports as JSON (or CSV): the figures the back office's report pages show. */
export function reportRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/admin/reports',
      tags,
      summary: 'The reports there are',
      access: view,
      responses: { 200: json(z.object({ items: z.array(infoSchema) }), 'Reports') },
    }),
    (c) => c.json({ items: reportsFor(reportScope(c.get('principal'))) }, 200),
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/admin/reports/{report}',
      tags,
      summary: 'One report over a date range (UTC days, at most two years), as JSON or CSV',
      description:
        'Sales are orders paid in the range that were not cancelled; refunds count against the period of the sale. Figures reconcile exactly with the orders, users and crawl runs tables.',
      access: view,
      request: { params: z.object({ report: z.enum(reportNames) }), query: querySchema },
      responses: {
        200: {
          content: {
            'application/json': { schema: reportSchema },
            'text/csv': { schema: z.string() },
          },
          description: 'The report',
        },
        400: errorResponse('Invalid range, grain or report'),
      },
    }),
    async (c) => {
      const { report } = c.req.valid('param');
      const { format, ...query } = c.req.valid('query');
      const result = await runReport(report, query, reportScope(c.get('principal')));
      if (format === 'csv') return csvResponse(c, result) as never;
      return c.json(result, 200);
    },
  );
  return app;
}
