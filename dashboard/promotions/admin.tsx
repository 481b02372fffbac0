import type { FC, PropsWithChildren } from 'hono/jsx';
import type { MembershipSettingsView, PointsRuleView, TierView } from '../../commerce/membership/types.ts';
import type {
  CouponCodeView,
  PromotionListQuery,
  PromotionStats,
  PromotionView,
} from '../../commerce/promotions/types.ts';
import type { ReviewView } from '../../commerce/reviews/types.ts';
import { AdminLayout } from '../admin/layout.tsx';
import { CsrfField } from '../components/CsrfField.tsx';
import { Field, Notice } from '../components/Field.tsx';
import { formatDate, formatPrice } from '../format.ts';
import { Stars } from './components.tsx';

const types: Array<[string, string]> = [
  ['threshold', '满减 spend threshold'],
  ['discount', '折扣 discount'],
  ['coupon', 'Coupon'],
  ['rush', '抢购 rush price'],
  ['flash', '秒杀 flash sale'],
  ['group', '团购 group buy'],
];
const statuses = ['draft', 'scheduled', 'active', 'paused', 'ended'];
const tone: Record<string, string> = {
  draft: 'muted',
  scheduled: 'warn',
  active: 'good',
  paused: 'warn',
  ended: 'muted',
};

export const PromotionStatusBadge: FC<{ status: string }> = ({ status }) => (
  <span class={`badge badge-${tone[status] ?? 'muted'}`}>{status}</span>
);

/** Promotions and Membership share the back office's "Promotions" entry; tabs switch between them. */
const Tabs: FC<{ current: 'promotions' | 'membership' }> = ({ current }) => (
  <nav class="tabs" aria-label="Promotions sections">
    <a href="/admin/promotions" aria-current={current === 'promotions' ? 'page' : undefined}>
      Promotions and coupons
    </a>
    <a href="/admin/membership" aria-current={current === 'membership' ? 'page' : undefined}>
      Tiers and points
    </a>
  </nav>
);

type Listed = PromotionView & { stats: PromotionStats };

