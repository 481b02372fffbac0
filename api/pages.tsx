import type { Context } from 'hono';
import { Hono } from 'hono';
import type { JSX } from 'hono/jsx/jsx-runtime';
import { z } from 'zod';
import {
  getListings,
  getProduct,
  purchaseProblem,
  purchaseProblemText,
  queryTokens,
  searchEngine,
  searchQuerySchema,
} from '../catalog/index.ts';
import {
  addAddress,
  changePassword,
  createToken,
  deleteAddress,
  endSession,
  getUser,
  listAddresses,
  listSessions,
  listTokens,
  register,
  revokeAllSessions,
  revokeSession,
  revokeToken,
  signIn,
  updateAddress,
  updateProfile,
} from '../commerce/accounts/index.ts';
import { cartQuantity } from '../commerce/cart/index.ts';
import { listTiers, memberStatus, pointsHistory } from '../commerce/membership/index.ts';
import { syncOpenTopUps } from '../commerce/orders/index.ts';
import { startProviderPayment, walletsOf } from '../commerce/payments/index.ts';
import {
  claimableCoupons,
  flashSaleState,
  myCoupons,
  openGroups,
  promotionsForListing,
} from '../commerce/promotions/index.ts';
import { listingReviews, ratingOf } from '../commerce/reviews/index.ts';
import { DomainError } from '../core/errors.ts';
import { money } from '../core/money.ts';
import { currentSettings } from '../core/settings.ts';
import {
  AccountPage,
  type AccountView,
  ApiDocsPage,
  type AuthFormState,
  favicon,
  HomePage,
  LoginPage,
  PageContext,
  type PageInfo,
  ProductPage,
  RegisterPage,
  renderErrorPage,
  SearchPage,
  scripts,
  searchInput,
  stylesheet,
} from '../dashboard/index.ts';
import { access } from './access.ts';
import { cartOwner, mergeCartAfterSignIn } from './cart.ts';
import type { AppEnv } from './env.ts';
import { clearSessionCookie, sessionToken, setSessionCookie } from './identity.ts';
import { renderOffersPage } from './offer-pages.tsx';
import { paymentUrls } from './orders.ts';
import { topUpSchema } from './payments.ts';

/** Items on the home page: two rows of the widest grid. */
const HOME_ITEMS = 12;

/** What the page templates need to know about this request. */
export function pageInfo(c: Context<AppEnv>): PageInfo {
  const principal = c.get('principal');
  return {
    nonce: c.get('secureHeadersNonce') ?? '',
    user: principal.user
      ? { email: principal.user.email, name: principal.user.name, role: principal.user.role }
      : null,
    csrfToken: principal.session?.csrfToken ?? null,
    links: {
      admin: adminNav(principal).length > 0,
      account: principal.can('account:manage'),
      merchant: principal.can('orders:read:own') && !principal.can('orders:read'),
      orders: principal.can('orders:place'),
    },
    adminNav: adminNav(principal),
    cartQuantity: 0,
    shopName: 'Trawl',
  };
}

/** The back-office sections a principal may open, each gated by the permissions its pages need. */
export function adminNav(principal: { can(permission: string): boolean }): PageInfo['adminNav'] {
  const any = (...permissions: string[]) => permissions.some((p) => principal.can(p));
  const entries: Array<[string, string, string, boolean]> = [
    [
      '/admin',
      'Home',
      'home',
      any(
        'reports:view',
        'orders:read',
        'orders:read:own',
        'sites:read',
        'sites:read:own',
        'products:manage',
        'products:manage:own',
      ),
    ],
    ['/admin/products', 'Products', 'products', any('products:manage', 'products:manage:own')],
    ['/admin/orders', 'Orders', 'orders', any('orders:read', 'orders:read:own')],
    ['/admin/promotions', 'Promotions', 'promotions', any('promotions:manage')],
    ['/admin/reviews', 'Reviews', 'reviews', any('reviews:moderate', 'reviews:reply')],
    ['/admin/payments', 'Payments', 'payments', any('payments:configure')],
    ['/admin/reports', 'Reports', 'reports', any('reports:view')],
    ['/admin/sites', 'Crawls', 'sites', any('sites:read', 'sites:read:own')],
    ['/admin/settings', 'Settings', 'settings', any('settings:manage')],
    ['/admin/users', 'Users and roles', 'users', any('users:manage', 'roles:manage')],
    ['/admin/queues', 'Queues', 'queues', any('queues:manage')],
  ];
  return entries
    .filter(([, , , allowed]) => allowed)
    .map(([href, label, section]) => ({ href, label, section }));
}

