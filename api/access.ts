import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Permission } from '../commerce/accounts/index.ts';
import { ForbiddenError, UnauthenticatedError } from '../core/errors.ts';
import type { AppEnv } from './env.ts';

/**
 * Who may call a route: anyone, anyone signed in, or holders of any one of some permissions.
 * Every route declares one (deny by default): `authorize` refuses a route that has none.
 */
export type Policy =
  | { kind: 'public' }
  | { kind: 'signed-in' }
  | { kind: 'permission'; anyOf: readonly Permission[] };

const POLICY = Symbol('trawl.policy');

export type AccessTag = MiddlewareHandler<AppEnv> & { [POLICY]: Policy };

function tag(policy: Policy): AccessTag {
  // The tag itself does nothing: `authorize`, one middleware for the whole app, reads it.
  const middleware = (async (_c, next) => next()) as AccessTag;
  middleware[POLICY] = policy;
  return middleware;
}

export const access = {
  public: tag({ kind: 'public' }),
  signedIn: tag({ kind: 'signed-in' }),
  /** Holders of any one of the permissions; handlers narrow further (":own" permissions). */
  anyOf: (...anyOf: Permission[]): AccessTag => tag({ kind: 'permission', anyOf }),
};

export function policyOf(handler: unknown): Policy | undefined {
  return typeof handler === 'function' ? (handler as Partial<AccessTag>)[POLICY] : undefined;
}

/** The policy of the route this request reached: the first handler route it matched. */
export function routePolicy(c: Context): { matched: boolean; policy?: Policy } {
  const route = matchedRoutes(c).find((r) => r.method !== 'ALL');
  if (!route) return { matched: false };
  const policy = policyOf(route.handler);
  return policy ? { matched: true, policy } : { matched: true };
}

export function describePolicy(policy: Policy): string {
  if (policy.kind === 'public') return 'public';
  if (policy.kind === 'signed-in') return 'signed-in';
  return policy.anyOf.join(' or ');
}

/** Throws UnauthenticatedError / ForbiddenError unless the principal satisfies the policy. */
export function checkPolicy(c: Context<AppEnv>, policy: Policy): void {
  if (policy.kind === 'public') return;
  const principal = c.get('principal');
  if (!principal.signedIn) throw new UnauthenticatedError('sign in first');
  if (policy.kind === 'permission' && !principal.canAny(policy.anyOf))
    throw new ForbiddenError(`this needs the permission ${describePolicy(policy)}`, policy.anyOf[0]);
}

/**
 * The one check every request passes: the matched route must declare a policy, and the
 * principal must satisfy it. Unmatched requests fall through to the 404 handler.
 */
export const authorize: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { matched, policy } = routePolicy(c);
  if (matched) {
    if (!policy) throw new Error(`route ${c.req.method} ${c.req.path} declares no access policy`);
    checkPolicy(c, policy);
  }
  await next();
};

const authErrors = {
  401: { description: 'Not signed in, or the session or token is invalid or expired' },
  403: { description: 'Signed in without the permission this needs (or a cross-site request)' },
} as const;

/**
 * createRoute plus access: the policy runs as the route's first middleware (before any body is
 * validated), and the OpenAPI operation states its security schemes and permission.
 */
export function secureRoute<R extends RouteConfig>(config: R & { access: AccessTag }) {
  const { access: accessTag, ...route } = config;
  const policy = accessTag[POLICY];
  const isPublic = policy.kind === 'public';
  const description = `${route.description ? `${route.description}\n\n` : ''}**Access:** ${
    isPublic ? 'public' : policy.kind === 'signed-in' ? 'any signed-in user' : `\`${describePolicy(policy)}\``
  }`;
  return createRoute({
    ...route,
    description,
    middleware: [accessTag, ...(Array.isArray(route.middleware) ? route.middleware : [])],
    security: isPublic ? [] : [{ session: [] }, { bearer: [] }],
    'x-permission': isPublic ? 'public' : describePolicy(policy),
    responses: isPublic ? route.responses : { ...authErrors, ...route.responses },
  } as unknown as R);
}
