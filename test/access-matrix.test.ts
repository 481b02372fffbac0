import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/index.ts';
import { CrawlRuns } from '../catalog/index.ts';
import { type TestUser, userWithRole } from './accounts.ts';
import { startApi } from './http.ts';
import { closeConnections } from './support.ts';

/**
 * Every route × every role (and anonymous). The table is written by hand, apart from the code
 * that declares the policies, so a wrong policy shows up here; the route list comes from the
 * app itself, so a route added without a row here fails the suite.
 */
type Role = 'shopper' | 'merchant' | 'operator' | 'admin';
const ROLES: Role[] = ['shopper', 'merchant', 'operator', 'admin'];
const PUBLIC = 'public';
const SIGNED_IN: Role[] = ROLES;
const ADMIN: Role[] = ['admin'];
const STAFF: Role[] = ['operator', 'admin'];
const SHOP_READERS: Role[] = ['merchant', 'operator', 'admin'];
const BUYERS: Role[] = ['shopper', 'admin'];
const MERCHANTS: Role[] = ['merchant', 'admin'];
const ORDER_PARTIES: Role[] = ['shopper', 'merchant', 'admin'];

const expected: Record<string, typeof PUBLIC | Role[]> = {
  'GET /healthz': PUBLIC,
  'GET /readyz': PUBLIC,
  'GET /metrics': STAFF,
  'POST /api/v1/auth/register': PUBLIC,
  'POST /api/v1/auth/login': PUBLIC,
  'POST /api/v1/auth/logout': PUBLIC,
  'GET /api/v1/auth/session': PUBLIC,
  'POST /api/v1/auth/token': PUBLIC,
  'GET /api/v1/account': SIGNED_IN,
  'PATCH /api/v1/account': SIGNED_IN,
  'POST /api/v1/account/password': SIGNED_IN,
  'GET /api/v1/account/sessions': SIGNED_IN,
  'DELETE /api/v1/account/sessions/:id': SIGNED_IN,
  'DELETE /api/v1/account/sessions': SIGNED_IN,
  'GET /api/v1/account/tokens': SIGNED_IN,
  'POST /api/v1/account/tokens': SIGNED_IN,
  'DELETE /api/v1/account/tokens/:id': SIGNED_IN,
  'GET /api/v1/account/addresses': SIGNED_IN,
  'POST /api/v1/account/addresses': SIGNED_IN,
  'PATCH /api/v1/account/addresses/:id': SIGNED_IN,
  'DELETE /api/v1/account/addresses/:id': SIGNED_IN,
  'GET /api/v1/users': ADMIN,
  'POST /api/v1/users': ADMIN,
  'GET /api/v1/users/:id': ADMIN,
  'PATCH /api/v1/users/:id': ADMIN,
  'POST /api/v1/users/:id/sign-out': ADMIN,
  'GET /api/v1/permissions': ADMIN,
  'GET /api/v1/roles': ADMIN,
  'POST /api/v1/roles': ADMIN,
  'PUT /api/v1/roles/:name/permissions': ADMIN,
  'DELETE /api/v1/roles/:name': ADMIN,
  'GET /api/v1/schema/site': PUBLIC,
  'GET /api/v1/sites': SHOP_READERS,
  'POST /api/v1/sites': STAFF,
  'GET /api/v1/sites/:name': SHOP_READERS,
  'PATCH /api/v1/sites/:name': STAFF,
  'PUT /api/v1/sites/:name/owner': ADMIN,
  'POST /api/v1/sites/:name/crawls': STAFF,
  'GET /api/v1/crawls': SHOP_READERS,
  'GET /api/v1/crawls/:id': SHOP_READERS,
  'POST /api/v1/crawls/:id/cancel': STAFF,
  'POST /api/v1/crawls/:id/pause': STAFF,
  'POST /api/v1/crawls/:id/resume': STAFF,
  'GET /api/v1/crawls/:id/live': SHOP_READERS,
  'GET /api/v1/crawls/:id/samples': SHOP_READERS,
  'GET /static/live.css': PUBLIC,
  'GET /admin/crawls/:id': SHOP_READERS,
  'POST /admin/crawls/:id/:action{pause|resume|cancel}': STAFF,
  'POST /admin/sites/:name/crawls': STAFF,
  'GET /api/v1/products': PUBLIC,
  'GET /api/v1/products/:id': PUBLIC,
  'POST /api/v1/extract/preview': STAFF,
  'GET /api/v1/openapi.json': PUBLIC,
  'GET /': PUBLIC,
  'GET /search': PUBLIC,
  'GET /product/:id': PUBLIC,
  'GET /api/docs': PUBLIC,
  'GET /static/trawl.css': PUBLIC,
  'GET /static/favicon.svg': PUBLIC,
  'GET /static/:name{[a-z-]+\\.js}': PUBLIC,
  'GET /login': PUBLIC,
  'POST /login': PUBLIC,
  'GET /register': PUBLIC,
  'POST /register': PUBLIC,
  'POST /logout': PUBLIC,
  'GET /account': SIGNED_IN,
  'POST /account/profile': SIGNED_IN,
  'POST /account/password': SIGNED_IN,
  'POST /account/addresses': SIGNED_IN,
  'POST /account/addresses/:id/default': SIGNED_IN,
  'POST /account/addresses/:id/delete': SIGNED_IN,
  'POST /account/sessions/:id/revoke': SIGNED_IN,
  'POST /account/sessions/revoke-others': SIGNED_IN,
  'POST /account/tokens': SIGNED_IN,
  'POST /account/tokens/:id/revoke': SIGNED_IN,
  'POST /account/top-up': BUYERS,
  'GET /api/v1/cart': PUBLIC,
  'POST /api/v1/cart/lines': PUBLIC,
  'PATCH /api/v1/cart/lines/:productId': PUBLIC,
  'DELETE /api/v1/cart/lines/:productId': PUBLIC,
  'POST /api/v1/checkout/quote': BUYERS,
  'POST /api/v1/checkout/orders': BUYERS,
  'GET /api/v1/orders': BUYERS,
  'GET /api/v1/merchant/orders': MERCHANTS,
  'GET /api/v1/admin/orders': ADMIN,
  'GET /api/v1/orders/:id': ORDER_PARTIES,
  'POST /api/v1/orders/:id/cancel': ORDER_PARTIES,
  'POST /api/v1/orders/:id/ship': ORDER_PARTIES,
  'POST /api/v1/orders/:id/deliver': ORDER_PARTIES,
  'POST /api/v1/orders/:id/complete': ORDER_PARTIES,
  'POST /api/v1/orders/:id/return': ORDER_PARTIES,
  'POST /api/v1/orders/:id/approve-return': ORDER_PARTIES,
  'POST /api/v1/orders/:id/reject-return': ORDER_PARTIES,
  'POST /api/v1/orders/:id/pay': BUYERS,
  'GET /api/v1/payments/:id': BUYERS,
  'POST /api/v1/payments/notify/:provider': PUBLIC,
  'GET /api/v1/account/wallet': SIGNED_IN,
  'POST /api/v1/account/wallet/top-ups': BUYERS,
  'GET /api/v1/payment-methods': ADMIN,
  'PATCH /api/v1/payment-methods/:code': ADMIN,
  'GET /api/v1/payment-configs': ADMIN,
  'PUT /api/v1/payment-configs/:provider': ADMIN,
  'GET /api/v1/payment-logs': ADMIN,
  'GET /api/v1/admin/products': MERCHANTS,
  'GET /api/v1/admin/products/:id': MERCHANTS,
  'PATCH /api/v1/admin/products/overrides': MERCHANTS,
  'POST /api/v1/admin/products/overrides/clear': MERCHANTS,
  'POST /api/v1/admin/products': MERCHANTS,
  'PUT /api/v1/admin/products/:id': MERCHANTS,
  'GET /api/v1/catalog-products/:id': PUBLIC,
  'PUT /api/v1/catalog-products/:id/watch': SIGNED_IN,
  'DELETE /api/v1/catalog-products/:id/watch': SIGNED_IN,
  'GET /api/v1/account/watches': SIGNED_IN,
  'GET /api/v1/account/alerts': SIGNED_IN,
  'POST /api/v1/account/alerts/read': SIGNED_IN,
  'GET /api/v1/admin/catalog-products/:id': ADMIN,
  'POST /api/v1/admin/offers/:id/split': ADMIN,
  'POST /api/v1/admin/catalog-products/:id/merge': ADMIN,
  'GET /api/v1/merchant/profile': MERCHANTS,
  'PUT /api/v1/merchant/profile': MERCHANTS,
  'GET /api/v1/merchant/shipping-methods': MERCHANTS,
  'POST /api/v1/merchant/shipping-methods': MERCHANTS,
  'PATCH /api/v1/merchant/shipping-methods/:id': MERCHANTS,
  'DELETE /api/v1/merchant/shipping-methods/:id': MERCHANTS,
  'GET /api/v1/promotions': ADMIN,
  'POST /api/v1/promotions': ADMIN,
  'GET /api/v1/promotions/:id': ADMIN,
  'PUT /api/v1/promotions/:id': ADMIN,
  'POST /api/v1/promotions/:id/publish': ADMIN,
  'POST /api/v1/promotions/:id/pause': ADMIN,
  'POST /api/v1/promotions/:id/resume': ADMIN,
  'POST /api/v1/promotions/:id/end': ADMIN,
  'GET /api/v1/promotions/:id/coupons': ADMIN,
  'POST /api/v1/promotions/:id/coupons': ADMIN,
  'GET /api/v1/membership/tiers': PUBLIC,
  'PUT /api/v1/membership/tiers/:code': ADMIN,
  'GET /api/v1/membership/settings': ADMIN,
  'PUT /api/v1/membership/settings': ADMIN,
  'GET /api/v1/membership/points-rules': ADMIN,
  'POST /api/v1/membership/points-rules': ADMIN,
  'PUT /api/v1/membership/points-rules/:id': ADMIN,
  'DELETE /api/v1/membership/points-rules/:id': ADMIN,
  'GET /api/v1/account/membership': BUYERS,
  'POST /api/v1/account/membership/tier': BUYERS,
  'POST /api/v1/coupons/:id/claim': BUYERS,
  'GET /api/v1/flash-sales/:id': PUBLIC,
  'POST /api/v1/flash-sales/:id/reservations': BUYERS,
  'GET /api/v1/group-buys/:id/groups': PUBLIC,
  'POST /api/v1/group-buys/:id/groups': BUYERS,
  'GET /api/v1/products/:id/promotions': PUBLIC,
  'POST /api/v1/orders/:id/refund-lines': MERCHANTS,
  'GET /api/v1/products/:id/reviews': PUBLIC,
  'POST /api/v1/order-lines/:id/review': BUYERS,
  'POST /api/v1/reviews/:id/helpful': BUYERS,
  'POST /api/v1/reviews/:id/reply': MERCHANTS,
  'GET /api/v1/admin/reviews': MERCHANTS,
  'POST /api/v1/reviews/:id/hide': ADMIN,
  'POST /api/v1/reviews/:id/unhide': ADMIN,
  'POST /flash-sales/:id/reserve': BUYERS,
  'POST /group-buys/:id/join': BUYERS,
  'POST /account/coupons/:id/claim': BUYERS,
  'POST /account/membership/tier': BUYERS,
  'POST /reviews/:id/helpful': BUYERS,
  'GET /orders/:number/lines/:lineId/review': BUYERS,
  'POST /orders/:number/lines/:lineId/review': BUYERS,
  'GET /admin/promotions': ADMIN,
  'GET /admin/promotions/new': ADMIN,
  'POST /admin/promotions': ADMIN,
  'GET /admin/promotions/:id{[0-9a-f-]{36}}': ADMIN,
  'POST /admin/promotions/:id{[0-9a-f-]{36}}': ADMIN,
  'POST /admin/promotions/:id{[0-9a-f-]{36}}/:action{publish|pause|resume|end}': ADMIN,
  'POST /admin/promotions/:id{[0-9a-f-]{36}}/coupons': ADMIN,
  'GET /admin/membership': ADMIN,
  'POST /admin/membership/tiers/:code': ADMIN,
  'POST /admin/membership/settings': ADMIN,
  'POST /admin/membership/points-rules': ADMIN,
  'POST /admin/membership/points-rules/:id/delete': ADMIN,
  'GET /admin/reviews': MERCHANTS,
  'POST /admin/reviews/:id/reply': MERCHANTS,
  'POST /admin/reviews/:id/hide': ADMIN,
  'POST /admin/reviews/:id/unhide': ADMIN,
  'GET /cart': PUBLIC,
  'POST /cart/add': PUBLIC,
  'POST /cart/lines/:productId': PUBLIC,
  'POST /cart/lines/:productId/remove': PUBLIC,
  'GET /checkout': BUYERS,
  'POST /checkout/refresh': BUYERS,
  'POST /checkout': BUYERS,
  'GET /orders': BUYERS,
  'GET /orders/:number': ORDER_PARTIES,
  'GET /orders/:number/pay': BUYERS,
  'POST /orders/:number/pay': BUYERS,
  'GET /pay/return': BUYERS,
  'GET /pay/:paymentId{[0-9a-f-]+}': BUYERS,
  'POST /orders/:number/:action{cancel|deliver|complete|return}': BUYERS,
  'GET /admin/products': MERCHANTS,
  'POST /admin/products/bulk': MERCHANTS,
  'GET /admin/products/new': MERCHANTS,
  'POST /admin/products/new': MERCHANTS,
  'GET /admin/products/:id{[0-9a-f-]+}': MERCHANTS,
  'POST /admin/products/:id{[0-9a-f-]+}/override': MERCHANTS,
  'POST /admin/products/:id{[0-9a-f-]+}/override/clear': MERCHANTS,
  'GET /admin/products/:id{[0-9a-f-]+}/edit': MERCHANTS,
  'POST /admin/products/:id{[0-9a-f-]+}/edit': MERCHANTS,
  'GET /admin': SHOP_READERS,
  'GET /admin/settings': ADMIN,
  'POST /admin/settings/:group{[a-z]+}': ADMIN,
  'GET /admin/users': ADMIN,
  'POST /admin/users': ADMIN,
  'POST /admin/users/:id{[0-9a-f-]+}': ADMIN,
  'POST /admin/users/:id{[0-9a-f-]+}/sign-out': ADMIN,
  'POST /admin/roles': ADMIN,
  'POST /admin/roles/new': ADMIN,
  'POST /admin/roles/:name{[a-z0-9_-]+}/delete': ADMIN,
  'GET /admin/payments': ADMIN,
  'POST /admin/payments/methods/:code{[a-z_]+}': ADMIN,
  'POST /admin/payments/configs/:provider{[a-z]+}': ADMIN,
  'GET /admin/sites': SHOP_READERS,
  'GET /admin/sites/new': STAFF,
  'POST /admin/sites/new': STAFF,
  'GET /admin/sites/:name{[^/]+}': SHOP_READERS,
  'POST /admin/sites/:name{[^/]+}/rules': STAFF,
  'POST /admin/sites/:name{[^/]+}/common': STAFF,
  'POST /admin/sites/:name{[^/]+}/preview': STAFF,
  'GET /admin/sites/:name{[^/]+}/versions/:version{[0-9]+}': SHOP_READERS,
  'POST /admin/sites/:name{[^/]+}/versions/:version{[0-9]+}/rollback': STAFF,
  'POST /product/:id/watch': SIGNED_IN,
  'POST /product/:id/unwatch': SIGNED_IN,
  'GET /account/alerts': SIGNED_IN,
  'POST /account/alerts/read': SIGNED_IN,
  'GET /admin/catalog/:id{[0-9a-f-]+}': ADMIN,
  'POST /admin/catalog/:id{[0-9a-f-]+}/merge': ADMIN,
  'POST /admin/catalog/offers/:id{[0-9a-f-]+}/split': ADMIN,
  'GET /admin/queues': ADMIN,
  'GET /admin/queues/*': ADMIN,
  'PUT /admin/queues/*': ADMIN,
  'POST /admin/queues/*': ADMIN,
  'PATCH /admin/queues/*': ADMIN,
  'DELETE /admin/queues/*': ADMIN,
  'GET /admin/orders': MERCHANTS,
  'GET /admin/orders/:number': MERCHANTS,
  'POST /admin/orders/:number/:action{cancel|ship|deliver|complete|approve-return|reject-return}': MERCHANTS,
  'GET /api/v1/admin/reports': ADMIN,
  'GET /api/v1/admin/reports/:report': ADMIN,
  'GET /admin/reports': ADMIN,
  'GET /admin/reports/:report': ADMIN,
};

