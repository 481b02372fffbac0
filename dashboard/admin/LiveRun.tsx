import type { FC } from 'hono/jsx';
import type {
  ErrorExample,
  HostSummary,
  LiveSnapshot,
  NodeInfo,
  NodeSummary,
  RunHistory,
  RunView,
} from '../../catalog/types.ts';
import { CsrfField } from '../components/CsrfField.tsx';
import { usePage } from '../context.ts';
import { formatDate, formatWhole, safeHttpUrl } from '../format.ts';
import { scriptHref } from '../scripts.ts';
import { AdminLayout } from './layout.tsx';
import { liveStylesheetHref } from './live-assets.ts';

export interface LiveRunView {
  run: RunView;
  site: { name: string; title: string | null };
  /** Pause, resume, cancel and crawl again (crawls:run). */
  canControl: boolean;
  /** The run is queued, running or paused: the page follows it live. */
  active: boolean;
  live: LiveSnapshot | null;
  history: RunHistory | null;
  message: { kind: 'ok' | 'error'; text: string } | null;
}

const statusTone: Record<string, string> = {
  running: 'good',
  queued: 'muted',
  paused: 'warn',
  completed: 'good',
  failed: 'bad',
  cancelled: 'muted',
};

const errorLabels: Record<string, string> = {
  http_4xx: 'HTTP 4xx',
  http_5xx: 'HTTP 5xx',
  timeout: 'Timeout',
  network: 'Network',
  too_large: 'Too large',
  content_type: 'Not HTML',
  private_address: 'Private address',
  other: 'Other',
};

const ms = (value: number | null) => (value === null ? '–' : `${formatWhole(Math.round(value))} ms`);
const mib = (value: number | null) => (value === null ? '–' : `${formatWhole(Math.round(value))} MiB`);

const Kpi: FC<{ label: string; name: string; value: string; note?: string }> = ({
  label,
  name,
  value,
  note,
}) => (
  <div class="kpi">
    <span class="kpi-label">{label}</span>
    <span class="kpi-value" data-counter={name}>
      {value}
    </span>
    {note !== undefined ? (
      <span class="kpi-note" data-note={name}>
        {note}
      </span>
    ) : null}
  </div>
);

const Chart: FC<{ name: string; title: string; note: string }> = ({ name, title, note }) => (
  <section class="panel live-panel" aria-labelledby={`chart-${name}`}>
    <h2 id={`chart-${name}`}>{title}</h2>
    <p class="muted live-note">{note}</p>
    <div class="live-chart" data-chart={name} role="img" aria-label={`${title}, per second`} />
  </section>
);

