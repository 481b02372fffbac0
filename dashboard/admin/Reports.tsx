import type { FC } from 'hono/jsx';
import type {
  Grain,
  ReportColumn,
  ReportInfo,
  ReportResult,
  ReportRow,
} from '../../commerce/reports/types.ts';
import { usePage } from '../context.ts';
import { formatWhole } from '../format.ts';
import { scriptHref } from '../scripts.ts';
import { AdminLayout } from './layout.tsx';
import { liveStylesheetHref } from './live-assets.ts';
import { NoticeBanner } from './Products.tsx';

export interface ReportRangeForm {
  from: string;
  to: string;
  grain: Grain;
  by?: 'units' | 'revenue';
}

export interface RangePreset {
  label: string;
  from: string;
  to: string;
  grain: Grain;
}

/** One chart as the page's script draws it: x is time (periods) or categories (bars). */
export interface ChartSpec {
  title: string;
  kind: 'time' | 'bars';
  labels: string[];
  series: Array<{ label: string; values: number[]; scale?: 'y' | 'n' }>;
}

const query = (range: ReportRangeForm, extra: Record<string, string> = {}) =>
  new URLSearchParams({
    from: range.from,
    to: range.to,
    grain: range.grain,
    ...(range.by ? { by: range.by } : {}),
    ...extra,
  }).toString();

export const reportHref = (name: string, range: ReportRangeForm) => `/admin/reports/${name}?${query(range)}`;
export const reportCsvHref = (name: string, range: ReportRangeForm) =>
  `/api/v1/admin/reports/${name}?${query(range, { format: 'csv' })}`;

/** An exact decimal string with thousands separators: no float on the way. */
export function groupedAmount(text: string): string {
  const negative = text.startsWith('-');
  const [whole = '0', fraction] = (negative ? text.slice(1) : text).split('.');
  return `${negative ? '-' : ''}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction !== undefined ? `.${fraction}` : ''}`;
}

function cellText(column: ReportColumn, value: string | number | undefined): string {
  if (value === undefined || value === '') return '—';
  if (column.kind === 'money') return groupedAmount(String(value));
  if (column.kind === 'count') return formatWhole(Number(value));
  return String(value);
}

/** JSON safe inside a <script> element: nothing in it can close the element or open a comment. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

interface Kpi {
  label: string;
  value: string;
  note: string;
}

/** The range at a glance, from the totals the service summed (money per currency, as exact strings). */
export function kpisOf(report: ReportResult): Kpi[] {
  const t = report.totals;
  const n = (row: ReportRow | undefined, key: string) => formatWhole(Number(row?.[key] ?? 0));
  switch (report.name) {
    case 'sales':
      return t.map((row) => ({
        label: `Net sales (${row.currency})`,
        value: groupedAmount(String(row.net)),
        note: `${groupedAmount(String(row.gross))} paid · ${groupedAmount(String(row.refunds))} refunded · ${n(row, 'orders')} ${row.orders === 1 ? 'order' : 'orders'}`,
      }));
    case 'orders-by-status': {
      const row = t[0];
      const busiest = report.columns
        .filter((c) => c.kind === 'count' && c.key !== 'total' && Number(row?.[c.key] ?? 0) > 0)
        .sort((a, b) => Number(row?.[b.key] ?? 0) - Number(row?.[a.key] ?? 0))
        .slice(0, 3)
        .map((c) => `${n(row, c.key)} ${c.label.toLowerCase()}`);
      return [
        { label: 'Orders placed', value: n(row, 'total'), note: busiest.join(' · ') || 'none in this range' },
      ];
    }
    case 'members':
      return [
        { label: 'New members', value: n(t[0], 'newMembers'), note: 'shopper accounts opened in the range' },
        { label: 'Members', value: n(t[0], 'members'), note: `at the end of ${report.to}` },
      ];
    case 'crawls':
      return [
        {
          label: 'Crawl runs',
          value: n(t[0], 'runs'),
          note: `${n(t[0], 'completed')} completed · ${n(t[0], 'failedRuns')} failed`,
        },
        { label: 'Pages fetched', value: n(t[0], 'pagesFetched'), note: `${n(t[0], 'pagesFailed')} failed` },
        { label: 'Products found', value: n(t[0], 'productsFound'), note: `${n(t[0], 'productsNew')} new` },
      ];
    default:
      return [];
  }
}

