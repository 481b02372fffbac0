import { Hono } from 'hono';
import {
  isReportName,
  parseRange,
  type ReportName,
  reportQuerySchema,
  reportsFor,
  runReport,
} from '../commerce/reports/index.ts';
import { NotFoundError, ValidationError } from '../core/errors.ts';
import { type RangePreset, ReportPage, type ReportRangeForm, ReportsIndexPage } from '../dashboard/index.ts';
import { access } from './access.ts';
import type { AppEnv } from './env.ts';
import { render } from './pages.tsx';
import { reportScope } from './reports.ts';

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Ranges one click away, ending today (UTC). */
function presets(now: Date): RangePreset[] {
  const today = Date.parse(`${day(now.getTime())}T00:00:00Z`);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  return [
    { label: 'Last 7 days', from: day(today - 6 * DAY_MS), to: day(today), grain: 'day' },
    { label: 'Last 30 days', from: day(today - 29 * DAY_MS), to: day(today), grain: 'day' },
    { label: 'Last 13 weeks', from: day(today - 90 * DAY_MS), to: day(today), grain: 'week' },
    { label: 'This month', from: day(Date.UTC(y, m, 1)), to: day(today), grain: 'day' },
    { label: 'Last month', from: day(Date.UTC(y, m - 1, 1)), to: day(Date.UTC(y, m, 0)), grain: 'day' },
    { label: 'Last 12 months', from: day(Date.UTC(y, m - 11, 1)), to: day(today), grain: 'month' },
  ];
}

/** The range a page shows (with the ranking for top products), or the default one and why. */
function rangeForm(
  query: Record<string, string>,
  now: Date,
  report?: ReportName,
): { range: ReportRangeForm; error: string | null } {
  try {
    const r = parseRange(query, now);
    const range: ReportRangeForm = { from: r.from, to: r.to, grain: r.grain };
    if (report === 'top-products') {
      const by = reportQuerySchema.shape.by.safeParse(query.by);
      range.by = by.success ? by.data : 'units';
    }
    return { range, error: null };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const r = parseRange({}, now);
    return {
      range: { from: r.from, to: r.to, grain: r.grain },
      error: `That range could not be used (${error.message}); showing the last 30 days instead.`,
    };
  }
}

/** /admin/reports and /admin/reports/:report: pages over the same service as the JSON API. */
export function reportPageRoutes() {
  const app = new Hono<AppEnv>();
  const view = access.anyOf('reports:view');

  app.get('/admin/reports', view, async (c) => {
    const now = new Date();
    const { range, error } = rangeForm(c.req.query(), now);
    return render(
      c,
      <ReportsIndexPage
        reports={reportsFor(reportScope(c.get('principal')))}
        range={range}
        presets={presets(now)}
        maxDay={day(now.getTime())}
        error={error}
      />,
      error ? 400 : 200,
    );
  });

  app.get('/admin/reports/:report', view, async (c) => {
    const name = c.req.param('report');
    if (!isReportName(name)) throw new NotFoundError(`no report called ${name}`);
    const now = new Date();
    const { range, error } = rangeForm(c.req.query(), now, name);
    const scope = reportScope(c.get('principal'));
    const report = await runReport(name, range, scope, now);
    return render(
      c,
      <ReportPage
        report={report}
        reports={reportsFor(scope)}
        range={range}
        presets={presets(now)}
        maxDay={day(now.getTime())}
        error={error}
      />,
      error ? 400 : 200,
    );
  });
  return app;
}
