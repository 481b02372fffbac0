import { type Context, Hono } from 'hono';
import { z } from 'zod';
import {
  type CrawlRuns,
  createSite,
  getSite,
  listSites,
  listSiteVersions,
  nextScheduledRuns,
  replaceSiteRules,
  rollbackSite,
  siteSummaries,
} from '../catalog/index.ts';
import {
  createRole,
  createStaffUser,
  deleteRole,
  emailsOf,
  listRoles,
  listUsers,
  permissionCatalog,
  revokeAllSessions,
  setRolePermissions,
  updateUser,
} from '../commerce/accounts/index.ts';
import { backOfficeOverview } from '../commerce/overview/index.ts';
import {
  listPaymentConfigs,
  listPaymentLogs,
  listPaymentMethods,
  providerNames,
  setPaymentConfig,
  updatePaymentMethod,
} from '../commerce/payments/index.ts';
import { DomainError, NotFoundError, ValidationError } from '../core/errors.ts';
import {
  currentSettings,
  type SettingGroup,
  settingGroupNames,
  settingGroups,
  settingsHistory,
  updateSettings,
} from '../core/settings.ts';
import { extractionSchema } from '../core/site.ts';
import {
  AdminHomePage,
  type CommonRuleFields,
  type DiffLine,
  type Notice,
  PaymentsAdminPage,
  type PreviewView,
  type ProviderForm,
  type RuleIssue,
  type SettingField,
  type SettingGroupView,
  SettingsPage,
  SitePage,
  SitesPage,
  UsersPage,
  VersionDiffPage,
} from '../dashboard/index.ts';
import { access } from './access.ts';
import type { AppEnv } from './env.ts';
import { previewOnPage } from './extract.ts';
import { formFields, render } from './pages.tsx';
import { ruleDiff } from './rule-diff.ts';

const ok = (text: string): Notice => ({ kind: 'ok', text });
const failed = (text: string): Notice => ({ kind: 'error', text });

function issuesOf(error: unknown): RuleIssue[] {
  if (error instanceof z.ZodError)
    return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  if (error instanceof ValidationError)
    return error.issues.length ? error.issues : [{ path: '', message: error.message }];
  if (error instanceof DomainError)
    return [{ path: (error as { field?: string }).field ?? '', message: error.message }];
  throw error;
}

// ---------- settings ----------

const groupText: Record<SettingGroup, { title: string; description: string }> = {
  shop: { title: 'Basic', description: 'The shop’s name and defaults.' },
  orders: { title: 'Orders', description: 'How long unpaid and delivered orders wait.' },
  delivery: {
    title: 'Delivery',
    description: 'Shipping defaults, and how fresh a crawled listing must be to sell.',
  },
  payments: {
    title: 'Payments',
    description: 'Balance top-up limits. Methods and provider keys are under Payments.',
  },
  crawl: {
    title: 'Crawling',
    description: 'Defaults for new sites, and the politeness floors operators cannot go below.',
  },
};

const fieldLabels: Record<string, string> = {
  name: 'Shop name',
  defaultCurrency: 'Default currency',
  supportEmail: 'Support e-mail',
  paymentMinutes: 'Minutes to pay an order',
  autoCompleteDays: 'Days until a delivered order completes',
  defaultWeightG: 'Default listing weight (grams)',
  listingMaxAgeHours: 'Hours a crawled listing stays buyable',
  topUpMin: 'Smallest top-up',
  topUpMax: 'Largest top-up',
  floorMinDelayMs: 'Minimum delay between requests to a host (ms)',
  floorMaxInFlightPerHost: 'Most requests in flight to a host',
  floorScheduleMinutes: 'Shortest schedule interval (minutes)',
  defaultMaxConcurrency: 'Requests in flight per node, for new sites',
};

type AnySchema = z.ZodType & { description?: string; minValue?: number | null; maxValue?: number | null };

