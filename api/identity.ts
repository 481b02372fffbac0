import { timingSafeEqual } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import {
  type AuthCache,
  authenticateSession,
  authenticateToken,
  Principal,
} from '../commerce/accounts/index.ts';
import { config } from '../core/config.ts';
import { UnauthenticatedError } from '../core/errors.ts';
import type { AppEnv } from './env.ts';

function isMetricsToken(presented: string): boolean {
  const expected = config().METRICS_TOKEN;
  if (!expected) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Secure cookies when configured, or when the public URL is https. */
export function secureCookies(): boolean {
  const settings = config();
  return settings.COOKIE_SECURE ?? settings.PUBLIC_URL?.startsWith('https:') ?? false;
}

/**
 * With Secure cookies the name takes the __Host- prefix: the browser then refuses it unless it
 * was set over https, for this exact host, with Path=/ (no subdomain can plant one).
 */
export function sessionCookieName(): string {
  return secureCookies() ? '__Host-trawl_session' : 'trawl_session';
}

export function setSessionCookie(c: Context, token: string): void {
  setCookie(c, sessionCookieName(), token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: secureCookies(),
    path: '/',
    maxAge: config().SESSION_MAX_DAYS * 86_400,
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, sessionCookieName(), { path: '/', secure: secureCookies() });
}

export function sessionToken(c: Context): string | undefined {
  return getCookie(c, sessionCookieName());
}

/** The client's address: the socket's, or the TRUST_PROXY-th address from the right of X-Forwarded-For. */
export function clientIp(c: Context): string {
  const hops = config().TRUST_PROXY;
  if (hops > 0) {
    const forwarded = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    const candidate = forwarded[forwarded.length - hops];
    if (candidate) return candidate;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Finds out who is asking. A bearer token must be valid (a wrong one is a 401, never a silent
 * fall-back to anonymous); a session cookie that is unknown or expired is dropped. Credentials
 * verified in the last few seconds come from `cache` (see commerce/accounts/auth-cache.ts).
 */
export const authenticate =
  (cache?: AuthCache): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    c.set('clientIp', clientIp(c));
    const authorization = c.req.header('authorization');
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      const principal = match
        ? isMetricsToken(match[1]!)
          ? Principal.service('prometheus', ['metrics:read'])
          : await authenticateToken(match[1]!, cache)
        : null;
      if (!principal) throw new UnauthenticatedError('the API token is invalid, expired or revoked');
      c.set('principal', principal);
      return next();
    }
    const token = sessionToken(c);
    const principal = token ? await authenticateSession(token, cache) : null;
    if (token && !principal) clearSessionCookie(c);
    c.set('principal', principal ?? Principal.anonymous);
    return next();
  };
