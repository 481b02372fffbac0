import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetPassword } from '../commerce/accounts/index.ts';
import { db } from '../core/db/index.ts';
import { apiClient, signInSession, type TestUser, userWithRole } from './accounts.ts';
import { startApi } from './http.ts';
import { closeConnections } from './support.ts';

/**
 * Each API instance keeps verified sessions and tokens for a few seconds (AUTH_CACHE_TTL_MS).
 * A revocation made on one instance must still refuse the very next request on another: here
 * one instance runs in this process and the other is a separate `trawl api` process, so what
 * reaches it is only what Redis carries. Each case first makes the other instance cache the
 * credential (a request that succeeds), then changes it on the first, then asks the second.
 */
let here: Awaited<ReturnType<typeof startApi>>;
let other: { url: string; process: ChildProcess };
let admin: TestUser;

async function startApiProcess(): Promise<{ url: string; process: ChildProcess }> {
  const port = 4100 + Math.floor(Math.random() * 800);
  const child = spawn('node', ['--import', 'tsx', 'bin/trawl.ts', 'api'], {
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the API process exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (i > 400) throw new Error('the API process did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, process: child };
}

beforeAll(async () => {
  [here, other, admin] = await Promise.all([startApi(), startApiProcess(), userWithRole('admin')]);
}, 60_000);

afterAll(async () => {
  other?.process.kill('SIGTERM');
  await new Promise((resolve) => other?.process.once('exit', resolve));
  await here?.close();
  await closeConnections();
});

const asAdmin = () => apiClient(here.url, admin.token);
const account = (base: string, init: { token?: string; cookie?: string }) =>
  fetch(`${base}/api/v1/account`, {
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.cookie ? { cookie: init.cookie } : {}),
    },
  });

/** Twice: the second answer on that instance comes from its cache. */
async function warm(base: string, init: { token?: string; cookie?: string }): Promise<void> {
  for (let i = 0; i < 2; i++) expect((await account(base, init)).status).toBe(200);
}

describe('the authentication cache across API instances', () => {
  it('refuses a revoked API token on the next request to another instance', async () => {
    const shopper = await userWithRole('shopper');
    await warm(other.url, { token: shopper.token });
    const listed = await apiClient(here.url, shopper.token)('/api/v1/account/tokens');
    const id = ((await listed.json()) as { items: Array<{ id: string }> }).items[0]!.id;
    expect(
      (await apiClient(here.url, shopper.token)(`/api/v1/account/tokens/${id}`, { method: 'DELETE' })).status,
    ).toBe(204);
    expect((await account(other.url, { token: shopper.token })).status).toBe(401);
    expect((await account(here.url, { token: shopper.token })).status).toBe(401);
  });

  it('signs a session out everywhere, on every instance, at once', async () => {
    const shopper = await userWithRole('shopper');
    const laptop = await signInSession(here.url, shopper.email, shopper.password);
    const phone = await signInSession(other.url, shopper.email, shopper.password);
    await warm(other.url, { cookie: laptop.cookie });
    await warm(other.url, { cookie: phone.cookie });
    const ended = await fetch(`${here.url}/api/v1/account/sessions`, {
      method: 'DELETE',
      headers: { cookie: laptop.cookie, 'x-csrf-token': laptop.csrfToken },
    });
    expect(ended.status).toBe(200);
    expect((await account(other.url, { cookie: phone.cookie })).status).toBe(401);
    expect((await account(other.url, { cookie: laptop.cookie })).status).toBe(401);
  });

  it('ends a session on logout for every instance', async () => {
    const shopper = await userWithRole('shopper');
    const session = await signInSession(here.url, shopper.email, shopper.password);
    await warm(other.url, { cookie: session.cookie });
    await fetch(`${here.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    });
    expect((await account(other.url, { cookie: session.cookie })).status).toBe(401);
  });

  it('applies a role change and a permission change on the next request to another instance', async () => {
    const operator = await userWithRole('operator');
    const sites = () => apiClient(other.url, operator.token)('/api/v1/sites');
    expect((await sites()).status).toBe(200);
    expect((await sites()).status).toBe(200);
    // The admin makes them a shopper: the token never has more than the role grants now.
    const demoted = await asAdmin()(`/api/v1/users/${operator.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ role: 'shopper' }),
    });
    expect(demoted.status).toBe(200);
    expect((await sites()).status).toBe(403);

    // A custom role loses a permission in the matrix.
    const role = `reader-${operator.id.slice(0, 8)}`;
    const made = await asAdmin()('/api/v1/roles', {
      method: 'POST',
      body: JSON.stringify({
        name: role,
        description: 'reads sites',
        permissions: ['sites:read', 'account:manage'],
      }),
    });
    expect(made.status).toBe(201);
    const reader = await userWithRole(role);
    const readerSites = () => apiClient(other.url, reader.token)('/api/v1/sites');
    expect((await readerSites()).status).toBe(200);
    expect((await readerSites()).status).toBe(200);
    const narrowed = await asAdmin()(`/api/v1/roles/${role}/permissions`, {
      method: 'PUT',
      body: JSON.stringify({ permissions: ['account:manage'] }),
    });
    expect(narrowed.status).toBe(200);
    expect((await readerSites()).status).toBe(403);
  });

  it('refuses a disabled user, and every session after a password reset', async () => {
    const shopper = await userWithRole('shopper');
    await warm(other.url, { token: shopper.token });
    const disabled = await asAdmin()(`/api/v1/users/${shopper.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'disabled' }),
    });
    expect(disabled.status).toBe(200);
    expect((await account(other.url, { token: shopper.token })).status).toBe(401);

    // A password reset from the command line (another process again) ends every session.
    const second = await userWithRole('shopper');
    const session = await signInSession(here.url, second.email, second.password);
    await warm(other.url, { cookie: session.cookie });
    await resetPassword(second.id, 'a brand new password 123');
    expect((await account(other.url, { cookie: session.cookie })).status).toBe(401);
  });

  it('never serves a credential past its own expiry', async () => {
    const shopper = await userWithRole('shopper');
    // Nobody announces an expiry: a cached entry must not outlive the token itself.
    await db().apiToken.updateMany({
      where: { userId: shopper.id },
      data: { expiresAt: new Date(Date.now() + 1000) },
    });
    await warm(other.url, { token: shopper.token });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await account(other.url, { token: shopper.token })).status).toBe(401);
  });
});