/** The form's fields, read off the group's zod schema: names, kinds, bounds and hints. */
function settingFields(
  group: SettingGroup,
  values: Record<string, unknown>,
  errors: Record<string, string>,
): SettingField[] {
  const shape = (settingGroups[group] as unknown as z.ZodObject).shape as Record<string, AnySchema>;
  return Object.entries(shape).map(([name, schema]) => {
    let inner: AnySchema = schema;
    let required = true;
    if (inner instanceof z.ZodNullable || inner instanceof z.ZodOptional) {
      required = false;
      inner = inner.unwrap() as AnySchema;
    }
    const isNumber = inner instanceof z.ZodNumber;
    const value = values[name];
    return {
      name,
      label: fieldLabels[name] ?? name,
      type: isNumber ? 'number' : inner instanceof z.ZodEmail ? 'email' : 'text',
      value: value === null || value === undefined ? '' : String(value),
      hint: schema.description ?? inner.description ?? null,
      required,
      ...(isNumber && inner.minValue !== null && Number.isFinite(inner.minValue)
        ? { min: inner.minValue }
        : {}),
      ...(isNumber && inner.maxValue !== null && Number.isFinite(inner.maxValue)
        ? { max: inner.maxValue }
        : {}),
      ...(errors[name] ? { error: errors[name] } : {}),
    };
  });
}

/** Form text to the group's types: numbers for number fields, null for an empty optional field. */
function settingInput(group: SettingGroup, form: Record<string, string>): Record<string, unknown> {
  const shape = (settingGroups[group] as unknown as z.ZodObject).shape as Record<string, AnySchema>;
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(shape)) {
    const text = form[name]?.trim() ?? '';
    const nullable = schema instanceof z.ZodNullable;
    const inner = nullable ? ((schema as z.ZodNullable).unwrap() as AnySchema) : schema;
    if (text === '') out[name] = nullable ? null : '';
    else out[name] = inner instanceof z.ZodNumber ? Number(text) : text;
  }
  return out;
}

async function settingsView(
  overrides: Partial<
    Record<SettingGroup, { values: Record<string, unknown>; errors: Record<string, string> }>
  > = {},
): Promise<SettingGroupView[]> {
  const [settings, history] = await Promise.all([currentSettings(), settingsHistory()]);
  const authors = await emailsOf(
    Object.values(history)
      .map((h) => h?.by)
      .filter((id): id is string => !!id),
  );
  return settingGroupNames.map((group) => {
    const override = overrides[group];
    const saved = history[group];
    return {
      group,
      ...groupText[group],
      fields: settingFields(
        group,
        override?.values ?? (settings[group] as Record<string, unknown>),
        override?.errors ?? {},
      ),
      savedAt: saved?.at ?? null,
      savedBy: saved?.by ? (authors.get(saved.by) ?? null) : null,
    };
  });
}

// ---------- payments ----------

const providerTitles: Record<string, string> = { alipay: 'Alipay', wechat: 'WeChat Pay' };
const providerFields: Record<string, Array<[string, string, boolean, boolean]>> = {
  // name, label, secret, multiline
  alipay: [
    ['appId', 'App ID', false, false],
    ['gateway', 'Gateway URL', false, false],
    ['alipayPublicKey', 'Alipay public key (PEM)', false, true],
    ['privateKey', 'App private key (PEM)', true, true],
    ['sandboxScanUrl', 'Sandbox scan page (sandbox only)', false, false],
  ],
  wechat: [
    ['mchId', 'Merchant ID (mchid)', false, false],
    ['appId', 'App ID', false, false],
    ['serialNo', 'Merchant certificate serial number', false, false],
    ['baseUrl', 'API base URL', false, false],
    ['platformPublicKey', 'WeChat Pay public key (PEM)', false, true],
    ['platformPublicKeyId', 'WeChat Pay public key ID', false, false],
    ['privateKey', 'Merchant private key (PEM)', true, true],
    ['apiV3Key', 'APIv3 key', true, false],
    ['sandboxScanUrl', 'Sandbox scan page (sandbox only)', false, false],
  ],
};