export async function render(
  c: Context<AppEnv>,
  element: JSX.Element,
  status: 200 | 400 | 401 | 403 | 404 | 409 | 429 | 503 = 200,
) {
  const owner = cartOwner(c, { create: false });
  const [quantity, settings] = await Promise.all([
    owner ? cartQuantity(owner) : 0,
    currentSettings().catch(() => null),
  ]);
  const info = { ...pageInfo(c), cartQuantity: quantity, shopName: settings?.shop.name ?? 'Trawl' };
  return c.html(<PageContext.Provider value={info}>{element}</PageContext.Provider>, status);
}

function issueText(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** Only a path on this site: "//evil.example" or "https://…" would make sign-in an open redirect. */
export function safeNext(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\'))
    return fallback;
  return next;
}

/** A form's text fields; empty ones are left out so optional fields stay unset. */
export async function formFields(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string' && value.trim() !== '' && name !== '_csrf') fields[name] = value;
  }
  return fields;
}

export function fieldMessages(error: z.ZodError): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const issue of error.issues) {
    const name = String(issue.path[0] ?? '');
    messages[name] ??= issue.message;
  }
  return messages;
}

function client(c: Context<AppEnv>) {
  return { ip: c.get('clientIp'), userAgent: c.req.header('user-agent') ?? null };
}

/**
 * The server-rendered pages: storefront (home, search, product), sign-in and registration,
 * the account page with its forms, API docs, and the few static assets. Every route states
 * who may see it; forms carry the session's CSRF token.
 */