/** A period with nothing in it: shown (the series stays whole) but quieter. */
function isEmptyRow(report: ReportResult, row: ReportRow): boolean {
  return (
    report.series &&
    report.columns.every((c) => !numeric(c.kind) || Number(row[c.key] ?? 0) === 0 || c.key === 'members')
  );
}

const numeric = (kind: ReportColumn['kind']) => kind === 'money' || kind === 'count';

/** The charts of a report, from its rows (numbers here only draw; the table has the exact figures). */
export function chartsOf(report: ReportResult): ChartSpec[] {
  const rows = report.rows;
  const num = (row: ReportRow, key: string) => Number(row[key] ?? 0);
  const currencies = [...new Set(rows.map((r) => String(r.currency ?? '')))].filter(Boolean);
  switch (report.name) {
    case 'sales':
      return currencies.map((currency) => {
        const mine = rows.filter((r) => r.currency === currency);
        return {
          title: `Sales in ${currency}`,
          kind: 'time' as const,
          labels: mine.map((r) => String(r.period)),
          series: [
            { label: `Gross paid (${currency})`, values: mine.map((r) => num(r, 'gross')) },
            { label: `Refunds (${currency})`, values: mine.map((r) => num(r, 'refunds')) },
            { label: `Net (${currency})`, values: mine.map((r) => num(r, 'net')) },
          ],
        };
      });
    case 'orders-by-status': {
      const statuses = report.columns.filter(
        (c) => c.kind === 'count' && c.key !== 'total' && rows.some((r) => num(r, c.key) > 0),
      );
      return [
        {
          title: 'Orders placed, by status now',
          kind: 'time',
          labels: rows.map((r) => String(r.period)),
          series: [
            { label: 'All orders', values: rows.map((r) => num(r, 'total')) },
            ...statuses.map((c) => ({ label: c.label, values: rows.map((r) => num(r, c.key)) })),
          ],
        },
      ];
    }
    case 'members':
      return [
        {
          title: 'Members',
          kind: 'time',
          labels: rows.map((r) => String(r.period)),
          series: [
            { label: 'Members at period end', values: rows.map((r) => num(r, 'members')) },
            { label: 'New members', values: rows.map((r) => num(r, 'newMembers')), scale: 'n' },
          ],
        },
      ];
    case 'crawls': {
      // Sites summed per period in one pass (rows come per period and site).
      const sums = new Map<string, Record<string, number>>();
      for (const r of rows) {
        const sum = sums.get(String(r.period)) ?? {};
        for (const key of ['pagesFetched', 'pagesFailed', 'productsFound', 'runs'])
          sum[key] = (sum[key] ?? 0) + num(r, key);
        sums.set(String(r.period), sum);
      }
      const periods = [...sums.keys()];
      const total = (period: string, key: string) => sums.get(period)?.[key] ?? 0;
      return periods.length
        ? [
            {
              title: 'Crawling, all sites together',
              kind: 'time',
              labels: periods,
              series: [
                { label: 'Pages fetched', values: periods.map((p) => total(p, 'pagesFetched')) },
                { label: 'Pages failed', values: periods.map((p) => total(p, 'pagesFailed')) },
                { label: 'Products found', values: periods.map((p) => total(p, 'productsFound')) },
                { label: 'Runs', values: periods.map((p) => total(p, 'runs')), scale: 'n' },
              ],
            },
          ]
        : [];
    }
    default: {
      // Totals: one bar chart per currency (amounts in different currencies are never put together).
      const labelKey =
        report.name === 'sales-by-category'
          ? 'category'
          : report.name === 'top-products'
            ? 'product'
            : 'merchant';
      return currencies.map((currency) => {
        const mine = rows.filter((r) => r.currency === currency).slice(0, 12);
        return {
          title: `Net in ${currency}`,
          kind: 'bars' as const,
          labels: mine.map((r) => String(r[labelKey])),
          series: [{ label: `Net (${currency})`, values: mine.map((r) => num(r, 'net')) }],
        };
      });
    }
  }
}