export const PromotionsListPage: FC<{
  query: PromotionListQuery;
  result: { items: Listed[]; total: number; page: number; pageSize: number };
  message?: string | null;
}> = ({ query, result, message }) => (
  <AdminLayout
    title="Promotions"
    section="promotions"
    actions={
      <a class="button button-primary" href="/admin/promotions/new">
        New promotion
      </a>
    }
  >
    <Tabs current="promotions" />
    <Notice kind="ok" text={message} />
    <form class="toolbar-form" method="get" action="/admin/promotions">
      <div class="field">
        <label for="filter-status">Status</label>
        <select id="filter-status" name="status">
          <option value="">Any</option>
          {statuses.map((s) => (
            <option value={s} selected={query.status === s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="filter-type">Type</label>
        <select id="filter-type" name="type">
          <option value="">Any</option>
          {types.map(([value, label]) => (
            <option value={value} selected={query.type === value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <Field name="q" label="Name or number" value={query.q ?? ''} />
      <button class="button" type="submit">
        Filter
      </button>
    </form>
    {result.items.length === 0 ? (
      <p class="empty">No promotions match.</p>
    ) : (
      <table class="data-table">
        <caption class="sr-only">Promotions</caption>
        <thead>
          <tr>
            <th scope="col">Number</th>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Status</th>
            <th scope="col">Window (UTC)</th>
            <th scope="col" class="amount">
              Uses
            </th>
            <th scope="col" class="amount">
              Given
            </th>
          </tr>
        </thead>
        <tbody>
          {result.items.map((p) => (
            <tr>
              <td>
                <a href={`/admin/promotions/${p.id}`}>{p.number}</a>
              </td>
              <td>
                {p.name}
                <div class="muted">{p.terms}</div>
              </td>
              <td>{p.typeName}</td>
              <td>
                <PromotionStatusBadge status={p.status} />
              </td>
              <td>
                {formatDate(p.startsAt, true)} – {formatDate(p.endsAt, true)}
              </td>
              <td class="amount">
                {p.stats.uses}
                {p.maxUses ? ` / ${p.maxUses}` : ''}
              </td>
              <td class="amount">{formatPrice(p.stats.spent, p.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
    <p class="muted">
      {result.total} promotion{result.total === 1 ? '' : 's'}
    </p>
  </AdminLayout>
);

const iso = (d: Date | undefined) => (d ? d.toISOString().slice(0, 16) : '');

const Fieldset: FC<PropsWithChildren<{ legend: string; hint?: string }>> = ({ legend, hint, children }) => (
  <fieldset class="panel">
    <legend>{legend}</legend>
    {hint ? <p class="muted">{hint}</p> : null}
    <div class="form-grid">{children}</div>
  </fieldset>
);

const Select: FC<{
  name: string;
  label: string;
  options: Array<[string, string]>;
  value: string | undefined;
  error?: string | undefined;
}> = ({ name, label, options, value, error }) => (
  <div class="field">
    <label for={`field-${name}`}>{label}</label>
    <select id={`field-${name}`} name={name} aria-invalid={error ? 'true' : undefined}>
      {options.map(([v, l]) => (
        <option value={v} selected={value === v}>
          {l}
        </option>
      ))}
    </select>
    {error ? <span class="field-error">{error}</span> : null}
  </div>
);

/** The form's values for a promotion (the same names the route reads back). */
export function promotionFormValues(p: PromotionView): Record<string, string> {
  const r = p.rules as Record<string, unknown>;
  const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  return {
    name: p.name,
    description: p.description ?? '',
    type: p.type,
    startsAt: iso(p.startsAt),
    endsAt: iso(p.endsAt),
    scope: p.scope,
    merchantId: p.merchantId ?? '',
    category: p.category ?? '',
    productIds: p.productIds.join('\n'),
    currency: p.currency ?? '',
    minTier: p.minTier ?? '',
    stacking: p.stacking,
    fundedBy: p.fundedBy,
    maxUses: str(p.maxUses),
    perUserLimit: str(p.perUserLimit),
    maxParticipants: str(p.maxParticipants),
    budget: p.budget ?? '',
    claimable: p.claimable ? 'true' : '',
    tiers: Array.isArray(r.tiers)
      ? (r.tiers as Array<{ spend: string; off: string }>).map((t) => `${t.spend}-${t.off}`).join(', ')
      : '',
    percent: str(r.percent),
    amountOff: str(r.amountOff),
    minSpend: str(r.minSpend),
    maxOff: str(r.maxOff),
    price: str(r.price),
    perPersonUnits: str(r.perPersonUnits),
    units: str(r.units),
    reserveMinutes: str(r.reserveMinutes),
    groupSize: str(r.groupSize),
    hours: str(r.hours),
  };
}

export interface PromotionFormView {
  promotion: Listed | null;
  values: Record<string, string>;
  fields: Record<string, string>;
  error?: string | null;
  message?: string | null;
  tiers: TierView[];
  coupons: CouponCodeView[];
}

export const PromotionFormPage: FC<{ view: PromotionFormView }> = ({ view }) => {
  const { promotion: p, values: v, fields: f } = view;
  const action = p ? `/admin/promotions/${p.id}` : '/admin/promotions';
  const statusActions: Array<[string, string, string[]]> = [
    ['publish', 'Publish', ['draft']],
    ['pause', 'Pause', ['scheduled', 'active']],
    ['resume', 'Resume', ['paused']],
    ['end', 'End now', ['draft', 'scheduled', 'active', 'paused']],
  ];
  return (
    <AdminLayout title={p ? `${p.number} ${p.name}` : 'New promotion'} section="promotions">
      <Tabs current="promotions" />
      <p class="breadcrumb-line">
        <a href="/admin/promotions">Promotions</a> › {p ? p.number : 'New'}
      </p>
      <Notice kind="error" text={view.error} />
      <Notice kind="ok" text={view.message} />
      {p ? (
        <div class="panel">
          <div class="stat-row">
            <div>
              <span class="muted">Status</span>
              <PromotionStatusBadge status={p.status} />
            </div>
            <div>
              <span class="muted">Uses</span>
              <strong>{p.stats.uses}</strong>
            </div>
            <div>
              <span class="muted">Unpaid</span>
              <strong>{p.stats.held}</strong>
            </div>
            <div>
              <span class="muted">Participants</span>
              <strong>{p.stats.participants}</strong>
            </div>
            <div>
              <span class="muted">Given</span>
              <strong>{formatPrice(p.stats.spent, p.currency)}</strong>
            </div>
            <div>
              <span class="muted">Units sold</span>
              <strong>{p.stats.units}</strong>
            </div>
          </div>
          <div class="order-actions">
            {statusActions
              .filter(([, , from]) => from.includes(p.status))
              .map(([name, label]) => (
                <form method="post" action={`/admin/promotions/${p.id}/${name}`} class="inline-form">
                  <CsrfField />
                  <button
                    class={`button${name === 'end' ? ' button-danger' : name === 'publish' ? ' button-primary' : ''}`}
                    type="submit"
                  >
                    {label}
                  </button>
                </form>
              ))}
          </div>
          <p class="muted">
            A published promotion becomes active at its start and ends at its end by itself; pausing stops it
            until you resume it.
          </p>
        </div>
      ) : null}
      {p?.status === 'ended' ? null : (
        <form class="form" method="post" action={action}>
          <CsrfField />
          <Fieldset legend="The promotion">
            <Field name="name" label="Name" value={v.name} required maxlength={100} error={f.name} />
            <Select
              name="type"
              label="Type"
              options={p ? types.filter(([t]) => t === p.type) : types}
              value={v.type}
              error={f.type}
            />
            <Field
              name="startsAt"
              label="Starts (UTC)"
              type="datetime-local"
              value={v.startsAt}
              required
              error={f.startsAt}
            />
            <Field
              name="endsAt"
              label="Ends (UTC)"
              type="datetime-local"
              value={v.endsAt}
              required
              error={f.endsAt}
            />
            <Field
              name="currency"
              label="Currency"
              value={v.currency}
              hint="ISO code, e.g. CNY"
              error={f.currency}
            />
            <div class="field wide">
              <label for="field-description">Description</label>
              <textarea id="field-description" name="description" maxlength={500}>
                {v.description ?? ''}
              </textarea>
            </div>
          </Fieldset>
          <Fieldset legend="Who and what it reaches">
            <Select
              name="scope"
              label="Scope"
              options={[
                ['everything', 'Everything'],
                ['merchant', 'One merchant’s shop'],
                ['category', 'A category'],
                ['listings', 'Listings'],
              ]}
              value={v.scope}
              error={f.scope}
            />
            <Field
              name="merchantId"
              label="Merchant id (merchant scope)"
              value={v.merchantId}
              error={f.merchantId}
            />
            <Field name="category" label="Category (category scope)" value={v.category} error={f.category} />
            <div class="field">
              <label for="field-productIds">Listing ids (listings scope; one per line)</label>
              <textarea
                id="field-productIds"
                name="productIds"
                aria-invalid={f.productIds ? 'true' : undefined}
              >
                {v.productIds ?? ''}
              </textarea>
              {f.productIds ? <span class="field-error">{f.productIds}</span> : null}
            </div>
            <Select
              name="minTier"
              label="Members only"
              options={[
                ['', 'Everyone'],
                ...view.tiers
                  .filter((t) => t.rank > 0)
                  .map((t): [string, string] => [t.code, `${t.name} and above`]),
              ]}
              value={v.minTier}
              error={f.minTier}
            />
          </Fieldset>
          <Fieldset legend="Terms" hint="Fill in the terms of the type chosen above; the others are ignored.">
            <Field
              name="tiers"
              label="满减 tiers (spend-off, …)"
              value={v.tiers}
              hint="e.g. 300-40, 500-80"
              error={f['rules.tiers']}
            />
            <Field
              name="percent"
              label="折扣 / coupon: percent off"
              value={v.percent}
              error={f['rules.percent']}
            />
            <Field
              name="amountOff"
              label="折扣 / coupon: amount off"
              value={v.amountOff}
              error={f['rules.amountOff']}
            />
            <Field
              name="minSpend"
              label="折扣 / coupon: minimum spend"
              value={v.minSpend}
              error={f['rules.minSpend']}
            />
            <Field
              name="maxOff"
              label="折扣 / coupon: at most off"
              value={v.maxOff}
              error={f['rules.maxOff']}
            />
            <Field name="price" label="抢购 / 秒杀 / 团购: price" value={v.price} error={f['rules.price']} />
            <Field
              name="perPersonUnits"
              label="Units per person"
              value={v.perPersonUnits}
              error={f['rules.perPersonUnits']}
            />
            <Field name="units" label="秒杀: units for sale" value={v.units} error={f['rules.units']} />
            <Field
              name="reserveMinutes"
              label="秒杀: minutes to pay"
              value={v.reserveMinutes}
              error={f['rules.reserveMinutes']}
            />
            <Field
              name="groupSize"
              label="团购: people per group"
              value={v.groupSize}
              error={f['rules.groupSize']}
            />
            <Field name="hours" label="团购: hours to fill" value={v.hours} error={f['rules.hours']} />
          </Fieldset>
          <Fieldset legend="Limits and stacking">
            <Field name="maxUses" label="Total uses (orders)" value={v.maxUses} error={f.maxUses} />
            <Field
              name="perUserLimit"
              label="Uses per shopper"
              value={v.perUserLimit}
              error={f.perUserLimit}
            />
            <Field
              name="maxParticipants"
              label="Participants"
              value={v.maxParticipants}
              error={f.maxParticipants}
            />
            <Field name="budget" label="Budget (money given)" value={v.budget} error={f.budget} />
            <Select
              name="stacking"
              label="Stacking"
              options={[
                ['stackable', 'Combines with other promotions'],
                ['exclusive', 'Applies alone'],
              ]}
              value={v.stacking}
            />
            <Select
              name="fundedBy"
              label="Paid for by"
              options={[
                ['merchant', 'The merchant'],
                ['platform', 'The platform'],
              ]}
              value={v.fundedBy}
            />
            <label class="check">
              <input type="checkbox" name="claimable" value="true" checked={v.claimable === 'true'} />{' '}
              Coupons: anyone may claim one
            </label>
          </Fieldset>
          <button class="button button-primary" type="submit">
            {p ? 'Save changes' : 'Create draft'}
          </button>
        </form>
      )}
      {p?.type === 'coupon' ? (
        <section class="panel" aria-labelledby="codes-title">
          <h2 id="codes-title">Coupon codes</h2>
          <form class="form" method="post" action={`/admin/promotions/${p.id}/coupons`}>
            <CsrfField />
            <div class="form-grid">
              <Field name="code" label="A shared code" hint="e.g. SPRING10" />
              <Field name="maxUses" label="Uses of the shared code" hint="empty: as the promotion allows" />
              <Select
                name="tier"
                label="Or issue single-use codes to"
                options={[
                  ['', '—'],
                  ...view.tiers.map((t): [string, string] => [t.code, `every ${t.name} member and above`]),
                ]}
                value=""
              />
            </div>
            <button class="button" type="submit">
              Make codes
            </button>
          </form>
          {view.coupons.length > 0 ? (
            <table class="data-table">
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Holder</th>
                  <th scope="col" class="amount">
                    Used
                  </th>
                </tr>
              </thead>
              <tbody>
                {view.coupons.map((c) => (
                  <tr>
                    <td>
                      <code>{c.code}</code>
                    </td>
                    <td>{c.userEmail ?? 'shared'}</td>
                    <td class="amount">
                      {c.uses}
                      {c.maxUses ? ` / ${c.maxUses}` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p class="muted">No codes yet.</p>
          )}
        </section>
      ) : null}
    </AdminLayout>
  );
};

export interface MembershipAdminView {
  tiers: TierView[];
  rules: PointsRuleView[];
  settings: MembershipSettingsView;
  message?: string | null;
  error?: string | null;
}

export const MembershipAdminPage: FC<{ view: MembershipAdminView }> = ({ view }) => (
  <AdminLayout title="Tiers and points" section="promotions">
    <Tabs current="membership" />
    <Notice kind="ok" text={view.message} />
    <Notice kind="error" text={view.error} />
    <section class="panel" aria-labelledby="tiers-title">
      <h2 id="tiers-title">Member tiers</h2>
      <p class="muted">
        A shopper’s tier is the highest their spending over the last 365 days reaches (in{' '}
        {view.settings.currency}), or the one they bought for a year, whichever is higher.
      </p>
      {view.tiers.map((t) => (
        <form
          class="form"
          method="post"
          action={`/admin/membership/tiers/${t.code}`}
          aria-label={`Tier ${t.name}`}
        >
          <CsrfField />
          <h3>
            {t.name} <span class="muted">({t.code})</span>
          </h3>
          <div class="form-grid">
            <Field name="name" label="Name" value={t.name} id={`tier-${t.code}-name`} required />
            <Field
              name="minYearlySpend"
              label="Yearly spend"
              value={t.minYearlySpend}
              id={`tier-${t.code}-spend`}
            />
            <Field name="price" label="Price for a year" value={t.price ?? ''} id={`tier-${t.code}-price`} />
            <Field
              name="discountPercent"
              label="Member discount %"
              value={t.discountPercent}
              id={`tier-${t.code}-discount`}
            />
            <Field
              name="pointsMultiplier"
              label="Points ×"
              value={t.pointsMultiplier}
              id={`tier-${t.code}-multiplier`}
            />
            <Field name="benefits" label="Benefits" value={t.benefits ?? ''} id={`tier-${t.code}-benefits`} />
          </div>
          <button class="button button-small" type="submit">
            Save {t.name}
          </button>
        </form>
      ))}
    </section>
    <section class="panel" aria-labelledby="points-title">
      <h2 id="points-title">Points</h2>
      <form class="form" method="post" action="/admin/membership/settings">
        <CsrfField />
        <div class="form-grid">
          <Field name="currency" label="Membership currency" value={view.settings.currency} />
          <Field
            name="pointsPerUnit"
            label="Points that make 1.00 at checkout"
            value={String(view.settings.pointsPerUnit)}
          />
          <Field
            name="maxRedeemPercent"
            label="Points pay at most (% of items)"
            value={String(view.settings.maxRedeemPercent)}
          />
        </div>
        <button class="button button-small" type="submit">
          Save settings
        </button>
      </form>
      <h3>Rules that earn points</h3>
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Currency</th>
            <th scope="col">Points per 1.00</th>
            <th scope="col">From order total</th>
            <th scope="col">Active</th>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {view.rules.map((r) => (
            <tr>
              <td>{r.name}</td>
              <td>{r.currency ?? 'any'}</td>
              <td>{r.pointsPerUnit}</td>
              <td>{r.minOrderTotal ?? '—'}</td>
              <td>{r.active ? 'yes' : 'no'}</td>
              <td>
                <form
                  method="post"
                  action={`/admin/membership/points-rules/${r.id}/delete`}
                  class="inline-form"
                >
                  <CsrfField />
                  <button class="link-button" type="submit">
                    Remove {r.name}
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="form" method="post" action="/admin/membership/points-rules">
        <CsrfField />
        <div class="form-grid">
          <Field name="name" label="New rule’s name" id="rule-name" required />
          <Field name="pointsPerUnit" label="Points per 1.00 paid" id="rule-points" required />
          <Field name="currency" label="Currency (empty: any)" id="rule-currency" />
          <Field name="minOrderTotal" label="From order total" id="rule-min" />
        </div>
        <button class="button button-small" type="submit">
          Add rule
        </button>
      </form>
    </section>
  </AdminLayout>
);

export const ReviewsAdminPage: FC<{
  result: { items: ReviewView[]; total: number };
  status: string | undefined;
  canModerate: boolean;
  canReply: boolean;
  message?: string | null;
  error?: string | null;
}> = ({ result, status, canModerate, canReply, message, error }) => (
  <AdminLayout title="Reviews" section="reviews">
    <Notice kind="ok" text={message} />
    <Notice kind="error" text={error} />
    <form class="toolbar-form" method="get" action="/admin/reviews">
      <div class="field">
        <label for="review-status">Show</label>
        <select id="review-status" name="status">
          <option value="">All</option>
          <option value="visible" selected={status === 'visible'}>
            Visible
          </option>
          <option value="hidden" selected={status === 'hidden'}>
            Hidden
          </option>
        </select>
      </div>
      <button class="button" type="submit">
        Filter
      </button>
    </form>
    {result.items.length === 0 ? <p class="empty">No reviews.</p> : null}
    <ul class="review-list">
      {result.items.map((r) => (
        <li class="review panel" data-review={r.id}>
          <div class="review-head">
            <Stars rating={r.rating} />
            <strong>{r.productTitle}</strong>
            <span class="muted">
              {r.authorName} · {formatDate(r.createdAt, true)}
            </span>
            {r.status === 'hidden' ? <span class="badge badge-bad">hidden: {r.hiddenReason}</span> : null}
          </div>
          <p class="review-body">{r.body}</p>
          {r.reply ? (
            <div class="review-reply">
              <strong>Reply:</strong> {r.reply}
            </div>
          ) : canReply ? (
            <form class="form" method="post" action={`/admin/reviews/${r.id}/reply`}>
              <CsrfField />
              <div class="field">
                <label for={`reply-${r.id}`}>Reply (once)</label>
                <textarea id={`reply-${r.id}`} name="reply" required maxlength={1000} />
              </div>
              <button class="button button-small" type="submit">
                Reply
              </button>
            </form>
          ) : null}
          {canModerate ? (
            r.status === 'visible' ? (
              <form class="apply-row" method="post" action={`/admin/reviews/${r.id}/hide`}>
                <CsrfField />
                <div class="field">
                  <label for={`hide-${r.id}`}>Reason to hide</label>
                  <input id={`hide-${r.id}`} name="reason" required minlength={3} maxlength={200} />
                </div>
                <button class="button button-small button-danger" type="submit">
                  Hide
                </button>
              </form>
            ) : (
              <form method="post" action={`/admin/reviews/${r.id}/unhide`} class="inline-form">
                <CsrfField />
                <button class="button button-small" type="submit">
                  Show again
                </button>
              </form>
            )
          ) : null}
        </li>
      ))}
    </ul>
    <p class="muted">{result.total} reviews</p>
  </AdminLayout>
);