export function pageRoutes(options: { openApiUrl: string }) {
  const app = new Hono<AppEnv>();

  app.get('/', access.public, async (c) => {
    const newest = await searchEngine().search(
      searchQuerySchema.parse({ sort: 'newest', pageSize: HOME_ITEMS }),
    );
    return render(c, <HomePage newest={newest} />);
  });

  app.get('/search', access.public, async (c) => {
    const parsed = searchQuerySchema.safeParse(searchInput(c.req.queries()));
    if (!parsed.success)
      return c.html(renderErrorPage(400, issueText(parsed.error.issues), pageInfo(c)), 400);
    const result = await searchEngine().search(parsed.data);
    return render(c, <SearchPage query={parsed.data} result={result} tokens={queryTokens(parsed.data.q)} />);
  });

  app.get('/product/:id', access.public, async (c) => {
    // A catalog product: every shop's offer compared. A listing id (carts, orders, the back
    // office link to one) shows that one listing.
    const offers = await renderOffersPage(
      c,
      c.req.param('id'),
      c.req.query('watch') === 'saved' ? { kind: 'ok', text: 'Watch saved.' } : undefined,
    );
    if (offers) return offers;
    const product = await getProduct(c.req.param('id'));
    if (!product) return c.html(renderErrorPage(404, undefined, pageInfo(c)), 404);
    const listing = (await getListings([product.id])).get(product.id);
    const problem = listing
      ? purchaseProblem(listing, (await currentSettings()).delivery.listingMaxAgeHours * 3_600_000)
      : 'gone';
    const buy = { buyable: problem === null, reason: problem ? purchaseProblemText[problem] : null };
    const principal = c.get('principal');
    const items = listing ? await promotionsForListing(listing) : [];
    const flash = items.find((p) => p.type === 'flash');
    const group = items.find((p) => p.type === 'group');
    const [flashState, groups, rating, reviews] = await Promise.all([
      flash ? flashSaleState(flash.id).catch(() => null) : null,
      group ? openGroups(group.id) : [],
      ratingOf(product.id),
      listingReviews(product.id, { sort: 'helpful', page: 1, pageSize: 10 }, principal.userId),
    ]);
    return render(
      c,
      <ProductPage
        product={product}
        buy={buy}
        promotions={{ items, flash: flashState, groups, canBuy: principal.can('orders:place') }}
        reviews={{
          rating,
          items: reviews.items,
          total: reviews.total,
          canVote: principal.can('orders:place'),
        }}
      />,
    );
  });

  app.get('/api/docs', access.public, async (c) =>
    render(c, <ApiDocsPage openApiUrl={options.openApiUrl} />),
  );

  const cached = { 'cache-control': 'public, max-age=3600' };
  app.get('/static/trawl.css', access.public, (c) =>
    c.body(stylesheet, 200, { ...cached, 'content-type': 'text/css; charset=utf-8' }),
  );
  app.get('/static/favicon.svg', access.public, (c) =>
    c.body(favicon, 200, { ...cached, 'content-type': 'image/svg+xml' }),
  );
  app.get('/static/:name{[a-z-]+\\.js}', access.public, (c) => {
    const script = scripts[c.req.param('name').slice(0, -3)];
    if (!script) return c.html(renderErrorPage(404, undefined, pageInfo(c)), 404);
    return c.body(script, 200, { ...cached, 'content-type': 'text/javascript; charset=utf-8' });
  });

  // Sign-in, registration, sign-out.
  app.get('/login', access.public, async (c) => {
    const next = safeNext(c.req.query('next'), '');
    if (c.get('principal').signedIn) return c.redirect(next || '/account', 303);
    return render(c, <LoginPage state={{ next }} />);
  });

  app.post('/login', access.public, async (c) => {
    const form = await formFields(c);
    const state: AuthFormState = { email: form.email ?? '', next: safeNext(form.next, '') };
    try {
      const { token, user } = await signIn(
        { email: form.email ?? '', password: form.password ?? '' },
        client(c),
      );
      setSessionCookie(c, token);
      await mergeCartAfterSignIn(c, user.id);
      return c.redirect(state.next || '/account', 303);
    } catch (error) {
      if (error instanceof z.ZodError)
        return render(c, <LoginPage state={{ ...state, error: 'Enter your email and password.' }} />, 400);
      if (error instanceof DomainError) {
        const status = error.status === 429 ? 429 : error.status === 403 ? 403 : 401;
        const message = error.status === 401 ? 'Wrong email or password.' : error.message;
        return render(c, <LoginPage state={{ ...state, error: message }} />, status);
      }
      throw error;
    }
  });

  app.get('/register', access.public, async (c) => {
    const next = safeNext(c.req.query('next'), '');
    if (c.get('principal').signedIn) return c.redirect(next || '/account', 303);
    return render(c, <RegisterPage state={{ next }} />);
  });

  app.post('/register', access.public, async (c) => {
    const form = await formFields(c);
    const state: AuthFormState = {
      email: form.email ?? '',
      name: form.name ?? '',
      next: safeNext(form.next, ''),
    };
    try {
      const { token, user } = await register(
        { email: form.email ?? '', password: form.password ?? '', ...(form.name ? { name: form.name } : {}) },
        client(c),
      );
      setSessionCookie(c, token);
      await mergeCartAfterSignIn(c, user.id);
      return c.redirect(state.next || '/account', 303);
    } catch (error) {
      if (error instanceof z.ZodError)
        return render(
          c,
          <RegisterPage
            state={{ ...state, fields: fieldMessages(error), error: 'Please correct the fields below.' }}
          />,
          400,
        );
      if (error instanceof DomainError)
        return render(
          c,
          <RegisterPage state={{ ...state, error: error.message }} />,
          error.status === 429 ? 429 : 409,
        );
      throw error;
    }
  });

  app.post('/logout', access.public, async (c) => {
    const token = sessionToken(c);
    if (token) await endSession(token);
    clearSessionCookie(c);
    return c.redirect('/', 303);
  });

  // The account page and its forms.
  const own = access.anyOf('account:manage');
  const accountView = async (c: Context<AppEnv>, extra: Partial<AccountView> = {}): Promise<AccountView> => {
    const principal = c.get('principal');
    const userId = principal.user!.id;
    const [user, addresses, sessions, tokens, wallets] = await Promise.all([
      getUser(userId),
      listAddresses(userId),
      listSessions(userId),
      listTokens(userId),
      walletsOf(userId),
    ]);
    const membership = principal.can('orders:place')
      ? await Promise.all([
          memberStatus(userId),
          listTiers(),
          pointsHistory(userId),
          myCoupons(userId),
          claimableCoupons(userId),
        ]).then(([status, tiers, history, coupons, claimable]) => ({
          status,
          tiers,
          history,
          coupons,
          claimable,
        }))
      : null;
    return {
      user,
      addresses,
      wallets,
      membership,
      canTopUp: principal.can('orders:place'),
      sessions: sessions.map((s) => ({ ...s, current: s.id === principal.session?.id })),
      tokens,
      ...extra,
    };
  };

  /** Runs a form action; success redirects back (so a reload does not repeat it), failure re-renders with the reasons. */
  const formAction =
    (
      section: string,
      action: (c: Context<AppEnv>, form: Record<string, string>) => Promise<string | undefined>,
    ) =>
    async (c: Context<AppEnv>) => {
      const form = await formFields(c);
      try {
        const done = await action(c, form);
        return c.redirect(`/account?done=${encodeURIComponent(done ?? section)}#${section}`, 303);
      } catch (error) {
        if (error instanceof z.ZodError) {
          const view = await accountView(c, {
            flash: { kind: 'error', text: 'Please correct the fields below.', section },
            fields: fieldMessages(error),
            values: form,
          });
          return render(c, <AccountPage view={view} />, 400);
        }
        if (error instanceof DomainError) {
          const field = 'field' in error && typeof error.field === 'string' ? error.field : undefined;
          const view = await accountView(c, {
            flash: { kind: 'error', text: error.message, section },
            ...(field ? { fields: { [field]: error.message } } : {}),
            values: form,
          });
          const status = ([400, 403, 409, 429] as const).find((s) => s === error.status) ?? 400;
          return render(c, <AccountPage view={view} />, status);
        }
        throw error;
      }
    };

  const doneMessages: Record<string, string> = {
    profile: 'Profile saved.',
    password: 'Password changed. Every other device was signed out.',
    addresses: 'Address book updated.',
    sessions: 'Signed out.',
    tokens: 'Token revoked.',
    topup: 'Thank you: your top-up is on its way and shows here once the payment is confirmed.',
    tier: 'Welcome to your new tier: its member prices apply from your next checkout.',
    coupon: 'Coupon claimed: it is in your coupons below, ready at checkout.',
  };

  app.get('/account', own, async (c) => {
    const done = c.req.query('done');
    // Back from paying a top-up: ask the provider rather than wait for its notification.
    if (done === 'topup') await syncOpenTopUps(c.get('principal').user!.id).catch(() => {});
    const text = done ? doneMessages[done] : undefined;
    const failed = c.req.query('failed')?.slice(0, 200);
    const section = done === 'tier' || done === 'coupon' ? 'membership' : done;
    const view = await accountView(
      c,
      failed
        ? { flash: { kind: 'error', text: failed, section: 'membership' } }
        : text && section
          ? { flash: { kind: 'ok', text, section } }
          : {},
    );
    return render(c, <AccountPage view={view} />);
  });

  app.post('/account/top-up', access.anyOf('orders:place'), async (c) => {
    const form = await formFields(c);
    try {
      const input = topUpSchema.parse({
        amount: form.amount ?? '',
        currency: form.currency ?? '',
        method: form.method ?? '',
      });
      const urls = paymentUrls(c, '/account?done=topup#balance');
      const payment = await startProviderPayment({
        purpose: 'topup',
        orderId: null,
        userId: c.get('principal').user!.id,
        method: input.method,
        amount: money(input.amount),
        currency: input.currency,
        subject: `Trawl balance top-up ${input.amount} ${input.currency}`,
        notifyUrl: `${urls.notifyBase}/${input.method}`,
        returnUrl: urls.returnUrl,
        expiresAt: new Date(Date.now() + 30 * 60_000),
      });
      if (payment.action?.kind === 'redirect') return c.redirect(payment.action.url, 303);
      return c.redirect(`/pay/${payment.id}`, 303);
    } catch (error) {
      if (!(error instanceof z.ZodError) && !(error instanceof DomainError)) throw error;
      const view = await accountView(c, {
        flash: {
          kind: 'error',
          text: error instanceof z.ZodError ? 'Please correct the fields below.' : error.message,
          section: 'balance',
        },
        ...(error instanceof z.ZodError ? { fields: fieldMessages(error) } : {}),
        values: form,
      });
      return render(c, <AccountPage view={view} />, 400);
    }
  });

  app.post(
    '/account/profile',
    own,
    formAction('profile', async (c, form) => {
      await updateProfile(c.get('principal').user!.id, {
        name: form.name ?? null,
        phone: form.phone ?? null,
      });
      return undefined;
    }),
  );

  app.post(
    '/account/password',
    own,
    formAction('password', async (c, form) => {
      const principal = c.get('principal');
      await changePassword(
        principal.user!,
        { currentPassword: form.currentPassword ?? '', newPassword: form.newPassword ?? '' },
        client(c),
        principal.session?.id,
      );
      return undefined;
    }),
  );

  app.post(
    '/account/addresses',
    own,
    formAction('addresses', async (c, form) => {
      const { isDefault, ...fields } = form;
      await addAddress(c.get('principal').user!.id, { ...fields, isDefault: isDefault === 'true' });
      return undefined;
    }),
  );

  app.post(
    '/account/addresses/:id/default',
    own,
    formAction('addresses', async (c) => {
      await updateAddress(c.get('principal').user!.id, z.uuid().parse(c.req.param('id')), {
        isDefault: true,
      });
      return undefined;
    }),
  );

  app.post(
    '/account/addresses/:id/delete',
    own,
    formAction('addresses', async (c) => {
      await deleteAddress(c.get('principal').user!.id, z.uuid().parse(c.req.param('id')));
      return undefined;
    }),
  );

  app.post(
    '/account/sessions/:id/revoke',
    own,
    formAction('sessions', async (c) => {
      await revokeSession(c.get('principal').user!.id, z.uuid().parse(c.req.param('id')));
      return undefined;
    }),
  );

  app.post(
    '/account/sessions/revoke-others',
    own,
    formAction('sessions', async (c) => {
      const principal = c.get('principal');
      await revokeAllSessions(principal.user!.id, principal.session?.id);
      return undefined;
    }),
  );

  // Creating a token answers with the page itself: the token is shown once and never put in a URL.
  app.post('/account/tokens', own, async (c) => {
    const form = await formFields(c);
    const principal = c.get('principal');
    try {
      const { token } = await createToken(
        { id: principal.user!.id, permissions: principal.permissions },
        { name: form.name ?? '', expiresInDays: Number(form.expiresInDays ?? '90') },
      );
      const view = await accountView(c, {
        newToken: token,
        flash: { kind: 'ok', text: 'Token created.', section: 'tokens' },
      });
      return render(c, <AccountPage view={view} />);
    } catch (error) {
      if (!(error instanceof z.ZodError) && !(error instanceof DomainError)) throw error;
      const view = await accountView(c, {
        flash: {
          kind: 'error',
          text: error instanceof z.ZodError ? 'Please correct the fields below.' : error.message,
          section: 'tokens',
        },
        ...(error instanceof z.ZodError ? { fields: fieldMessages(error) } : {}),
        values: { tokenName: form.name ?? '', expiresInDays: form.expiresInDays ?? '' },
      });
      return render(c, <AccountPage view={view} />, 400);
    }
  });

  app.post(
    '/account/tokens/:id/revoke',
    own,
    formAction('tokens', async (c) => {
      await revokeToken(c.get('principal').user!.id, z.uuid().parse(c.req.param('id')));
      return undefined;
    }),
  );

  return app;
}