const ErrorsTable: FC<{
  counts: Record<string, number>;
  examples: Partial<Record<string, ErrorExample[]>>;
  span: string;
}> = ({ counts, examples, span }) => {
  const kinds = Object.keys(errorLabels).filter(
    (k) => (counts[k] ?? 0) > 0 || (examples[k]?.length ?? 0) > 0,
  );
  return (
    <table class="data-table" data-table="errors">
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col">{span}</th>
          <th scope="col">Latest examples</th>
        </tr>
      </thead>
      <tbody>
        {kinds.length === 0 ? (
          <tr>
            <td colspan={3} class="muted">
              No errors.
            </td>
          </tr>
        ) : (
          kinds.map((kind) => (
            <tr>
              <th scope="row">{errorLabels[kind]}</th>
              <td>{formatWhole(counts[kind] ?? 0)}</td>
              <td>
                <ul class="example-list">
                  {(examples[kind] ?? []).map((example) => {
                    const href = safeHttpUrl(example.url);
                    return (
                      <li>
                        {href ? (
                          <a href={href} rel="noreferrer nofollow">
                            {example.url}
                          </a>
                        ) : (
                          example.url
                        )}{' '}
                        <span class="muted">— {example.message}</span>
                      </li>
                    );
                  })}
                </ul>
              </td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
};

const HostsTable: FC<{ hosts: HostSummary[] }> = ({ hosts }) => (
  <table class="data-table" data-table="hosts">
    <thead>
      <tr>
        <th scope="col">Host</th>
        <th scope="col">Pages</th>
        <th scope="col">p50</th>
        <th scope="col">p95</th>
        <th scope="col">Mean politeness wait</th>
      </tr>
    </thead>
    <tbody>
      {hosts.length === 0 ? (
        <tr>
          <td colspan={5} class="muted">
            No responses yet.
          </td>
        </tr>
      ) : (
        hosts.map((h) => (
          <tr>
            <th scope="row">{h.host === '~other' ? 'other hosts' : h.host}</th>
            <td>{formatWhole(h.pages)}</td>
            <td>{ms(h.p50)}</td>
            <td>{ms(h.p95)}</td>
            <td>{ms(h.meanWaitMs)}</td>
          </tr>
        ))
      )}
    </tbody>
  </table>
);

/** The nodes alive (live view) or the nodes that worked on the run (history). */
const NodesTable: FC<{ alive: NodeInfo[] | null; share: NodeSummary[] }> = ({ alive, share }) => {
  const pagesOf = new Map(share.map((n) => [n.id, n]));
  const rows = alive
    ? alive.map((n) => ({
        id: n.id,
        where: `${n.hostname} · pid ${n.pid}`,
        run: pagesOf.get(n.id)?.pagesPerSecond ?? 0,
        all: n.pagesPerSecond,
        inFlight: n.inFlight,
        rss: n.rssMb,
        heap: n.heapUsedMb,
      }))
    : share.map((n) => ({
        id: n.id,
        where: '',
        run: n.pagesPerSecond,
        all: null,
        inFlight: n.inFlight,
        rss: n.rssMb,
        heap: n.heapMb,
      }));
  return (
    <table class="data-table" data-table="nodes">
      <thead>
        <tr>
          <th scope="col">Node</th>
          <th scope="col">Pages/s (this run)</th>
          <th scope="col">Pages/s (all runs)</th>
          <th scope="col">In flight</th>
          <th scope="col">RSS</th>
          <th scope="col">Heap</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colspan={6} class="muted">
              {alive ? 'No crawler node is alive.' : 'No node reported.'}
            </td>
          </tr>
        ) : (
          rows.map((r) => (
            <tr>
              <th scope="row">
                <code>{r.id}</code>
                {r.where ? <div class="muted">{r.where}</div> : null}
              </th>
              <td>{r.run.toFixed(1)}</td>
              <td>{r.all === null ? '–' : r.all.toFixed(1)}</td>
              <td>{formatWhole(r.inFlight)}</td>
              <td>{mib(r.rss)}</td>
              <td>{mib(r.heap)}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
};

const Controls: FC<{ run: RunView; site: string }> = ({ run, site }) => {
  const action = (name: string, label: string, danger = false) => (
    <form method="post" action={`/admin/crawls/${run.id}/${name}`} class="inline-form">
      <CsrfField />
      <button type="submit" class={`button button-small${danger ? ' button-danger' : ''}`}>
        {label}
      </button>
    </form>
  );
  if (run.status === 'running' || run.status === 'queued')
    return (
      <>
        {action('pause', 'Pause')}
        {action('cancel', 'Cancel', true)}
      </>
    );
  if (run.status === 'paused')
    return (
      <>
        {action('resume', 'Resume')}
        {action('cancel', 'Cancel', true)}
      </>
    );
  return (
    <form method="post" action={`/admin/sites/${encodeURIComponent(site)}/crawls`} class="inline-form">
      <CsrfField />
      <button type="submit" class="button button-small button-primary">
        Crawl again
      </button>
    </form>
  );
};

function duration(run: RunView, now: number): string {
  if (!run.startedAt) return '–';
  const seconds = Math.max(
    0,
    Math.round(((run.finishedAt?.getTime() ?? now) - run.startedAt.getTime()) / 1000),
  );
  const m = Math.floor(seconds / 60);
  return m > 0 ? `${m} min ${seconds % 60} s` : `${seconds} s`;
}

/**
 * A crawl run, live while it goes on (counters and charts updated every second over SSE by
 * /static/live-run.js), and its stored history once it has ended. Every number is in the
 * HTML, so the page works without JavaScript: a reload shows the latest.
 */
export const LiveRunPage: FC<{ view: LiveRunView }> = ({ view }) => {
  const { nonce } = usePage();
  const { run, live, history, site } = view;
  const recent = live?.recent;
  const span = live ? live.minute : (history?.summary ?? null);
  const elapsed = run.startedAt
    ? ((run.finishedAt?.getTime() ?? Date.now()) - run.startedAt.getTime()) / 1000
    : 0;
  const rate = live ? (recent?.pagesPerSecond ?? 0) : elapsed > 0 ? run.fetched / elapsed : 0;
  const title = `Run of ${site.title ?? site.name}`;
  return (
    <AdminLayout
      title={title}
      section="sites"
      actions={view.canControl ? <Controls run={run} site={site.name} /> : undefined}
    >
      <link rel="stylesheet" href={liveStylesheetHref} />
      <div
        class="live-run"
        id="live-run"
        data-run={run.id}
        data-active={view.active ? '1' : '0'}
        data-stream={`/api/v1/crawls/${run.id}/live`}
        data-samples={`/api/v1/crawls/${run.id}/samples`}
        data-started={run.startedAt ? String(run.startedAt.getTime()) : ''}
      >
        {view.message ? (
          <p class={`notice notice-${view.message.kind}`} role="status">
            {view.message.text}
          </p>
        ) : null}
        <p class="live-meta">
          <span class={`badge badge-${statusTone[run.status] ?? 'muted'}`} data-status>
            <span class="badge-dot" />
            {run.status}
          </span>{' '}
          <span class="muted">
            <code>{run.id}</code> · site <strong>{site.name}</strong> · {run.trigger} · started{' '}
            {run.startedAt ? formatDate(run.startedAt, true) : '–'} UTC ·{' '}
            <span data-duration>{duration(run, Date.now())}</span>
          </span>{' '}
          <span class="live-indicator muted" data-connection aria-live="polite">
            {view.active
              ? 'Live: reload for the latest numbers (updates every second with JavaScript).'
              : 'Finished: history from the database.'}
          </span>
        </p>
        {run.failureReason ? <p class="notice notice-error">{run.failureReason}</p> : null}
        <div class="kpis">
          <Kpi label="Pages fetched" name="fetched" value={formatWhole(run.fetched)} />
          <Kpi
            label={view.active ? 'Pages per second' : 'Mean pages per second'}
            name="rate"
            value={rate.toFixed(1)}
            note={view.active ? 'last 10 s' : 'whole run'}
          />
          <Kpi label="Queue depth" name="queueDepth" value={formatWhole(live?.counters?.queueDepth ?? 0)} />
          <Kpi label="In flight" name="inFlight" value={formatWhole(live?.counters?.inFlight ?? 0)} />
          <Kpi label="Failed" name="failed" value={formatWhole(run.failed)} />
          <Kpi label="Products found" name="productsFound" value={formatWhole(run.productsFound)} />
          <Kpi label="New" name="productsNew" value={formatWhole(run.productsNew)} />
          <Kpi label="Changed" name="productsChanged" value={formatWhole(run.productsChanged)} />
        </div>
        <noscript>
          <p class="notice notice-warn">
            Charts need JavaScript; the numbers and tables here are current as of this page load.
          </p>
        </noscript>
        <div class="live-charts">
          <Chart name="pages" title="Pages per second" note="Responses and failed attempts." />
          <Chart
            name="queue"
            title="Queue depth and requests in flight"
            note="URLs admitted and not yet handled; requests on the wire."
          />
          <Chart name="statuses" title="Status codes" note="Responses per second by class." />
          <Chart name="errors" title="Errors by kind" note="Failed attempts per second." />
          <Chart name="products" title="Products" note="Found on pages; new and changed in the catalog." />
          <Chart
            name="latency"
            title="Host latency and politeness"
            note="p50 and p95 per host (ms); mean wait for a host slot."
          />
          <Chart name="nodes" title="Crawler nodes" note="Pages per second of each node on this run." />
        </div>
        <div class="admin-grid">
          <section class="panel">
            <h2>Errors</h2>
            <ErrorsTable
              counts={span?.errors ?? {}}
              examples={live?.examples ?? history?.examples ?? {}}
              span={live ? 'Last minute' : 'Whole run'}
            />
          </section>
          <section class="panel">
            <h2>Hosts</h2>
            <p class="muted live-note">{live ? 'Last minute.' : 'Whole run.'}</p>
            <HostsTable hosts={span?.hosts ?? []} />
          </section>
        </div>
        <section class="panel">
          <h2>{live?.nodes ? 'Crawler nodes alive' : 'Crawler nodes of this run'}</h2>
          <NodesTable alive={live?.nodes ?? null} share={span?.nodes ?? []} />
        </section>
      </div>
      <script src={scriptHref('uplot')} nonce={nonce} defer />
      <script src={scriptHref('live-run')} nonce={nonce} defer />
    </AdminLayout>
  );
};