async function paymentsPage(
  c: Context<AppEnv>,
  notice: Notice,
  errors: Record<string, string> = {},
  typed: Record<string, Record<string, string>> = {},
  status: 200 | 400 = 200,
) {
  const provider = c.req.query('provider') || undefined;
  const [methods, configs, logs] = await Promise.all([
    listPaymentMethods(),
    listPaymentConfigs(),
    listPaymentLogs({ ...(provider ? { provider } : {}), limit: 50 }),
  ]);
  const providers: ProviderForm[] = providerNames.map((name) => {
    const config = configs.find((cfg) => cfg.provider === name) ?? null;
    return {
      provider: name,
      title: providerTitles[name] ?? name,
      config,
      fields: (providerFields[name] ?? []).map(([field, label, secret, multiline]) => ({
        name: field,
        label,
        secret,
        multiline,
        set: secret ? (config?.secretsSet.includes(field) ?? false) : false,
        value:
          typed[name]?.[field] ??
          (field === 'appId' ? (config?.appId ?? '') : (config?.settings[field] ?? '')),
      })),
    };
  });
  return render(
    c,
    <PaymentsAdminPage
      methods={methods}
      providers={providers}
      logs={logs}
      logFilter={{ provider }}
      notice={notice}
      errors={errors}
    />,
    status,
  );
}

// ---------- sites ----------

function commonFields(rules: Record<string, unknown>): CommonRuleFields {
  const politeness = (rules.politeness ?? {}) as Record<string, unknown>;
  const extraction = (rules.extraction ?? {}) as Record<string, unknown>;
  return {
    startUrls: ((rules.startUrls as string[] | undefined) ?? []).join('\n'),
    maxPages: String(rules.maxPages ?? ''),
    render: String(rules.render ?? 'http'),
    schedule: String(rules.schedule ?? ''),
    maxConcurrency: String(rules.maxConcurrency ?? ''),
    minDelayMs: String(politeness.minDelayMs ?? ''),
    respectRobotsTxt: rules.respectRobotsTxt !== false,
    extractionMode: String(extraction.mode ?? 'auto'),
    currency: String(extraction.currency ?? ''),
  };
}

/** Stored rules as the editor shows them: keys in a stable order, two-space indents. */
export function rulesJson(rules: unknown): string {
  const sort = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sort)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value as Record<string, unknown>)
              .sort(([a], [b]) => (a === 'name' ? -1 : b === 'name' ? 1 : a.localeCompare(b)))
              .map(([k, v]) => [k, sort(v)]),
          )
        : value;
  return JSON.stringify(sort(rules), null, 2);
}

function previewView(url: string, outcome: Awaited<ReturnType<typeof previewOnPage>>): PreviewView {
  if ('error' in outcome) return { url, fields: [], errors: [], problem: outcome.error };
  const product = (outcome.normalised ?? outcome.product ?? {}) as Record<string, unknown>;
  const order = [
    'title',
    'price',
    'currency',
    'availability',
    'sku',
    'gtin',
    'brand',
    'categoryPath',
    'images',
    'description',
  ];
  const fields = order
    .filter((f) => f in product || f in outcome.chosen)
    .map((field) => {
      const value = product[field];
      const text = Array.isArray(value)
        ? value.join(field === 'categoryPath' ? ' › ' : ', ')
        : value == null
          ? ''
          : String(value);
      const chosen =
        outcome.chosen[field] ?? (field === 'categoryPath' ? outcome.chosen.category : undefined);
      return {
        field,
        value: text.length > 300 ? `${text.slice(0, 300)}…` : text,
        source: chosen?.source ?? null,
        confidence: chosen?.confidence ?? null,
      };
    });
  return { url: outcome.url, fields, errors: outcome.errors, problem: null };
}

/**
 * The back office besides products and orders: home, settings, users and roles, payments, and
 * the crawl console (sites, rule editor, preview, versions). Every page and every form states
 * the permission it needs; forms post back and redirect, so a reload never repeats an action.
 */
