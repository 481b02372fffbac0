import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_LIMITS } from '../commerce/accounts/index.ts';
import { apiClient, signInSession, type TestUser, userWithRole } from './accounts.ts';
import { startApi } from './http.ts';
import { closeConnections } from './support.ts';

/** Sessions, throttling and the permission matrix through the real API, on two instances sharing Redis. */
let first: Awaited<ReturnType<typeof startApi>>;
let second: Awaited<ReturnType<typeof startApi>>;
let admin: TestUser;
let operator: TestUser;

beforeAll(async () => {
  [first, second] = await Promise.all([startApi(), startApi()]);
  [admin, operator] = await Promise.all([userWithRole('admin'), userWithRole('operator')]);
});

afterAll(async () => {
  await Promise.all([first.close(), second.close()]);
  await closeConnections();
});

const session = (base: string, cookie: string) =>
  fetch(`${base}/api/v1/auth/session`, { headers: { cookie } });

describe('sessions', () => {
  it('sets an HttpOnly, SameSite=Lax cookie and ends the session server-side on logout', async () => {
    const response = await fetch(`${first.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: operator.email, password: operator.password }),
    });
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^trawl_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    const cookie = setCookie.split(';')[0]!;
    const { csrfToken } = (await response.json()) as { csrfToken: string };
    // The session works on the other instance too: it lives in Postgres, not in a process.
    expect(((await (await session(second.url, cookie)).json()) as { signedIn: boolean }).signedIn).toBe(true);
    await fetch(`${first.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    // Replaying the old cookie signs nobody in.
    expect(((await (await session(second.url, cookie)).json()) as { signedIn: boolean }).signedIn).toBe(
      false,
    );
    expect((await fetch(`${first.url}/api/v1/account`, { headers: { cookie } })).status).toBe(401);
  });

  it('signs out everywhere, and an admin can sign a user out', async () => {
    const laptop = await signInSession(first.url, operator.email, operator.password);
    const phone = await signInSession(second.url, operator.email, operator.password);
    const everywhereElse = await fetch(`${first.url}/api/v1/account/sessions?keepCurrent=true`, {
      method: 'DELETE',
      headers: { cookie: laptop.cookie, 'x-csrf-token': laptop.csrfToken },
    });
    expect(((await everywhereElse.json()) as { ended: number }).ended).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${first.url}/api/v1/account`, { headers: { cookie: phone.cookie } })).status).toBe(
      401,
    );
    expect((await fetch(`${first.url}/api/v1/account`, { headers: { cookie: laptop.cookie } })).status).toBe(
      200,
    );

    const byAdmin = await apiClient(first.url, admin.token)(`/api/v1/users/${operator.id}/sign-out`, {
      method: 'POST',
    });
    expect(byAdmin.status).toBe(200);
    expect((await fetch(`${first.url}/api/v1/account`, { headers: { cookie: laptop.cookie } })).status).toBe(
      401,
    );
  });
});

describe('sign-in throttling across API instances', () => {
  it('counts failures on every instance and locks with a clear message and Retry-After', async () => {
    const victim = await userWithRole('shopper');
    const attempt = (base: string, password: string) =>
      fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: victim.email, password }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_LIMITS.perAccountAndIp; i++) {
      statuses.push((await attempt(i % 2 === 0 ? first.url : second.url, `guess number ${i}`)).status);
    }
    expect(statuses.slice(0, -1).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const locked = await attempt(second.url, victim.password);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(60);
    expect(((await locked.json()) as { error: string }).error).toMatch(
      /Too many failed sign-ins .* Try again in \d+ minutes/,
    );
  });
});

describe('the permission matrix is data', () => {
  it('takes a permission away from a role and gives it back, effective on the next request', async () => {
    const asAdmin = apiClient(first.url, admin.token);
    const asOperator = apiClient(second.url, operator.token);
    const before = (await (await asAdmin('/api/v1/roles')).json()) as {
      items: Array<{ name: string; permissions: string[] }>;
    };
    const operatorRole = before.items.find((r) => r.name === 'operator')!;
    expect(operatorRole.permissions).toContain('sites:read');
    expect((await asOperator('/api/v1/sites')).status).toBe(200);

    const narrowed = await asAdmin('/api/v1/roles/operator/permissions', {
      method: 'PUT',
      body: JSON.stringify({ permissions: operatorRole.permissions.filter((p) => p !== 'sites:read') }),
    });
    expect(narrowed.status).toBe(200);
    expect((await asOperator('/api/v1/sites')).status).toBe(403);

    await asAdmin('/api/v1/roles/operator/permissions', {
      method: 'PUT',
      body: JSON.stringify({ permissions: operatorRole.permissions }),
    });
    expect((await asOperator('/api/v1/sites')).status).toBe(200);
    const adminNarrowed = await asAdmin('/api/v1/roles/admin/permissions', {
      method: 'PUT',
      body: '{"permissions":[]}',
    });
    expect(adminNarrowed.status).toBe(400);
  });

  it('lets an admin create staff with a generated password shown once', async () => {
    const created = await apiClient(first.url, admin.token)('/api/v1/users', {
      method: 'POST',
      body: JSON.stringify({ email: 'New.Operator@Example.com', role: 'operator' }),
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { user: { email: string; role: string }; password: string };
    expect(body.user).toMatchObject({ email: 'new.operator@example.com', role: 'operator' });
    expect(body.password).toHaveLength(20);
    await expect(signInSession(first.url, 'new.operator@example.com', body.password)).resolves.toBeTruthy();
    const again = await apiClient(first.url, admin.token)('/api/v1/users', {
      method: 'POST',
      body: JSON.stringify({ email: 'new.operator@example.com', role: 'operator' }),
    });
    expect(again.status).toBe(409);
  });
});
