import type { FC } from 'hono/jsx';
import type {
  PaymentLogView,
  PaymentMethodView,
  PublicPaymentConfig,
} from '../../commerce/payments/types.ts';
import { CsrfField } from '../components/CsrfField.tsx';
import { formatDate } from '../format.ts';
import { AdminLayout } from './layout.tsx';
import { type Notice, NoticeBanner } from './Products.tsx';

/** What a provider's configuration form asks for: non-secret fields show their value, secrets never. */
export interface ProviderForm {
  provider: string;
  title: string;
  fields: Array<{
    name: string;
    label: string;
    secret: boolean;
    multiline: boolean;
    value: string;
    set: boolean;
  }>;
  config: PublicPaymentConfig | null;
}

export const PaymentsAdminPage: FC<{
  methods: PaymentMethodView[];
  providers: ProviderForm[];
  logs: PaymentLogView[];
  logFilter: { provider?: string | undefined };
  notice: Notice;
  errors: Record<string, string>;
}> = ({ methods, providers, logs, logFilter, notice, errors }) => (
  <AdminLayout title="Payments" section="payments">
    <NoticeBanner notice={notice} />
    <section class="panel" aria-labelledby="methods-h">
      <h2 id="methods-h">Payment methods</h2>
      <p class="muted">
        What shoppers may pay with, in this order. A disabled method is not offered at checkout.
      </p>
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">Method</th>
            <th scope="col">Name and description shoppers see</th>
            <th scope="col">Order</th>
            <th scope="col">Enabled</th>
            <th scope="col">
              <span class="sr-only">Save</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {methods.map((m) => (
            <tr>
              <td>
                <code>{m.code}</code>
              </td>
              <td colspan={4}>
                <form
                  method="post"
                  action={`/admin/payments/methods/${m.code}`}
                  class="inline-controls method-form"
                >
                  <CsrfField />
                  <label class="sr-only" for={`m-name-${m.code}`}>
                    Name of {m.code}
                  </label>
                  <input id={`m-name-${m.code}`} name="name" value={m.name} maxlength={60} required />
                  <label class="sr-only" for={`m-desc-${m.code}`}>
                    Description of {m.code}
                  </label>
                  <input
                    id={`m-desc-${m.code}`}
                    name="description"
                    value={m.description}
                    maxlength={300}
                    class="grow"
                  />
                  <label class="sr-only" for={`m-order-${m.code}`}>
                    Order of {m.code}
                  </label>
                  <input
                    id={`m-order-${m.code}`}
                    name="sortOrder"
                    type="number"
                    value={String(m.sortOrder)}
                    class="narrow"
                  />
                  <label class="check">
                    <input type="checkbox" name="enabled" value="1" checked={m.enabled} /> enabled
                  </label>
                  <button class="button button-small" type="submit">
                    Save
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
    <div class="admin-grid">
      {providers.map((p) => (
        <section class="panel" aria-labelledby={`prov-${p.provider}-h`}>
          <h2 id={`prov-${p.provider}-h`}>{p.title}</h2>
          <p class="muted">
            {p.config
              ? `Configured ${formatDate(p.config.updatedAt, true)}. Secrets are encrypted at rest and never shown; leave a secret empty to keep it.`
              : 'Not configured: shoppers cannot pay with it.'}
          </p>
          <form method="post" action={`/admin/payments/configs/${p.provider}`} class="stack-form">
            <CsrfField />
            {p.fields.map((f) => {
              const id = `c-${p.provider}-${f.name}`;
              const error = errors[`${p.provider}.${f.name}`];
              return (
                <div class="field">
                  <label for={id}>
                    {f.label}
                    {f.secret && f.set ? <span class="badge badge-good small-badge">set</span> : null}
                  </label>
                  {f.multiline ? (
                    <textarea
                      id={id}
                      name={f.name}
                      rows={4}
                      spellcheck={false}
                      autocomplete="off"
                      placeholder={f.secret && f.set ? 'stored — paste a new key to replace it' : ''}
                    >
                      {f.secret ? '' : f.value}
                    </textarea>
                  ) : (
                    <input
                      id={id}
                      name={f.name}
                      value={f.secret ? '' : f.value}
                      type={f.secret ? 'password' : 'text'}
                      autocomplete="off"
                      placeholder={f.secret && f.set ? 'stored — type a new one to replace it' : ''}
                    />
                  )}
                  {error ? <span class="field-error">{error}</span> : null}
                </div>
              );
            })}
            <div class="form-actions">
              <button class="button button-primary" type="submit">
                Save {p.title}
              </button>
            </div>
          </form>
        </section>
      ))}
    </div>
    <section class="panel" aria-labelledby="logs-h">
      <h2 id="logs-h">Payment log</h2>
      <form method="get" action="/admin/payments" class="inline-controls">
        <label for="log-provider">Provider</label>
        <select id="log-provider" name="provider" data-autosubmit>
          <option value="">Any</option>
          {['alipay', 'wechat', 'balance'].map((p) => (
            <option value={p} selected={logFilter.provider === p}>
              {p}
            </option>
          ))}
        </select>
        <button class="button button-small" type="submit" data-autosubmit-button>
          Show
        </button>
      </form>
      {logs.length ? (
        <table class="data-table log-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Provider</th>
              <th scope="col">Direction</th>
              <th scope="col">Operation</th>
              <th scope="col">HTTP</th>
              <th scope="col">Outcome</th>
              <th scope="col">Body (secrets masked)</th>
            </tr>
          </thead>
          <tbody>
            {logs.map((l) => (
              <tr>
                <td>{formatDate(l.createdAt, true)}</td>
                <td>{l.provider}</td>
                <td>{l.direction}</td>
                <td>{l.operation}</td>
                <td>{l.httpStatus ?? '—'}</td>
                <td>
                  {l.outcome ? (
                    <span
                      class={`badge ${/ok|paid|success|verified/i.test(l.outcome) ? 'badge-good' : /fail|reject|error|invalid/i.test(l.outcome) ? 'badge-bad' : 'badge-muted'}`}
                    >
                      {l.outcome}
                    </span>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  <details>
                    <summary>show</summary>
                    <pre class="log-body">{JSON.stringify(l.body, null, 2).slice(0, 4000)}</pre>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No exchanges logged yet.</p>
      )}
    </section>
  </AdminLayout>
);