/** The app's own route list: method and path of every handler (middleware excluded). */
function appRoutes(): string[] {
  const app = createApp({ runs: CrawlRuns.forRequests() });
  return [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))];
}

/** A concrete URL for a route pattern: ids that exist nowhere, names of nothing. */
function concrete(path: string): string {
  return path
    .replace(/\/roles\/:name\{[^}]+\}/, '/roles/no-such-role')
    .replace(/:group\{[^}]+\}/, 'orders')
    .replace(/:code\{[^}]+\}/, 'no_such_method')
    .replace(/:provider\{[^}]+\}/, 'nosuchprovider')
    .replace(/:version\{[^}]+\}/, '1')
    .replace(/:id\{\[0-9a-f-\]\{36\}\}/, randomUUID())
    .replace(/:lineId/, randomUUID())
    .replace(/:name\{[^}]+\}/, 'trawl.js')
    .replace(/:paymentId\{[^}]+\}/, randomUUID())
    .replace(/:action\{([a-z-]+)[^}]*\}/, '$1')
    .replace(/:provider/, 'alipay')
    .replace(/tiers\/:code/, 'tiers/no-such-tier')
    .replace(/:code/, 'no-such-method')
    .replace(/:number/, 'T000000-000000')
    .replace(/:report/, 'sales')
    .replace(/:productId/, randomUUID())
    .replace(/:id\{[^}]+\}/g, randomUUID())
    .replace(/:id/g, randomUUID())
    .replace(/:name/g, 'no-such-thing');
}