const RangeForm: FC<{
  action: string;
  range: ReportRangeForm;
  presets: RangePreset[];
  showBy: boolean;
  name?: string;
  maxDay: string;
}> = ({ action, range, presets, showBy, name, maxDay }) => (
  <form method="get" action={action} class="panel filters report-range" aria-labelledby="range-h">
    <h2 id="range-h" class="sr-only">
      Date range
    </h2>
    <div class="toolbar-form">
      <div class="field">
        <label for="r-from">From</label>
        <input
          id="r-from"
          type="date"
          name="from"
          value={range.from}
          min="2000-01-01"
          max={maxDay}
          required
        />
      </div>
      <div class="field">
        <label for="r-to">To (included)</label>
        <input id="r-to" type="date" name="to" value={range.to} min="2000-01-01" max={maxDay} required />
      </div>
      <div class="field">
        <label for="r-grain">Per</label>
        <select id="r-grain" name="grain">
          {(['day', 'week', 'month'] as const).map((g) => (
            <option value={g} selected={range.grain === g}>
              {g === 'week' ? 'week (Mon–Sun)' : g}
            </option>
          ))}
        </select>
      </div>
      {showBy ? (
        <div class="field">
          <label for="r-by">Rank by</label>
          <select id="r-by" name="by">
            <option value="units" selected={range.by !== 'revenue'}>
              units
            </option>
            <option value="revenue" selected={range.by === 'revenue'}>
              net revenue
            </option>
          </select>
        </div>
      ) : null}
      <button class="button button-primary" type="submit">
        Show
      </button>
    </div>
    <p class="preset-row">
      <span class="muted small">Quick ranges:</span>
      {presets.map((p) => {
        const current = p.from === range.from && p.to === range.to && p.grain === range.grain;
        const href = `${action}?${query({ ...p, ...(range.by ? { by: range.by } : {}) })}`;
        return (
          <a
            class={`chip${current ? ' chip-active' : ''}`}
            href={href}
            aria-current={current ? 'true' : undefined}
          >
            {p.label}
          </a>
        );
      })}
    </p>
    <p class="muted small">
      Days are UTC; a range covers at most two years.{name ? '' : ' Every report opens on this range.'}
    </p>
  </form>
);

/** /admin/reports: the reports there are, each opening on the chosen range. */
export const ReportsIndexPage: FC<{
  reports: ReportInfo[];
  range: ReportRangeForm;
  presets: RangePreset[];
  maxDay: string;
  error: string | null;
}> = ({ reports, range, presets, maxDay, error }) => (
  <AdminLayout title="Reports" section="reports">
    <NoticeBanner notice={error ? { kind: 'error', text: error } : null} />
    <RangeForm action="/admin/reports" range={range} presets={presets} showBy={false} maxDay={maxDay} />
    <ul class="report-cards" aria-label="Reports">
      {reports.map((r) => (
        <li class="panel report-card">
          <h2>
            <a href={reportHref(r.name, range)}>{r.title}</a>
          </h2>
          <p class="muted">{r.description}</p>
          <p class="report-card-foot">
            <span class="badge badge-muted">{r.series ? `per ${range.grain}` : 'totals for the range'}</span>
            <a href={reportCsvHref(r.name, range)} download>
              CSV<span class="sr-only"> of {r.title.toLowerCase()}</span>
            </a>
          </p>
        </li>
      ))}
    </ul>
  </AdminLayout>
);

