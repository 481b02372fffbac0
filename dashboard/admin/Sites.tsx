import type { FC } from 'hono/jsx';
import { CsrfField } from '../components/CsrfField.tsx';
import { Field } from '../components/Field.tsx';
import { formatDate, formatWhole } from '../format.ts';
import { AdminLayout } from './layout.tsx';
import { type Notice, NoticeBanner } from './Products.tsx';

export interface RunSummary {
  id: string;
  status: string;
  trigger: string;
  fetched: number;
  failed: number;
  productsFound: number;
  productsNew: number;
  productsChanged: number;
  productsGone: number;
  failureReason: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface SiteRow {
  name: string;
  owner: string | null;
  products: number;
  schedule: string | null;
  nextRun: Date | null;
  lastRun: RunSummary | null;
  activeRunId: string | null;
}

const statusBadge: Record<string, string> = {
  completed: 'badge-good',
  running: 'badge-accent',
  queued: 'badge-muted',
  paused: 'badge-warn',
  failed: 'badge-bad',
  cancelled: 'badge-muted',
};

export const RunStatus: FC<{ status: string }> = ({ status }) => (
  <span class={`badge ${statusBadge[status] ?? 'badge-muted'}`}>
    <span class="badge-dot" />
    {status}
  </span>
);

/** Every site with its last run, product count and next scheduled run. */
export const SitesPage: FC<{
  sites: SiteRow[];
  canWrite: boolean;
  canRun: boolean;
  filter: string | null;
  notice: Notice;
}> = ({ sites, canWrite, canRun, filter, notice }) => (
  <AdminLayout
    title="Crawls"
    section="sites"
    actions={
      canWrite ? (
        <a class="button button-primary" href="/admin/sites/new">
          New site
        </a>
      ) : null
    }
  >
    <NoticeBanner notice={notice} />
    <nav class="chip-row" aria-label="Filter sites">
      <a class={`chip${filter ? '' : ' chip-active'}`} href="/admin/sites">
        All
      </a>
      <a class={`chip${filter === 'active' ? ' chip-active' : ''}`} href="/admin/sites?status=active">
        Crawling now
      </a>
      <a class={`chip${filter === 'failed' ? ' chip-active' : ''}`} href="/admin/sites?status=failed">
        Last run failed
      </a>
    </nav>
    <div class="panel">
      {sites.length ? (
        <table class="data-table">
          <thead>
            <tr>
              <th scope="col">Site</th>
              <th scope="col">Last run</th>
              <th scope="col" class="amount">
                Products
              </th>
              <th scope="col">Schedule</th>
              <th scope="col">Next run</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sites.map((s) => (
              <tr>
                <td>
                  <a href={`/admin/sites/${encodeURIComponent(s.name)}`}>
                    <strong>{s.name}</strong>
                  </a>
                  {s.owner ? <div class="muted small">merchant: {s.owner}</div> : null}
                </td>
                <td>
                  {s.lastRun ? (
                    <>
                      <a href={`/admin/crawls/${s.lastRun.id}`}>
                        <RunStatus status={s.lastRun.status} />
                      </a>
                      <div class="muted small">
                        {formatDate(s.lastRun.createdAt, true)} · {formatWhole(s.lastRun.fetched)} pages
                        {s.lastRun.failureReason ? ` · ${s.lastRun.failureReason}` : ''}
                      </div>
                    </>
                  ) : (
                    <span class="muted">never crawled</span>
                  )}
                </td>
                <td class="amount">{formatWhole(s.products)}</td>
                <td>{s.schedule ? <code>{s.schedule}</code> : <span class="muted">by hand</span>}</td>
                <td>{s.nextRun ? formatDate(s.nextRun, true) : '—'}</td>
                <td class="actions">
                  {s.activeRunId ? (
                    <a class="button button-small" href={`/admin/crawls/${s.activeRunId}`}>
                      Watch live
                    </a>
                  ) : canRun ? (
                    <form method="post" action={`/admin/sites/${encodeURIComponent(s.name)}/crawls`}>
                      <CsrfField />
                      <button class="button button-small" type="submit">
                        Start a crawl
                      </button>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No sites{filter ? ' match' : ' yet'}.</p>
      )}
    </div>
  </AdminLayout>
);

export interface RuleIssue {
  path: string;
  message: string;
}

export interface CommonRuleFields {
  startUrls: string;
  maxPages: string;
  render: string;
  schedule: string;
  maxConcurrency: string;
  minDelayMs: string;
  respectRobotsTxt: boolean;
  extractionMode: string;
  currency: string;
}

export interface PreviewView {
  url: string;
  fields: Array<{ field: string; value: string; source: string | null; confidence: number | null }>;
  errors: string[];
  problem: string | null;
}

export interface VersionRow {
  version: number;
  author: string | null;
  note: string | null;
  createdAt: Date;
}

/** One site: runs, the rule editor (form and JSON), a preview on a URL, and the version history. */
export const SitePage: FC<{
  name: string;
  isNew: boolean;
  canWrite: boolean;
  canRun: boolean;
  canPreview: boolean;
  json: string;
  common: CommonRuleFields;
  issues: RuleIssue[];
  note: string;
  preview: PreviewView | null;
  previewUrl: string;
  runs: RunSummary[];
  versions: VersionRow[];
  notice: Notice;
}> = (p) => {
  const base = `/admin/sites/${encodeURIComponent(p.name)}`;
  const issueFor = (prefix: string) =>
    p.issues.find((i) => i.path === prefix || i.path.startsWith(`${prefix}.`))?.message;
  return (
    <AdminLayout
      title={p.isNew ? 'New site' : p.name}
      section="sites"
      actions={
        !p.isNew && p.canRun ? (
          <form method="post" action={`${base}/crawls`}>
            <CsrfField />
            <button class="button button-primary" type="submit">
              Start a crawl
            </button>
          </form>
        ) : null
      }
    >
      <NoticeBanner notice={p.notice} />
      <p>
        <a href="/admin/sites">← All sites</a>
      </p>
      {!p.isNew ? (
        <section class="panel" aria-labelledby="runs-h">
          <h2 id="runs-h">Runs</h2>
          {p.runs.length ? (
            <table class="data-table">
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="amount">
                    Pages
                  </th>
                  <th scope="col" class="amount">
                    Failed
                  </th>
                  <th scope="col" class="amount">
                    Products (new / changed / gone)
                  </th>
                  <th scope="col">Trigger</th>
                </tr>
              </thead>
              <tbody>
                {p.runs.map((r) => (
                  <tr>
                    <td>
                      <a href={`/admin/crawls/${r.id}`}>{formatDate(r.createdAt, true)}</a>
                    </td>
                    <td>
                      <RunStatus status={r.status} />
                      {r.failureReason ? <div class="muted small">{r.failureReason}</div> : null}
                    </td>
                    <td class="amount">{formatWhole(r.fetched)}</td>
                    <td class="amount">{formatWhole(r.failed)}</td>
                    <td class="amount">
                      {formatWhole(r.productsFound)} ({r.productsNew} / {r.productsChanged} / {r.productsGone}
                      )
                    </td>
                    <td>{r.trigger}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p class="muted">No run yet.</p>
          )}
        </section>
      ) : null}

      {p.canWrite && !p.isNew ? (
        <section class="panel" aria-labelledby="common-h">
          <h2 id="common-h">Common settings</h2>
          <form method="post" action={`${base}/common`} class="stack-form">
            <CsrfField />
            <div class="field">
              <label for="c-start">Start URLs</label>
              <textarea
                id="c-start"
                name="startUrls"
                rows={3}
                aria-invalid={issueFor('startUrls') ? 'true' : undefined}
              >
                {p.common.startUrls}
              </textarea>
              <span class="hint">one per line</span>
              {issueFor('startUrls') ? <span class="field-error">{issueFor('startUrls')}</span> : null}
            </div>
            <div class="form-row">
              <Field
                name="maxPages"
                label="Page budget per run"
                type="number"
                value={p.common.maxPages}
                error={issueFor('maxPages')}
              />
              <div class="field">
                <label for="c-render">Fetch pages</label>
                <select id="c-render" name="render">
                  {[
                    ['http', 'plainly (HTTP)'],
                    ['browser', 'in a browser'],
                    ['auto', 'decide per kind of page'],
                  ].map(([value, label]) => (
                    <option value={value} selected={p.common.render === value}>
                      {label}
                    </option>
                  ))}
                </select>
              </div>
              <Field
                name="schedule"
                label="Schedule (cron)"
                value={p.common.schedule}
                error={issueFor('schedule')}
                hint="empty: by hand only; e.g. 0 3 * * *"
              />
            </div>
            <div class="form-row">
              <Field
                name="maxConcurrency"
                label="Requests in flight per node"
                type="number"
                value={p.common.maxConcurrency}
                error={issueFor('maxConcurrency')}
              />
              <Field
                name="minDelayMs"
                label="Delay between requests to a host (ms)"
                type="number"
                value={p.common.minDelayMs}
                error={issueFor('politeness')}
              />
              <div class="field">
                <label for="c-mode">Extraction</label>
                <select id="c-mode" name="extractionMode">
                  <option value="auto" selected={p.common.extractionMode === 'auto'}>
                    structured data and selectors
                  </option>
                  <option value="selectors" selected={p.common.extractionMode === 'selectors'}>
                    selectors only
                  </option>
                </select>
              </div>
              <Field
                name="currency"
                label="Currency to assume"
                value={p.common.currency}
                error={issueFor('extraction.currency')}
                hint="when a page shows none"
              />
            </div>
            <label class="check">
              <input type="checkbox" name="respectRobotsTxt" value="1" checked={p.common.respectRobotsTxt} />{' '}
              Follow robots.txt
            </label>
            <Field name="note" label="What changed (for the history)" value="" id="c-note" />
            <div class="form-actions">
              <button class="button button-primary" type="submit">
                Save as a new version
              </button>
            </div>
          </form>
        </section>
      ) : null}

      <section class="panel" aria-labelledby="json-h">
        <h2 id="json-h">{p.isNew ? 'Site definition' : 'Rules (JSON)'}</h2>
        <p class="muted">
          The whole site definition. <a href="/api/v1/schema/site">Its JSON schema</a> lists every field.
          {p.canPreview ? ' “Preview” tries these rules (saved or not) on a page.' : ''}
        </p>
        {p.issues.length ? (
          <div class="notice notice-error" role="alert">
            <p>These rules are not valid; nothing was saved:</p>
            <ul class="issue-list">
              {p.issues.map((i) => (
                <li>
                  <code>{i.path || '(root)'}</code> {i.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <form method="post" action={p.isNew ? '/admin/sites/new' : `${base}/rules`} class="stack-form">
          <CsrfField />
          <div class="field">
            <label for="rules-json">Rules</label>
            <textarea
              id="rules-json"
              name="rules"
              rows={Math.min(40, Math.max(12, p.json.split('\n').length + 1))}
              class="code-editor"
              spellcheck={false}
              aria-invalid={p.issues.length ? 'true' : undefined}
            >
              {p.json}
            </textarea>
          </div>
          {p.canPreview && !p.isNew ? (
            <div class="form-row">
              <Field
                name="previewUrl"
                label="Page to preview on"
                value={p.previewUrl}
                id="preview-url"
                hint="a product page of this site"
              />
              <div class="field field-end">
                <button class="button" type="submit" formaction={`${base}/preview`}>
                  Preview on this page
                </button>
              </div>
            </div>
          ) : null}
          {p.canWrite ? (
            <>
              <Field name="note" label="What changed (for the history)" value={p.note} id="rules-note" />
              <div class="form-actions">
                <button class="button button-primary" type="submit">
                  {p.isNew ? 'Create site' : 'Save as a new version'}
                </button>
              </div>
            </>
          ) : null}
        </form>
      </section>

      {p.preview ? (
        <section class="panel" aria-labelledby="preview-h" id="preview">
          <h2 id="preview-h">Preview</h2>
          <p class="muted">
            On <code>{p.preview.url}</code>
          </p>
          {p.preview.problem ? (
            <p class="notice notice-error">{p.preview.problem}</p>
          ) : (
            <table class="data-table">
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">Value</th>
                  <th scope="col">Won by</th>
                  <th scope="col" class="amount">
                    Confidence
                  </th>
                </tr>
              </thead>
              <tbody>
                {p.preview.fields.map((f) => (
                  <tr>
                    <th scope="row">{f.field}</th>
                    <td class="preview-value">{f.value || <span class="muted">—</span>}</td>
                    <td>{f.source ? <code>{f.source}</code> : <span class="muted">—</span>}</td>
                    <td class="amount">
                      {f.confidence === null ? (
                        '—'
                      ) : (
                        <span class="confidence">
                          <meter min={0} max={1} value={f.confidence} aria-hidden="true" />
                          {Math.round(f.confidence * 100)}%
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {p.preview.errors.length ? (
            <ul class="issue-list">
              {p.preview.errors.map((e) => (
                <li>{e}</li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}

      {!p.isNew ? (
        <section class="panel" aria-labelledby="history-h">
          <h2 id="history-h">History</h2>
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Saved</th>
                <th scope="col">By</th>
                <th scope="col">Note</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {p.versions.map((v, i) => (
                <tr>
                  <td>
                    v{v.version}
                    {i === 0 ? <span class="badge badge-good small-badge">current</span> : null}
                  </td>
                  <td>{formatDate(v.createdAt, true)}</td>
                  <td>{v.author ?? <span class="muted">the installation</span>}</td>
                  <td>{v.note ?? ''}</td>
                  <td class="actions">
                    {v.version > 1 ? <a href={`${base}/versions/${v.version}`}>Changes</a> : null}
                    {i > 0 && p.canWrite ? (
                      <form
                        method="post"
                        action={`${base}/versions/${v.version}/rollback`}
                        class="inline-form"
                      >
                        <CsrfField />
                        <button class="button-link" type="submit">
                          Roll back to this
                        </button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </AdminLayout>
  );
};

export interface DiffLine {
  kind: 'add' | 'remove' | 'same' | 'gap';
  text: string;
}

/** What one version changed against the one before it. */
export const VersionDiffPage: FC<{
  name: string;
  version: number;
  /** The version before it; null for the site's first, shown whole. */
  against: number | null;
  /** Whether it is the site's current version (nothing to roll back to). */
  current: boolean;
  lines: DiffLine[];
  author: string | null;
  note: string | null;
  createdAt: Date;
  canWrite: boolean;
}> = (p) => {
  const base = `/admin/sites/${encodeURIComponent(p.name)}`;
  return (
    <AdminLayout title={`${p.name}: version ${p.version}`} section="sites">
      <p>
        <a href={base}>← {p.name}</a>
      </p>
      <section class="panel">
        <p>
          Saved {formatDate(p.createdAt, true)} by {p.author ?? 'the installation'}
          {p.note ? ` — “${p.note}”` : ''}.{' '}
          {p.against === null ? 'The site’s first version:' : `Changes against version ${p.against}:`}
        </p>
        {p.lines.length ? (
          <pre class="diff">
            {p.lines.map((l) => (
              <span class={`diff-${l.kind}`}>
                {l.kind === 'add' ? '+ ' : l.kind === 'remove' ? '- ' : l.kind === 'gap' ? '' : '  '}
                {l.text}
                {'\n'}
              </span>
            ))}
          </pre>
        ) : (
          <p class="muted">No difference.</p>
        )}
        {p.current ? (
          <p class="muted">This is the site’s current version.</p>
        ) : p.canWrite ? (
          <form method="post" action={`${base}/versions/${p.version}/rollback`}>
            <CsrfField />
            <button class="button" type="submit">
              Roll back to version {p.version}
            </button>
          </form>
        ) : null}
      </section>
    </AdminLayout>
  );
};
