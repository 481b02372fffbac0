import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { config } from '../core/config.ts';
import { ForbiddenError } from '../core/errors.ts';
import type { AppEnv } from './env.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

/** Origins a state-changing request may come from: this server's own, plus CORS_ORIGINS. */
function sameOrigin(c: Context, origin: string): boolean {
  const url = new URL(c.req.url);
  if (origin === url.origin) return true;
  const host = c.req.header('host');
  if (host && (origin === `http://${host}` || origin === `https://${host}`)) return true;
  const publicUrl = config().PUBLIC_URL;
  if (publicUrl && origin === new URL(publicUrl).origin) return true;
  return config().CORS_ORIGINS.includes(origin);
}

function equal(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

async function presentedToken(c: Context): Promise<string | undefined> {
  const header = c.req.header(CSRF_HEADER);
  if (header) return header;
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
    // parseBody caches the result, so the route reads the same form afterwards.
    const form = await c.req.parseBody();
    const value = form[CSRF_FIELD];
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

/**
 * Cross-site request forgery: a state-changing request is refused when the browser says it
 * came from another site (Origin, or Sec-Fetch-Site), and when it rides on a session cookie it
 * must also carry that session's CSRF token (header X-CSRF-Token or form field _csrf).
 * Requests with a bearer token carry no ambient credentials and need neither.
 */
export const csrfProtection: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (SAFE_METHODS.has(c.req.method)) return next();
  const principal = c.get('principal');
  if (principal.via === 'token') return next();
  const origin = c.req.header('origin');
  const fetchSite = c.req.header('sec-fetch-site');
  if (
    (origin && origin !== 'null' && !sameOrigin(c, origin)) ||
    origin === 'null' ||
    fetchSite === 'cross-site'
  )
    throw new ForbiddenError('cross-site request refused');
  if (principal.via === 'session') {
    const token = await presentedToken(c);
    if (!token || !equal(token, principal.session!.csrfToken))
      throw new ForbiddenError(
        `missing or wrong CSRF token: send the session's token in the ${CSRF_HEADER} header or the ${CSRF_FIELD} form field`,
      );
  }
  return next();
};
