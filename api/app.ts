import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { cors } from 'hono/cors';
import { routePath } from 'hono/route';
import { secureHeaders } from 'hono/secure-headers';
import type { CrawlRuns } from '../catalog/index.ts';
import { AuthCache } from '../commerce/accounts/index.ts';
import { redirectOrigins } from '../commerce/payments/index.ts';
import { config } from '../core/config.ts';
import { isDatabaseUnavailable } from '../core/db/index.ts';
import { UnauthenticatedError, UnavailableError } from '../core/errors.ts';
import { logger } from '../core/logger.ts';
import { httpRequestDuration } from '../core/metrics.ts';
import { isRedisUnavailable } from '../core/redis.ts';
import { anonymousPage, type PageInfo, renderErrorPage } from '../dashboard/index.ts';
import { access, authorize } from './access.ts';
import { accountRoutes } from './account.ts';
import { adminPageRoutes } from './admin-pages.tsx';
import { adminProductPageRoutes } from './admin-product-pages.tsx';
import { adminProductRoutes } from './admin-products.ts';
import { authRoutes } from './auth.ts';
import { bodyLimit } from './body-limit.ts';
import { cartRoutes } from './cart.ts';
import { crawlPageRoutes } from './crawl-pages.tsx';
import { csrfProtection } from './csrf.ts';
import type { AppEnv } from './env.ts';
import { errorResponse } from './errors.ts';
import { extractRoutes } from './extract.ts';
import { healthRoutes, metricsRoutes } from './health.ts';
import { hostAllowList } from './hosts.ts';
import { authenticate } from './identity.ts';
import { liveRoutes } from './live.ts';
import { merchantRoutes } from './merchant.ts';
import { nonceSource } from './nonce.ts';
import { offerPageRoutes } from './offer-pages.tsx';
import { offerRoutes } from './offers.ts';
import { operatorRoutes } from './operator.ts';
import { orderRoutes } from './orders.ts';
import { pageInfo, pageRoutes } from './pages.tsx';
import { paymentRoutes } from './payments.ts';
import { promotionPageRoutes } from './promotion-pages.tsx';
import { promotionRoutes } from './promotions.ts';
import { BOARD_PATH, queuesBoardRoutes } from './queues-board.ts';
import { reportPageRoutes } from './report-pages.tsx';
import { reportRoutes } from './reports.ts';
import { reviewRoutes } from './reviews.ts';
import { shopPageRoutes } from './shop-pages.tsx';
import { storefrontRoutes } from './storefront.ts';
import { userRoutes } from './users.ts';

export const API_PREFIX = '/api/v1';

function onBoard(c: Context): boolean {
  return c.req.path.startsWith(`${BOARD_PATH}/`);
}

/** Routes that take page HTML (up to 5 MB) may have bodies this large; every other route BODY_LIMIT_BYTES. */
const LARGE_BODY_ROUTES = new Map([[`${API_PREFIX}/extract/preview`, 6 * 1024 * 1024]]);

/**
 * The whole HTTP surface: JSON API under /api/v1, pages at /, /healthz, /readyz, /metrics.
 * Every request passes the same chain: host check, security headers, CORS (closed unless
 * configured), body limit, authentication, CSRF, then the route's declared access policy.
 */
