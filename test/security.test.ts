import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextScheduledRuns } from '../catalog/index.ts';
import { db } from '../core/db/index.ts';
import { apiClient, signInSession, type TestUser, userWithRole } from './accounts.ts';
import { startApi } from './http.ts';
import { closeConnections } from './support.ts';

/** Attacks from issue 10, each against the real API on loopback. */
let api: Awaited<ReturnType<typeof startApi>>;
let operator: TestUser;
let admin: TestUser;
let shopper: TestUser;

beforeAll(async () => {
  process.env.METRICS_TOKEN = 'metrics-token-for-the-test-0123';
  api = await startApi();
  [operator, admin, shopper] = await Promise.all([
    userWithRole('operator'),
    userWithRole('admin'),
    userWithRole('shopper'),
  ]);
  const asAdmin = apiClient(api.url, admin.token);
  const created = await asAdmin('/api/v1/sites', {
    method: 'POST',
    body: JSON.stringify({ name: 'csrf-target', startUrls: ['https://csrf.example/'] }),
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  delete process.env.METRICS_TOKEN;
  await api.close();
  await closeConnections();
});

describe('cross-site request forgery', () => {
  it('refuses a cookie-authenticated crawl start from another origin, with no body at all', async () => {
    const session = await signInSession(api.url, operator.email, operator.password);
    // What a hostile page's <form method=post> or fetch(..., {credentials: 'include'}) sends.
    const forged = await fetch(`${api.url}/api/v1/sites/csrf-target/crawls`, {
      method: 'POST',
      headers: { cookie: session.cookie, origin: 'https://evil.example' },
    });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: string }).error).toContain('cross-site');

    // Same origin but without the session's CSRF token: still refused.
    const noToken = await fetch(`${api.url}/api/v1/crawls/00000000-0000-4000-8000-000000000000/cancel`, {
      method: 'POST',
      headers: { cookie: session.cookie, origin: api.url },
    });
    expect(noToken.status).toBe(403);
    expect(((await noToken.json()) as { error: string }).error).toContain('CSRF token');

    const wrongToken = await fetch(`${api.url}/api/v1/crawls/00000000-0000-4000-8000-000000000000/cancel`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'x-csrf-token': `${session.csrfToken}x` },
    });
    expect(wrongToken.status).toBe(403);

    // With the token the request is let through (and then finds no such run).
    const honest = await fetch(`${api.url}/api/v1/crawls/00000000-0000-4000-8000-000000000000/cancel`, {
      method: 'POST',
      headers: { cookie: session.cookie, origin: api.url, 'x-csrf-token': session.csrfToken },
    });
    expect(honest.status).toBe(404);
    const target = await db().site.findUniqueOrThrow({ where: { name: 'csrf-target' } });
    expect(await db().crawlRun.count({ where: { siteId: target.id } })).toBe(0);
  });

  it('refuses a cross-site form post to a page, and a sign-in posted from another site', async () => {
    const session = await signInSession(api.url, shopper.email, shopper.password);
    const form = await fetch(`${api.url}/account/profile`, {
      method: 'POST',
      headers: {
        cookie: session.cookie,
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'cross-site',
        accept: 'text/html',
      },
      body: 'name=Mallory',
      redirect: 'manual',
    });
    expect(form.status).toBe(403);
    const login = await fetch(`${api.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ email: shopper.email, password: shopper.password }),
    });
    expect(login.status).toBe(403);
    // The honest form, with the token from the page, works.
    const ok = await fetch(`${api.url}/account/profile`, {
      method: 'POST',
      headers: {
        cookie: session.cookie,
        'content-type': 'application/x-www-form-urlencoded',
        origin: api.url,
      },
      body: `name=Alice&_csrf=${encodeURIComponent(session.csrfToken)}`,
      redirect: 'manual',
    });
    expect(ok.status).toBe(303);
  });
});

describe('host, CORS, headers', () => {
  it('answers only to allowed host names (DNS rebinding of the API itself)', async () => {
    const port = new URL(api.url).port;
    const status = await new Promise<number>((resolve, reject) => {
      request(
        { host: '127.0.0.1', port, path: '/api/v1/products', headers: { host: `attacker.example:${port}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      )
        .on('error', reject)
        .end();
    });
    expect(status).toBe(400);
  });

  it('sends no CORS permission to other origins', async () => {
    const preflight = await fetch(`${api.url}/api/v1/sites`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const read = await fetch(`${api.url}/api/v1/products`, { headers: { origin: 'https://evil.example' } });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
    expect(read.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('sends security headers on every response and a nonce-only script policy on pages', async () => {
    for (const path of ['/', '/api/v1/products', '/no-such-page', '/healthz']) {
      const response = await fetch(`${api.url}${path}`, { headers: { accept: 'text/html' } });
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
      expect(response.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
      const csp = response.headers.get('content-security-policy') ?? '';
      const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1] ?? '';
      expect(scriptSrc, path).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
      expect(scriptSrc, path).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
    }
    const page = await fetch(`${api.url}/`);
    const nonce = /'nonce-([^']+)'/.exec(page.headers.get('content-security-policy') ?? '')?.[1];
    const html = await page.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    // A second response has a different nonce.
    const again = await fetch(`${api.url}/`);
    expect(again.headers.get('content-security-policy')).not.toContain(nonce);
  });

  it('keeps /metrics private: METRICS_TOKEN or metrics:read only', async () => {
    expect((await fetch(`${api.url}/metrics`)).status).toBe(401);
    expect((await apiClient(api.url, shopper.token)('/metrics')).status).toBe(403);
    expect((await apiClient(api.url, 'wrong-metrics-token-0000000000')('/metrics')).status).toBe(401);
    const scrape = await apiClient(api.url, 'metrics-token-for-the-test-0123')('/metrics');
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).toContain('trawl_http_request_duration_seconds');
  });
});