export function adminPageRoutes(options: { runs: CrawlRuns }) {
  const app = new Hono<AppEnv>();

  // ----- home -----
  app.get(
    '/admin',
    access.anyOf(
      'reports:view',
      'orders:read',
      'orders:read:own',
      'sites:read',
      'sites:read:own',
      'products:manage',
      'products:manage:own',
    ),
    async (c) => {
      const p = c.get('principal');
      const staffOrders = p.can('orders:read');
      // As the reports scope it: a merchant granted reports:view still sees only its own shops.
      const ownShopsOnly = !staffOrders && p.can('orders:read:own');
      const platform = staffOrders || (p.can('reports:view') && !ownShopsOnly);
      const overview = await backOfficeOverview({
        merchantId: platform ? null : p.userId,
        orders: staffOrders || p.can('orders:read:own'),
        members: (p.can('reports:view') && !ownShopsOnly) || p.can('users:manage'),
        crawls: p.can('crawls:read') || p.can('crawls:read:own'),
        products: p.can('products:manage') || p.can('products:manage:own'),
      });
      const name = p.user?.name ?? p.user?.email ?? '';
      return render(c, <AdminHomePage overview={overview} greeting={`Welcome back, ${name}.`} />);
    },
  );

  // ----- settings -----
  const manageSettings = access.anyOf('settings:manage');
  app.get('/admin/settings', manageSettings, async (c) => {
    const saved = c.req.query('saved');
    return render(
      c,
      <SettingsPage
        groups={await settingsView()}
        notice={
          saved && saved in groupText ? ok(`${groupText[saved as SettingGroup].title} settings saved.`) : null
        }
      />,
    );
  });
  app.post('/admin/settings/:group{[a-z]+}', manageSettings, async (c) => {
    const group = c.req.param('group') as SettingGroup;
    if (!settingGroupNames.includes(group)) throw new NotFoundError('no such settings group');
    const form = await formFields(c);
    const input = settingInput(group, form);
    try {
      await updateSettings(group, input, { userId: c.get('principal').userId });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const errors = Object.fromEntries(
        error.issues.map((i) => [i.path.split('.').slice(1).join('.'), i.message]),
      );
      return render(
        c,
        <SettingsPage
          groups={await settingsView({ [group]: { values: input, errors } })}
          notice={failed(`${groupText[group].title} settings were not saved: see the fields marked below.`)}
        />,
        400,
      );
    }
    return c.redirect(`/admin/settings?saved=${group}#settings-${group}`, 303);
  });

  // ----- users and roles -----
  const usersOrRoles = access.anyOf('users:manage', 'roles:manage');
  const usersQuery = z.object({
    q: z.string().max(200).optional(),
    role: z.string().max(50).optional(),
    status: z.enum(['active', 'disabled']).optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
  });
  const usersPage = async (
    c: Context<AppEnv>,
    notice: Notice,
    created: { email: string; password: string } | null = null,
    status: 200 | 400 | 409 = 200,
  ) => {
    const p = c.get('principal');
    const query = usersQuery.parse(
      Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== '')),
    );
    const [users, roles] = await Promise.all([
      p.can('users:manage') ? listUsers({ ...query, pageSize: 50 }) : null,
      listRoles(),
    ]);
    return render(
      c,
      <UsersPage
        canManageUsers={p.can('users:manage')}
        canManageRoles={p.can('roles:manage')}
        query={query}
        users={users}
        roles={roles}
        permissions={Object.entries(permissionCatalog).map(([name, description]) => ({ name, description }))}
        notice={notice}
        created={created}
      />,
      status,
    );
  };
  const doneText: Record<string, string> = {
    user: 'User saved.',
    'sign-out': 'Signed out of every session.',
    matrix: 'Permissions saved. They apply from each user’s next request.',
    role: 'Role added.',
    deleted: 'Role deleted.',
  };
  app.get('/admin/users', usersOrRoles, async (c) => {
    const done = c.req.query('done');
    return usersPage(c, done && doneText[done] ? ok(doneText[done]) : null);
  });
  const manageUsers = access.anyOf('users:manage');
  const manageRoles = access.anyOf('roles:manage');
  const attempt = async (c: Context<AppEnv>, action: () => Promise<unknown>, done: string) => {
    try {
      await action();
    } catch (error) {
      if (!(error instanceof DomainError) && !(error instanceof z.ZodError)) throw error;
      const text =
        error instanceof z.ZodError ? error.issues.map((i) => i.message).join('; ') : error.message;
      return usersPage(
        c,
        failed(text),
        null,
        error instanceof DomainError && error.status === 409 ? 409 : 400,
      );
    }
    return c.redirect(`/admin/users?done=${done}`, 303);
  };
  app.post('/admin/users', manageUsers, async (c) => {
    const form = await formFields(c);
    try {
      const { user, password } = await createStaffUser({
        email: form.email ?? '',
        role: form.role ?? '',
        ...(form.name ? { name: form.name } : {}),
      });
      return usersPage(c, null, { email: user.email, password: password ?? '' });
    } catch (error) {
      if (!(error instanceof DomainError) && !(error instanceof z.ZodError)) throw error;
      const text =
        error instanceof z.ZodError
          ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
          : error.message;
      return usersPage(c, failed(`The account was not created: ${text}`), null, 400);
    }
  });
  app.post('/admin/users/:id{[0-9a-f-]+}', manageUsers, async (c) => {
    const form = await formFields(c);
    return attempt(
      c,
      () => updateUser(z.uuid().parse(c.req.param('id')), { role: form.role, status: form.status }),
      'user',
    );
  });
  app.post('/admin/users/:id{[0-9a-f-]+}/sign-out', manageUsers, async (c) =>
    attempt(c, () => revokeAllSessions(z.uuid().parse(c.req.param('id'))), 'sign-out'),
  );
  app.post('/admin/roles', manageRoles, async (c) => {
    const body = await c.req.parseBody({ all: true });
    const roles = await listRoles();
    return attempt(
      c,
      async () => {
        // Only the roles the form showed: a role added since keeps its grants, and an empty post changes nothing.
        const shown = new Set([body.roles ?? []].flat().filter((v): v is string => typeof v === 'string'));
        for (const role of roles) {
          if (role.name === 'admin' || !shown.has(role.name)) continue;
          const granted = [body[`grant:${role.name}`] ?? []]
            .flat()
            .filter((v): v is string => typeof v === 'string');
          await setRolePermissions(role.name, { permissions: granted });
        }
      },
      'matrix',
    );
  });
  app.post('/admin/roles/new', manageRoles, async (c) => {
    const form = await formFields(c);
    return attempt(
      c,
      () => createRole({ name: form.name ?? '', description: form.description ?? form.name ?? '' }),
      'role',
    );
  });
  app.post('/admin/roles/:name{[a-z0-9_-]+}/delete', manageRoles, async (c) =>
    attempt(c, () => deleteRole(c.req.param('name')), 'deleted'),
  );

  // ----- payments -----
  const configure = access.anyOf('payments:configure');
  app.get('/admin/payments', configure, async (c) => {
    const done = c.req.query('done');
    return paymentsPage(
      c,
      done === 'method'
        ? ok('Payment method saved.')
        : done
          ? ok(`${providerTitles[done] ?? done} saved.`)
          : null,
    );
  });
  app.post('/admin/payments/methods/:code{[a-z_]+}', configure, async (c) => {
    const form = await formFields(c);
    try {
      await updatePaymentMethod(c.req.param('code'), {
        name: form.name ?? '',
        description: form.description ?? '',
        enabled: form.enabled === '1',
        sortOrder: Number(form.sortOrder ?? 0),
      });
    } catch (error) {
      if (!(error instanceof DomainError) && !(error instanceof z.ZodError)) throw error;
      return paymentsPage(
        c,
        failed(
          `Not saved: ${error instanceof z.ZodError ? error.issues.map((i) => i.message).join('; ') : error.message}`,
        ),
        {},
        {},
        400,
      );
    }
    return c.redirect('/admin/payments?done=method', 303);
  });
  app.post('/admin/payments/configs/:provider{[a-z]+}', configure, async (c) => {
    const provider = c.req.param('provider') as (typeof providerNames)[number];
    if (!providerNames.includes(provider)) throw new NotFoundError('no such provider');
    const form = await formFields(c);
    try {
      await setPaymentConfig(provider, form);
    } catch (error) {
      if (!(error instanceof DomainError) && !(error instanceof z.ZodError)) throw error;
      const errors =
        error instanceof z.ZodError
          ? Object.fromEntries(error.issues.map((i) => [`${provider}.${i.path.join('.')}`, i.message]))
          : { [`${provider}.appId`]: error.message };
      const typed = {
        [provider]: Object.fromEntries(Object.entries(form).filter(([k]) => !/privateKey|apiV3Key/.test(k))),
      };
      return paymentsPage(
        c,
        failed(`${providerTitles[provider]} was not saved: see the fields marked below.`),
        errors,
        typed,
        400,
      );
    }
    return c.redirect(`/admin/payments?done=${provider}`, 303);
  });

  // ----- crawl console -----
  const readSites = access.anyOf('sites:read', 'sites:read:own');
  const writeSites = access.anyOf('sites:write');
  const visibleSite = async (c: Context<AppEnv>, name: string) => {
    const p = c.get('principal');
    const site = await getSite(name);
    if (!site || !(p.can('sites:read') || (p.can('sites:read:own') && site.ownerId === p.userId)))
      throw new NotFoundError(`no site "${name}"`);
    return site;
  };

  app.get('/admin/sites', readSites, async (c) => {
    const p = c.get('principal');
    const all = p.can('sites:read');
    const [summaries, next] = await Promise.all([
      siteSummaries(all ? {} : { ownerId: p.userId ?? '' }),
      nextScheduledRuns().catch(() => new Map<string, Date>()),
    ]);
    const sites = await listSites(all ? {} : { ownerId: p.userId ?? '' });
    const rulesById = new Map(sites.map((s) => [s.id, s.rules]));
    const owners = await emailsOf(summaries.map((s) => s.ownerId).filter((id): id is string => id !== null));
    const runs = await options.runs.list(
      summaries.map((s) => s.id),
      500,
    );
    const lastRun = new Map<string, (typeof runs)[number]>();
    for (const run of runs) if (!lastRun.has(run.siteId)) lastRun.set(run.siteId, run);
    const filter = c.req.query('status') ?? null;
    const rows = summaries
      .filter((s) =>
        filter === 'active'
          ? s.activeRunId !== null
          : filter === 'failed'
            ? s.lastRunStatus === 'failed'
            : true,
      )
      .map((s) => ({
        name: s.name,
        owner: s.ownerId ? (owners.get(s.ownerId) ?? null) : null,
        products: s.products,
        schedule: rulesById.get(s.id)?.schedule ?? null,
        nextRun: next.get(s.id) ?? null,
        lastRun: lastRun.get(s.id) ?? null,
        activeRunId: s.activeRunId,
      }));
    return render(
      c,
      <SitesPage
        sites={rows}
        canWrite={p.can('sites:write')}
        canRun={p.can('crawls:run')}
        filter={filter === 'active' || filter === 'failed' ? filter : null}
        notice={c.req.query('done') === 'deleted' ? ok('Site deleted.') : null}
      />,
    );
  });

  const template = rulesJson({
    name: 'my-shop',
    startUrls: ['https://shop.example/'],
    maxPages: 1000,
    render: 'http',
    politeness: { minDelayMs: 1000 },
    extraction: { mode: 'auto' },
  });

  const sitePage = async (
    c: Context<AppEnv>,
    name: string | null,
    state: {
      json?: string;
      issues?: RuleIssue[];
      note?: string;
      preview?: PreviewView | null;
      previewUrl?: string;
      notice?: Notice;
    } = {},
    status: 200 | 400 | 403 | 409 = 200,
  ) => {
    const p = c.get('principal');
    const site = name ? await visibleSite(c, name) : null;
    const [runs, versions] = site
      ? await Promise.all([options.runs.list(site.id, 10), listSiteVersions(site.name, 50)])
      : [[], []];
    let editing: Record<string, unknown> = (site?.rules as unknown as Record<string, unknown>) ?? {};
    if (state.json) {
      try {
        editing = JSON.parse(state.json);
      } catch {
        // The textarea keeps what was typed; the common form shows the stored rules.
      }
    }
    return render(
      c,
      <SitePage
        name={site?.name ?? ''}
        isNew={!site}
        canWrite={p.can('sites:write')}
        canRun={p.can('crawls:run')}
        canPreview={p.can('rules:preview')}
        json={state.json ?? (site ? rulesJson(site.rules) : template)}
        common={commonFields(editing)}
        issues={state.issues ?? []}
        note={state.note ?? ''}
        preview={state.preview ?? null}
        previewUrl={state.previewUrl ?? (site?.rules.startUrls[0] as string | undefined) ?? ''}
        runs={runs}
        versions={versions.map((v) => ({
          version: v.version,
          author: v.authorEmail,
          note: v.note,
          createdAt: v.createdAt,
        }))}
        notice={state.notice ?? null}
      />,
      status,
    );
  };

  app.get('/admin/sites/new', writeSites, (c) => sitePage(c, null));
  app.post('/admin/sites/new', writeSites, async (c) => {
    const form = await formFields(c);
    const json = form.rules ?? '';
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      return sitePage(
        c,
        null,
        { json, issues: [{ path: '', message: `not JSON: ${(error as Error).message}` }] },
        400,
      );
    }
    try {
      const site = await createSite(parsed, c.get('principal'), form.note);
      return c.redirect(`/admin/sites/${encodeURIComponent(site.name)}?done=created`, 303);
    } catch (error) {
      const issues = issuesOf(error);
      return sitePage(
        c,
        null,
        { json, issues, note: form.note ?? '' },
        error instanceof DomainError ? (error.status as 403 | 409) : 400,
      );
    }
  });

  const siteDone: Record<string, string> = {
    created: 'Site created.',
    saved: 'Saved as a new version. The next run uses it.',
    unchanged: 'Nothing changed: no new version.',
    rolledback: 'Rolled back. The next run uses these rules.',
  };
  app.get('/admin/sites/:name{[^/]+}', readSites, async (c) => {
    const done = c.req.query('done');
    return sitePage(c, c.req.param('name'), { notice: done && siteDone[done] ? ok(siteDone[done]) : null });
  });

  const save = async (c: Context<AppEnv>, name: string, json: string, note: string | undefined) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      return sitePage(
        c,
        name,
        { json, note: note ?? '', issues: [{ path: '', message: `not JSON: ${(error as Error).message}` }] },
        400,
      );
    }
    const before = (await listSiteVersions(name, 1))[0]?.version;
    try {
      await replaceSiteRules(name, parsed, c.get('principal'), note);
    } catch (error) {
      const issues = issuesOf(error);
      return sitePage(
        c,
        name,
        { json, note: note ?? '', issues },
        error instanceof DomainError ? (error.status as 403 | 409) : 400,
      );
    }
    const after = (await listSiteVersions(name, 1))[0]?.version;
    return c.redirect(
      `/admin/sites/${encodeURIComponent(name)}?done=${after === before ? 'unchanged' : 'saved'}`,
      303,
    );
  };

  app.post('/admin/sites/:name{[^/]+}/rules', writeSites, async (c) => {
    const name = c.req.param('name');
    await visibleSite(c, name);
    const form = await formFields(c);
    return save(c, name, form.rules ?? '', form.note);
  });

  app.post('/admin/sites/:name{[^/]+}/common', writeSites, async (c) => {
    const name = c.req.param('name');
    const site = await visibleSite(c, name);
    const form = await formFields(c);
    const rules = structuredClone(site.rules) as unknown as Record<string, unknown>;
    const number = (text: string | undefined) =>
      text === undefined || text.trim() === '' ? undefined : Number(text);
    rules.startUrls = (form.startUrls ?? '').split(/\s+/).filter(Boolean);
    rules.maxPages = number(form.maxPages);
    rules.render = form.render;
    rules.schedule = form.schedule?.trim() || undefined;
    rules.maxConcurrency = number(form.maxConcurrency);
    rules.respectRobotsTxt = form.respectRobotsTxt === '1';
    rules.politeness = { ...(rules.politeness as object), minDelayMs: number(form.minDelayMs) };
    const extraction: Record<string, unknown> = {
      ...(rules.extraction as Record<string, unknown>),
      mode: form.extractionMode,
    };
    if (form.currency?.trim()) extraction.currency = form.currency.trim().toUpperCase();
    else delete extraction.currency;
    rules.extraction = extraction;
    const cleaned = JSON.parse(JSON.stringify(rules));
    return save(c, name, rulesJson(cleaned), form.note);
  });

  app.post('/admin/sites/:name{[^/]+}/preview', access.anyOf('rules:preview'), async (c) => {
    const name = c.req.param('name');
    await visibleSite(c, name);
    const form = await formFields(c);
    const json = form.rules ?? '';
    const url = form.previewUrl?.trim() ?? '';
    let rules: unknown;
    try {
      rules = JSON.parse(json);
    } catch (error) {
      return sitePage(
        c,
        name,
        { json, previewUrl: url, issues: [{ path: '', message: `not JSON: ${(error as Error).message}` }] },
        400,
      );
    }
    const extraction = (rules as { extraction?: unknown })?.extraction;
    const request = z
      .object({ url: z.url({ protocol: /^https?$/ }).max(4000), rules: z.unknown() })
      .safeParse({ url, rules: extraction });
    if (!request.success)
      return sitePage(
        c,
        name,
        {
          json,
          previewUrl: url,
          issues: [{ path: 'previewUrl', message: 'a page address such as https://shop.example/p/1' }],
        },
        400,
      );
    try {
      const outcome = await previewOnPage(
        {
          url,
          site: name,
          ...(extraction !== undefined ? { rules: extractionSchema.parse(extraction) } : {}),
        },
        c.get('principal'),
      );
      return sitePage(c, name, { json, previewUrl: url, preview: previewView(url, outcome) });
    } catch (error) {
      const issues = issuesOf(error).map((i) => ({
        ...i,
        path: i.path ? `extraction.${i.path}` : 'extraction',
      }));
      return sitePage(c, name, { json, previewUrl: url, issues }, 400);
    }
  });

  app.get('/admin/sites/:name{[^/]+}/versions/:version{[0-9]+}', readSites, async (c) => {
    const name = c.req.param('name');
    const site = await visibleSite(c, name);
    const number = Number(c.req.param('version'));
    const versions = await listSiteVersions(site.name, 1000);
    const index = versions.findIndex((v) => v.version === number);
    if (index < 0) throw new NotFoundError(`site "${name}" has no version ${number}`);
    const current = versions[index]!;
    const previous = versions[index + 1];
    const lines: DiffLine[] = ruleDiff(previous ? rulesJson(previous.rules) : '', rulesJson(current.rules));
    return render(
      c,
      <VersionDiffPage
        name={site.name}
        version={current.version}
        against={previous?.version ?? null}
        current={index === 0}
        lines={lines}
        author={current.authorEmail}
        note={current.note}
        createdAt={current.createdAt}
        canWrite={c.get('principal').can('sites:write')}
      />,
    );
  });

  app.post('/admin/sites/:name{[^/]+}/versions/:version{[0-9]+}/rollback', writeSites, async (c) => {
    const name = c.req.param('name');
    await visibleSite(c, name);
    try {
      await rollbackSite(name, Number(c.req.param('version')), c.get('principal'));
    } catch (error) {
      if (error instanceof NotFoundError) throw error;
      return sitePage(
        c,
        name,
        { issues: issuesOf(error), notice: failed('The rollback was refused.') },
        error instanceof DomainError ? (error.status as 403) : 400,
      );
    }
    return c.redirect(`/admin/sites/${encodeURIComponent(name)}?done=rolledback`, 303);
  });

  return app;
}