export function createApp(options: { runs: CrawlRuns; authCache?: AuthCache }) {
  const settings = config();
  const app = new OpenAPIHono<AppEnv>();
  const log = logger().child({ component: 'api' });

  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const route = routePath(c) || 'unmatched';
    httpRequestDuration.observe({ method: c.req.method, route, status: String(c.res.status) }, seconds);
    if (c.res.status >= 500)
      log.error({ method: c.req.method, path: c.req.path, status: c.res.status }, 'request failed');
  });
  app.use(hostAllowList());
  // Forms whose answer redirects to a payment provider's page (Chromium applies form-action to
  // redirects): their pages may send forms there. Set before the security headers are built.
  for (const path of ['/orders/:number/pay', '/account']) {
    app.use(path, async (c, next) => {
      c.set('formActionOrigins', await redirectOrigins());
      await next();
    });
  }
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        // Strict CSP: only scripts carrying this response's nonce run, and what they load.
        scriptSrc: [nonceSource, "'strict-dynamic'"],
        // bull-board's React page sets inline styles; no other page may.
        styleSrc: ["'self'", (c) => (onBoard(c) ? "'unsafe-inline'" : '')],
        // Product images are hot-linked from the shops.
        imgSrc: ["'self'", 'https:', 'http:', 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        // bull-board's page resolves its assets against <base href="/admin/queues/">.
        baseUri: [(c) => (onBoard(c) ? "'self'" : "'none'")],
        // A page may name more (the pay page's form is answered by a redirect to Alipay's cashier).
        formAction: ["'self'", (c) => (c.get('formActionOrigins') ?? []).join(' ')],
        frameAncestors: ["'none'"],
      },
      crossOriginResourcePolicy: 'same-site',
      referrerPolicy: 'strict-origin-when-cross-origin',
      strictTransportSecurity: settings.PUBLIC_URL?.startsWith('https:')
        ? 'max-age=31536000; includeSubDomains'
        : false,
      xFrameOptions: 'DENY',
    }),
  );
  if (settings.CORS_ORIGINS.length > 0) {
    const allowed = new Set(settings.CORS_ORIGINS);
    app.use(
      `${API_PREFIX}/*`,
      cors({
        origin: (origin) => (allowed.has(origin) ? origin : null),
        allowHeaders: ['authorization', 'content-type', 'x-csrf-token'],
        allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
        maxAge: 600,
      }),
    );
  }
  app.use(bodyLimit((path) => LARGE_BODY_ROUTES.get(path) ?? settings.BODY_LIMIT_BYTES));
  // Probes answer without looking up who asks: a liveness or readiness check must not depend on
  // Postgres to authenticate a caller. Their routes still declare their (public) access.
  app.route('/', healthRoutes());
  // One cache of verified credentials per app, kept in step with the other instances over Redis.
  const authCache = options.authCache ?? new AuthCache();
  void authCache.listen();
  app.use(authenticate(authCache));
  app.use(csrfProtection);
  app.use(authorize);
  app.route('/', metricsRoutes());

  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'trawl_session',
    description:
      'Browser session from POST /auth/login (HttpOnly, SameSite=Lax; "__Host-trawl_session" over https). Writes also need the X-CSRF-Token header.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'Personal API token (trawl_pat_…) from POST /account/tokens or `trawl login`.',
  });

  const api = new OpenAPIHono<AppEnv>();
  api.route('/', authRoutes());
  api.route('/', accountRoutes());
  api.route('/', userRoutes());
  api.route('/', operatorRoutes(options.runs));
  api.route('/', liveRoutes(options.runs).app);
  api.route('/', storefrontRoutes());
  api.route('/', extractRoutes());
  api.route('/', cartRoutes());
  api.route('/', orderRoutes());
  api.route('/', paymentRoutes());
  api.route('/', merchantRoutes());
  api.route('/', adminProductRoutes());
  api.route('/', promotionRoutes());
  api.route('/', reviewRoutes());
  api.route('/', offerRoutes());
  api.route('/', reportRoutes());
  app.route(API_PREFIX, api);
  // Registered by hand rather than with doc31() so that, like every route, it states its access.
  app.get(`${API_PREFIX}/openapi.json`, access.public, (c) =>
    c.json(
      app.getOpenAPI31Document({
        openapi: '3.1.0',
        servers: [{ url: new URL(c.req.url).origin }],
        info: {
          title: 'Trawl API',
          version: '1',
          description:
            'Accounts, crawl rules and runs, catalog search. Every operation states who may call it: its security schemes and its `x-permission`.',
        },
      }),
    ),
  );
  app.route('/', pageRoutes({ openApiUrl: `${API_PREFIX}/openapi.json` }));
  app.route('/', shopPageRoutes());
  app.route('/', adminProductPageRoutes());
  app.route('/', adminPageRoutes({ runs: options.runs }));
  app.route('/', crawlPageRoutes(options.runs));
  app.route('/', promotionPageRoutes());
  app.route('/', offerPageRoutes());
  app.route('/', queuesBoardRoutes());
  app.route('/', reportPageRoutes());

  app.notFound((c) =>
    wantsJson(c)
      ? c.json({ error: 'not found', code: 'not_found' }, 404)
      : c.html(renderErrorPage(404, undefined, safePageInfo(c)), 404),
  );
  app.onError((error, c) => {
    const mapped = errorResponse(
      isRedisUnavailable(error) || isDatabaseUnavailable(error)
        ? // Not "nothing was changed": the failure may follow a commit (a read for the reply).
          // Every write is safe to repeat: idempotency keys, or a 409 saying it is done already.
          new UnavailableError(
            'a service this needs is unreachable; try again shortly (repeating this request is safe)',
          )
        : error,
    );
    if (mapped.status === 503) log.warn({ err: error, path: c.req.path }, 'a dependency is unreachable');
    else if (mapped.status >= 500) log.error({ err: error, path: c.req.path }, 'unhandled error');
    for (const [name, value] of Object.entries(mapped.headers ?? {})) c.header(name, value);
    if (wantsJson(c)) return c.json(mapped.body, mapped.status);
    // A page that needs a signed-in user sends the browser to sign in, and back afterwards.
    if (error instanceof UnauthenticatedError && c.req.method === 'GET')
      return c.redirect(
        `/login?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search || ''))}`,
        303,
      );
    return c.html(
      renderErrorPage(mapped.status, mapped.status < 500 ? mapped.body.error : undefined, safePageInfo(c)),
      mapped.status,
    );
  });
  return app;
}

function wantsJson(c: Context): boolean {
  return c.req.path.startsWith('/api/') || !(c.req.header('accept') ?? '').includes('text/html');
}

/** Page info for an error page, even when the error came before authentication ran. */
function safePageInfo(c: Context<AppEnv>): PageInfo {
  return c.get('principal') ? pageInfo(c) : { ...anonymousPage, nonce: c.get('secureHeadersNonce') ?? '' };
}