let api: Awaited<ReturnType<typeof startApi>>;
const users = {} as Record<Role, TestUser>;

beforeAll(async () => {
  api = await startApi();
  for (const role of ROLES) users[role] = await userWithRole(role);
});

afterAll(async () => {
  await api.close();
  await closeConnections();
});

describe('route × role access matrix', () => {
  const routes = appRoutes();

  it('has a row for every route of the app, and no row for a route that does not exist', () => {
    expect(
      routes.filter((route) => !(route in expected)),
      'routes without a row',
    ).toEqual([]);
    expect(
      Object.keys(expected).filter((route) => !routes.includes(route)),
      'rows without a route',
    ).toEqual([]);
  });

  for (const route of routes) {
    it(route, async () => {
      const [method, path] = route.split(' ') as [string, string];
      const isPage = !path.startsWith('/api/') && !['/healthz', '/readyz', '/metrics'].includes(path);
      const allowed = expected[route];
      const outcomes: Record<string, number> = {};
      for (const who of ['anonymous', ...ROLES] as const) {
        const headers: Record<string, string> = isPage
          ? { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }
          : { 'content-type': 'application/json' };
        if (who !== 'anonymous') headers.authorization = `Bearer ${users[who].token}`;
        const response = await fetch(`${api.url}${concrete(path)}`, {
          method,
          headers,
          redirect: 'manual',
          ...(method === 'GET' ? {} : { body: isPage ? '' : '{}' }),
        });
        await response.arrayBuffer();
        outcomes[who] = response.status;
        const permitted = allowed === PUBLIC || (who !== 'anonymous' && allowed?.includes(who));
        if (permitted) {
          expect([401, 403], `${who} must be let through ${route}`).not.toContain(response.status);
          expect(response.status, `${who} on ${route}`).toBeLessThan(500);
        } else if (who === 'anonymous') {
          if (isPage && method === 'GET') {
            expect(response.status, `anonymous on ${route}`).toBe(303);
            expect(response.headers.get('location')).toMatch(/^\/login\?next=/);
          } else expect(response.status, `anonymous on ${route}`).toBe(401);
        } else {
          expect(response.status, `${who} on ${route}`).toBe(403);
        }
      }
      expect(Object.keys(outcomes)).toHaveLength(5);
    });
  }
});