describe('request bodies', () => {
  /** Sends `size` bytes, with or without a Content-Length; resolves with the status and the server's RSS growth. */
  async function oversized(path: string, size: number, chunked: boolean) {
    global.gc?.();
    const before = process.memoryUsage().rss;
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(path, api.url);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            authorization: `Bearer ${operator.token}`,
            'content-type': 'application/json',
            ...(chunked ? {} : { 'content-length': String(size) }),
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', () => {});
      let sent = 0;
      const pump = () => {
        while (sent < size) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      req.on('close', () => resolve(0));
      pump();
      setTimeout(() => reject(new Error('no answer')), 30_000).unref();
    });
    return { status, grownMb: (process.memoryUsage().rss - before) / 1024 / 1024 };
  }

  it('refuses a 60 MB body before reading it whole, with and without Content-Length', async () => {
    for (const chunked of [false, true]) {
      const { status, grownMb } = await oversized('/api/v1/sites', 60 * 1024 * 1024, chunked);
      expect(status, `chunked=${chunked}`).toBe(413);
      // The API runs in this process: had it buffered the body, RSS would have grown by 60 MB or more.
      expect(grownMb, `chunked=${chunked}`).toBeLessThan(40);
    }
  });

  it('refuses a 36 MB site definition with 20,000 globs', async () => {
    const site = {
      name: 'glob-bomb',
      startUrls: ['https://glob.example/'],
      include: Array.from({ length: 20_000 }, (_, i) => `/${'x'.repeat(1800)}/${i}/**`),
    };
    const response = await apiClient(api.url, operator.token)('/api/v1/sites', {
      method: 'POST',
      body: JSON.stringify(site),
    });
    expect(response.status).toBe(413);
    expect(await db().site.count({ where: { name: 'glob-bomb' } })).toBe(0);
  });
});