/** One report: the range form, its charts (uPlot, drawn by a static script) and the full table. */
export const ReportPage: FC<{
  report: ReportResult;
  reports: ReportInfo[];
  range: ReportRangeForm;
  presets: RangePreset[];
  maxDay: string;
  error: string | null;
}> = ({ report, reports, range, presets, maxDay, error }) => {
  const { nonce } = usePage();
  const charts = chartsOf(report);
  const kpis = kpisOf(report);
  const csv = reportCsvHref(report.name, range);
  return (
    <AdminLayout
      title={report.title}
      section="reports"
      actions={
        <a class="button" href={csv} download data-csv>
          Download CSV
        </a>
      }
    >
      <link rel="stylesheet" href={liveStylesheetHref} />
      <NoticeBanner notice={error ? { kind: 'error', text: error } : null} />
      <div class="report-intro">
        <nav class="report-tabs" aria-label="Reports">
          <a
            class="chip"
            href={`/admin/reports?${query({ from: range.from, to: range.to, grain: range.grain })}`}
          >
            All reports
          </a>
          {reports.map((r) => (
            <a
              class={`chip${r.name === report.name ? ' chip-active' : ''}`}
              href={reportHref(r.name, range)}
              aria-current={r.name === report.name ? 'page' : undefined}
            >
              {r.title}
            </a>
          ))}
        </nav>
        <p class="muted">
          {report.description} {report.scope === 'own' ? <strong>Your own shops only.</strong> : null}
        </p>
      </div>
      <RangeForm
        action={`/admin/reports/${report.name}`}
        range={range}
        presets={presets}
        showBy={report.name === 'top-products'}
        name={report.name}
        maxDay={maxDay}
      />
      {kpis.length ? (
        <div class="kpis report-kpis">
          {kpis.map((k) => (
            <div class="kpi">
              <span class="kpi-label">{k.label}</span>
              <span class="kpi-value">{k.value}</span>
              <span class="kpi-note">{k.note}</span>
            </div>
          ))}
        </div>
      ) : null}
      {charts.length ? (
        <div class="report-charts">
          {charts.map((chart, i) => (
            <section class="panel report-panel" aria-labelledby={`chart-h-${i}`}>
              <h2 id={`chart-h-${i}`}>{chart.title}</h2>
              <div
                class="report-chart"
                data-chart={String(i)}
                role="img"
                aria-label={`${chart.title}: chart of the figures in the table below`}
              />
              <noscript>
                <p class="muted">The chart needs JavaScript; the table below has every figure.</p>
              </noscript>
            </section>
          ))}
        </div>
      ) : null}
      <section class="panel" aria-labelledby="table-h">
        <h2 id="table-h">
          {report.title}, {report.from} to {report.to}{' '}
          <span class="muted">
            ({report.series ? `per ${report.grain}, ` : ''}UTC · {formatWhole(report.rows.length)}{' '}
            {report.rows.length === 1 ? 'row' : 'rows'})
          </span>
        </h2>
        {report.rows.length ? (
          <div class="table-scroll">
            <table class="data-table report-table" data-report={report.name}>
              <thead>
                <tr>
                  {report.columns.map((c) => (
                    <th scope="col" class={numeric(c.kind) ? 'amount' : undefined}>
                      {c.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {report.rows.map((row) => (
                  <tr class={isEmptyRow(report, row) ? 'row-zero' : undefined}>
                    {report.columns.map((c, i) =>
                      i === 0 ? (
                        <th scope="row" class={numeric(c.kind) ? 'amount' : undefined} data-key={c.key}>
                          {cellText(c, row[c.key])}
                        </th>
                      ) : (
                        <td class={numeric(c.kind) ? 'amount' : undefined} data-key={c.key}>
                          {cellText(c, row[c.key])}
                        </td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p class="empty-state muted">Nothing in this range.</p>
        )}
      </section>
      {/* Data, not code: the CSP lets no inline script run, and `<` is escaped so no text can end the element. */}
      <script
        type="application/json"
        id="report-data"
        nonce={nonce}
        dangerouslySetInnerHTML={{ __html: jsonForScript({ charts }) }}
      />
      <script src={scriptHref('uplot')} nonce={nonce} defer />
      <script src={scriptHref('report-chart')} nonce={nonce} defer />
    </AdminLayout>
  );
};
