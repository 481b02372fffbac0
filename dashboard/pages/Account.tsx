import type { FC } from 'hono/jsx';
import { CsrfField } from '../components/CsrfField.tsx';
import { Field, Notice } from '../components/Field.tsx';
import { formatPrice } from '../format.ts';
import { Layout } from '../layout.tsx';
import { MembershipSection, type MembershipView } from '../promotions/storefront.tsx';

export interface AccountView {
  user: { email: string; name: string | null; phone: string | null; role: string };
  addresses: Array<{
    id: string;
    recipient: string;
    phone: string;
    line1: string;
    line2: string | null;
    city: string;
    region: string | null;
    postalCode: string | null;
    country: string;
    isDefault: boolean;
  }>;
  sessions: Array<{
    id: string;
    current: boolean;
    lastSeenAt: Date;
    createdAt: Date;
    ip: string | null;
    userAgent: string | null;
  }>;
  /** The balance per currency, and whether this account may top it up (shoppers). */
  wallets: Array<{ currency: string; balance: string; available: string }>;
  canTopUp: boolean;
  /** Tier, points and coupons (shoppers). */
  membership?: MembershipView | null;
  tokens: Array<{
    id: string;
    name: string;
    prefix: string;
    scopes: string[];
    expiresAt: Date;
    lastUsedAt: Date | null;
    revokedAt: Date | null;
  }>;
  /** What the last action did, or why it failed. */
  flash?: { kind: 'ok' | 'error'; text: string; section: string } | undefined;
  /** A token just created: shown once, here. */
  newToken?: string | undefined;
  /** Field errors of the form that failed, by field name. */
  fields?: Record<string, string> | undefined;
  /** What the failed form held, to refill it. */
  values?: Record<string, string> | undefined;
}

const when = (date: Date) =>
  `${date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC`;

/** A short, readable device name from a user agent. */
function device(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const browser = /Firefox\//.test(userAgent)
    ? 'Firefox'
    : /Edg\//.test(userAgent)
      ? 'Edge'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : /curl|node|undici|trawl/i.test(userAgent)
            ? 'Command line'
            : 'Browser';
  const os = /Windows/.test(userAgent)
    ? 'Windows'
    : /Mac OS X/.test(userAgent)
      ? 'macOS'
      : /Android/.test(userAgent)
        ? 'Android'
        : /iPhone|iPad/.test(userAgent)
          ? 'iOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : '';
  return os ? `${browser} on ${os}` : browser;
}

const SectionFlash: FC<{ view: AccountView; section: string }> = ({ view, section }) =>
  view.flash?.section === section ? <Notice kind={view.flash.kind} text={view.flash.text} /> : null;

