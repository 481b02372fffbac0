import type { MiddlewareHandler } from 'hono';
import { config } from '../core/config.ts';

/** Host names the API answers to: ALLOWED_HOSTS, or HOST, PUBLIC_URL's host and the loopback names. */
export function allowedHosts(): Set<string> {
  const settings = config();
  if (settings.ALLOWED_HOSTS) return new Set(settings.ALLOWED_HOSTS.map((h) => h.toLowerCase()));
  const hosts = new Set(['localhost', '127.0.0.1', '[::1]']);
  if (!['0.0.0.0', '::', '[::]'].includes(settings.HOST)) hosts.add(settings.HOST.toLowerCase());
  if (settings.PUBLIC_URL) hosts.add(new URL(settings.PUBLIC_URL).hostname.toLowerCase());
  return hosts;
}

/** The host name of a Host header value: "[::1]:3000" → "[::1]", "Shop.example:80" → "shop.example". */
export function hostName(header: string): string {
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(0, value.indexOf(']') + 1);
  const colon = value.lastIndexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

/**
 * Answers only to known host names. A web page on an attacker's domain that resolves to this
 * server (DNS rebinding) would otherwise be same-origin with the API and read it freely.
 */
export function hostAllowList(hosts: ReadonlySet<string> = allowedHosts()): MiddlewareHandler {
  const allowAny = hosts.has('*');
  return async (c, next) => {
    if (allowAny) return next();
    const header = c.req.header('host');
    if (!header || !hosts.has(hostName(header))) {
      return c.json(
        {
          error: `host "${header ?? ''}" is not served here (set ALLOWED_HOSTS or PUBLIC_URL)`,
          code: 'bad_host',
        },
        400,
      );
    }
    return next();
  };
}