describe('site rules that need more than sites:write', () => {
  const site = (name: string, extra: Record<string, unknown>) =>
    JSON.stringify({ name, startUrls: ['https://rules.example/'], ...extra });

  it('allowPrivateNetwork and privateHosts need network:private', async () => {
    const asOperator = apiClient(api.url, operator.token);
    const open = await asOperator('/api/v1/sites', {
      method: 'POST',
      body: site('intranet', { allowPrivateNetwork: true }),
    });
    expect(open.status).toBe(403);
    expect(await open.json()).toMatchObject({ permission: 'network:private', field: 'allowPrivateNetwork' });
    const hosts = await asOperator('/api/v1/sites', {
      method: 'POST',
      body: site('intranet', { privateHosts: ['shop.internal'] }),
    });
    expect(hosts.status).toBe(403);
    expect(await hosts.json()).toMatchObject({ field: 'privateHosts' });
    expect(await db().site.count({ where: { name: 'intranet' } })).toBe(0);

    const asAdmin = apiClient(api.url, admin.token);
    const allowed = await asAdmin('/api/v1/sites', {
      method: 'POST',
      body: site('intranet', { allowPrivateNetwork: true }),
    });
    expect(allowed.status).toBe(201);
    // The operator may edit the site without taking the admin's decision away, but not widen it.
    const edit = await asOperator('/api/v1/sites/intranet', {
      method: 'PATCH',
      body: JSON.stringify({ title: 'Intranet shop' }),
    });
    expect(edit.status).toBe(200);
    const widen = await asOperator('/api/v1/sites/intranet', {
      method: 'PATCH',
      body: JSON.stringify({ privateHosts: ['other.internal'] }),
    });
    expect(widen.status).toBe(403);
  });

  it('politeness below the floors needs politeness:override; an admin may lift them', async () => {
    const asOperator = apiClient(api.url, operator.token);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ politeness: { minDelayMs: 0 } }, 'politeness.minDelayMs'],
      [{ politeness: { maxInFlightPerHost: 32 } }, 'politeness.maxInFlightPerHost'],
      [{ respectRobotsTxt: false }, 'respectRobotsTxt'],
      [{ schedule: '* * * * *' }, 'schedule'],
    ];
    for (const [extra, field] of cases) {
      const response = await asOperator('/api/v1/sites', { method: 'POST', body: site('impolite', extra) });
      expect(response.status, field).toBe(403);
      expect(await response.json(), field).toMatchObject({ permission: 'politeness:override', field });
    }
    const hourly = await asOperator('/api/v1/sites', {
      method: 'POST',
      body: site('polite', { schedule: '0 * * * *' }),
    });
    expect(hourly.status).toBe(201);
    const lifted = await apiClient(api.url, admin.token)('/api/v1/sites', {
      method: 'POST',
      body: site('impolite', { politeness: { minDelayMs: 0 }, respectRobotsTxt: false }),
    });
    expect(lifted.status).toBe(201);
  });

  it('a site created with a schedule is scheduled', async () => {
    const response = await apiClient(api.url, operator.token)('/api/v1/sites', {
      method: 'POST',
      body: site('nightly', { schedule: '0 3 * * *', timezone: 'Europe/Berlin' }),
    });
    const created = (await response.json()) as { id: string };
    expect(response.status, JSON.stringify(created)).toBe(201);
    const next = (await nextScheduledRuns()).get(created.id);
    expect(next).toBeInstanceOf(Date);
    expect(next!.getTime()).toBeGreaterThan(Date.now());
  });
});

describe('one active run per site', () => {
  it('lets exactly one of 20 simultaneous starts win', async () => {
    const asOperator = apiClient(api.url, operator.token);
    // A loopback start URL is admitted without a DNS lookup; with no crawler node the run stays active.
    const created = await apiClient(api.url, admin.token)('/api/v1/sites', {
      method: 'POST',
      body: JSON.stringify({
        name: 'race',
        startUrls: ['http://127.0.0.1:9/'],
        allowPrivateNetwork: true,
        respectRobotsTxt: false,
      }),
    });
    expect(created.status).toBe(201);
    const statuses = await Promise.all(
      Array.from(
        { length: 20 },
        async () => (await asOperator('/api/v1/sites/race/crawls', { method: 'POST' })).status,
      ),
    );
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const site = await db().site.findUniqueOrThrow({ where: { name: 'race' } });
    expect(await db().crawlRun.count({ where: { siteId: site.id } })).toBe(1);
  });
});