export const AccountPage: FC<{ view: AccountView }> = ({ view }) => {
  const v = view.values ?? {};
  const f = view.fields ?? {};
  const activeTokens = view.tokens.filter((t) => !t.revokedAt && t.expiresAt > new Date());
  return (
    <Layout title="Your account">
      <div class="account-layout">
        <nav class="account-nav" aria-label="Account sections">
          <a href="#profile">Profile</a>
          <a href="#balance">Balance</a>
          {view.membership ? <a href="#membership">Membership</a> : null}
          <a href="#addresses">Addresses</a>
          <a href="#password">Password</a>
          <a href="#sessions">Signed-in devices</a>
          <a href="#tokens">API tokens</a>
        </nav>
        <div class="account-sections">
          <header>
            <h1>Your account</h1>
            <p class="muted">
              {view.user.email} · <span class="badge badge-muted">{view.user.role}</span>
            </p>
          </header>

          <section class="panel" id="profile" aria-labelledby="profile-title">
            <h2 id="profile-title">Profile</h2>
            <SectionFlash view={view} section="profile" />
            <form class="form" method="post" action="/account/profile">
              <CsrfField />
              <div class="form-row">
                <Field
                  name="name"
                  label="Name"
                  value={v.name ?? view.user.name}
                  autocomplete="name"
                  error={f.name}
                  maxlength={100}
                />
                <Field
                  name="phone"
                  label="Phone"
                  type="tel"
                  value={v.phone ?? view.user.phone}
                  autocomplete="tel"
                  error={f.phone}
                />
              </div>
              <div>
                <button class="button button-primary" type="submit">
                  Save profile
                </button>
              </div>
            </form>
          </section>

          <section class="panel" id="balance" aria-labelledby="balance-title">
            <h2 id="balance-title">Balance</h2>
            <SectionFlash view={view} section="balance" />
            {view.wallets.length === 0 ? (
              <p class="muted">No balance yet.</p>
            ) : (
              <ul class="summary-list wallets">
                {view.wallets.map((w) => (
                  <li>
                    <span>{w.currency}</span>
                    <strong data-wallet={w.currency}>{formatPrice(w.balance, w.currency)}</strong>
                  </li>
                ))}
              </ul>
            )}
            {view.canTopUp ? (
              <details class="disclosure">
                <summary>Top up</summary>
                <form class="form" method="post" action="/account/top-up">
                  <CsrfField />
                  <div class="form-row">
                    <Field
                      name="amount"
                      label="Amount"
                      value={v.amount ?? '50.00'}
                      required
                      error={f.amount}
                    />
                    <div class="field">
                      <label for="topup-currency">Currency</label>
                      <select id="topup-currency" name="currency">
                        {['CNY', 'EUR', 'GBP', 'USD'].map((c) => (
                          <option value={c} selected={(v.currency ?? 'EUR') === c}>
                            {c}
                          </option>
                        ))}
                      </select>
                    </div>
                    <div class="field">
                      <label for="topup-method">Pay with</label>
                      <select id="topup-method" name="method">
                        <option value="alipay">Alipay</option>
                        <option value="wechat">WeChat Pay</option>
                      </select>
                    </div>
                  </div>
                  <div>
                    <button class="button button-primary" type="submit">
                      Top up
                    </button>
                  </div>
                </form>
              </details>
            ) : null}
          </section>

          {view.membership ? (
            <MembershipSection
              view={view.membership}
              flash={view.flash?.section === 'membership' ? view.flash : null}
            />
          ) : null}

          <section class="panel" id="addresses" aria-labelledby="addresses-title">
            <h2 id="addresses-title">Addresses</h2>
            <SectionFlash view={view} section="addresses" />
            {view.addresses.length === 0 ? (
              <p class="muted">No addresses yet. Checkout ships to one of these.</p>
            ) : (
              <div class="address-list">
                {view.addresses.map((a) => (
                  <div class="address-card">
                    <strong>
                      {a.recipient} {a.isDefault ? <span class="badge badge-good">Default</span> : null}
                    </strong>
                    <span>{a.line1}</span>
                    {a.line2 ? <span>{a.line2}</span> : null}
                    <span>
                      {[a.postalCode, a.city, a.region].filter(Boolean).join(' ')} · {a.country}
                    </span>
                    <span class="muted">{a.phone}</span>
                    <div class="actions">
                      {a.isDefault ? null : (
                        <form method="post" action={`/account/addresses/${a.id}/default`} class="inline-form">
                          <CsrfField />
                          <button class="link-button" type="submit">
                            Make default
                          </button>
                        </form>
                      )}
                      <form method="post" action={`/account/addresses/${a.id}/delete`} class="inline-form">
                        <CsrfField />
                        <button
                          class="link-button button-danger"
                          type="submit"
                          aria-label={`Remove the address of ${a.recipient}, ${a.line1}`}
                        >
                          Remove
                        </button>
                      </form>
                    </div>
                  </div>
                ))}
              </div>
            )}
            <details
              class="disclosure"
              open={
                view.addresses.length === 0 ||
                (view.flash?.section === 'addresses' && view.flash.kind === 'error')
              }
            >
              <summary>Add an address</summary>
              <form class="form" method="post" action="/account/addresses">
                <CsrfField />
                <div class="form-row">
                  <Field
                    name="recipient"
                    label="Recipient"
                    value={v.recipient}
                    autocomplete="name"
                    required
                    error={f.recipient}
                  />
                  <Field
                    name="phone"
                    id="address-phone"
                    label="Phone"
                    type="tel"
                    value={v.phone}
                    autocomplete="tel"
                    required
                    error={f.phone}
                  />
                </div>
                <Field
                  name="line1"
                  label="Street and number"
                  value={v.line1}
                  autocomplete="address-line1"
                  required
                  error={f.line1}
                />
                <Field
                  name="line2"
                  label="Flat, floor (optional)"
                  value={v.line2}
                  autocomplete="address-line2"
                  error={f.line2}
                />
                <div class="form-row">
                  <Field
                    name="postalCode"
                    label="Postal code"
                    value={v.postalCode}
                    autocomplete="postal-code"
                    error={f.postalCode}
                  />
                  <Field
                    name="city"
                    label="City"
                    value={v.city}
                    autocomplete="address-level2"
                    required
                    error={f.city}
                  />
                  <Field
                    name="region"
                    label="Region / province"
                    value={v.region}
                    autocomplete="address-level1"
                    error={f.region}
                  />
                  <Field
                    name="country"
                    label="Country code"
                    value={v.country}
                    autocomplete="country"
                    required
                    maxlength={2}
                    hint="Two letters, such as CN or DE"
                    error={f.country}
                  />
                </div>
                <label class="check">
                  <input type="checkbox" name="isDefault" value="true" /> Make this my default address
                </label>
                <div>
                  <button class="button button-primary" type="submit">
                    Add address
                  </button>
                </div>
              </form>
            </details>
          </section>

          <section class="panel" id="password" aria-labelledby="password-title">
            <h2 id="password-title">Password</h2>
            <SectionFlash view={view} section="password" />
            <p class="muted">Changing it signs you out on every other device.</p>
            <form class="form" method="post" action="/account/password">
              <CsrfField />
              <Field
                name="currentPassword"
                label="Current password"
                type="password"
                autocomplete="current-password"
                required
                error={f.currentPassword}
              />
              <Field
                name="newPassword"
                label="New password"
                type="password"
                autocomplete="new-password"
                minlength={10}
                required
                hint="At least 10 characters."
                error={f.newPassword}
              />
              <div>
                <button class="button button-primary" type="submit">
                  Change password
                </button>
              </div>
            </form>
          </section>

          <section class="panel" id="sessions" aria-labelledby="sessions-title">
            <h2 id="sessions-title">Signed-in devices</h2>
            <SectionFlash view={view} section="sessions" />
            <table class="data-table">
              <thead>
                <tr>
                  <th scope="col">Device</th>
                  <th scope="col">Address</th>
                  <th scope="col">Last active</th>
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {view.sessions.map((s) => (
                  <tr>
                    <td>
                      {device(s.userAgent)}{' '}
                      {s.current ? <span class="badge badge-good">This device</span> : null}
                    </td>
                    <td>{s.ip ?? '—'}</td>
                    <td>{when(s.lastSeenAt)}</td>
                    <td class="actions">
                      {s.current ? null : (
                        <form method="post" action={`/account/sessions/${s.id}/revoke`} class="inline-form">
                          <CsrfField />
                          <button class="button button-small" type="submit">
                            Sign out
                          </button>
                        </form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {view.sessions.length > 1 ? (
              <form method="post" action="/account/sessions/revoke-others" class="form">
                <CsrfField />
                <div>
                  <button class="button" type="submit">
                    Sign out everywhere else
                  </button>
                </div>
              </form>
            ) : null}
          </section>

          <section class="panel" id="tokens" aria-labelledby="tokens-title">
            <h2 id="tokens-title">API tokens</h2>
            <SectionFlash view={view} section="tokens" />
            {view.newToken ? (
              <div class="notice notice-warn" role="status">
                <p>Copy your new token now: it will not be shown again.</p>
                <code class="secret">{view.newToken}</code>
              </div>
            ) : null}
            <p class="muted">
              For the <code>trawl</code> command line and scripts: send it as{' '}
              <code>Authorization: Bearer …</code>, or run <code>trawl login</code>.
            </p>
            {activeTokens.length > 0 ? (
              <table class="data-table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Token</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Last used</th>
                    <th scope="col">
                      <span class="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {activeTokens.map((t) => (
                    <tr>
                      <td>{t.name}</td>
                      <td>
                        <code>{t.prefix}…</code>
                      </td>
                      <td>{when(t.expiresAt)}</td>
                      <td>{t.lastUsedAt ? when(t.lastUsedAt) : 'never'}</td>
                      <td class="actions">
                        <form method="post" action={`/account/tokens/${t.id}/revoke`} class="inline-form">
                          <CsrfField />
                          <button
                            class="button button-small"
                            type="submit"
                            aria-label={`Revoke the token ${t.name}`}
                          >
                            Revoke
                          </button>
                        </form>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p class="muted">No active tokens.</p>
            )}
            <form class="form" method="post" action="/account/tokens">
              <CsrfField />
              <div class="form-row">
                <Field
                  name="name"
                  id="token-name"
                  label="Token name"
                  value={v.tokenName}
                  required
                  maxlength={100}
                  error={f.name}
                  hint="What will use it, e.g. “laptop CLI”"
                />
                <Field
                  name="expiresInDays"
                  label="Valid for (days)"
                  type="number"
                  value={v.expiresInDays ?? '90'}
                  required
                  error={f.expiresInDays}
                />
              </div>
              <div>
                <button class="button button-primary" type="submit">
                  Create token
                </button>
              </div>
            </form>
          </section>
        </div>
      </div>
    </Layout>
  );
};
