import { randomUUID } from 'node:crypto';
import { createToken, insertUser, type Permission, permissionsOfRole } from '../commerce/accounts/index.ts';
import type { Actor } from '../core/actor.ts';

export interface TestUser extends Actor {
  id: string;
  email: string;
  password: string;
  role: string;
  /** A personal API token with every permission of the role. */
  token: string;
}

/** A real user of the role, made through the accounts service, with an API token. */
export async function userWithRole(role: string, options: { scopes?: Permission[] } = {}): Promise<TestUser> {
  const email = `${role}-${randomUUID().slice(0, 8)}@test.example`;
  const password = `pw-${randomUUID()}`;
  const user = await insertUser({ email, password, role });
  const permissions = new Set(await permissionsOfRole(role));
  const { token } = await createToken(
    { id: user.id, permissions },
    { name: 'test', ...(options.scopes ? { scopes: options.scopes } : {}) },
  );
  return {
    id: user.id,
    userId: user.id,
    can: (p: string) => permissions.has(p as Permission),
    email,
    password,
    role,
    token,
  };
}

/** fetch against the API with JSON and, when given, a bearer token. */
export function apiClient(baseUrl: string, token?: string) {
  return (path: string, init: RequestInit = {}) =>
    fetch(`${baseUrl}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });
}

/** Signs in through the real login route; returns the session cookie and its CSRF token. */
export async function signInSession(
  baseUrl: string,
  email: string,
  password: string,
): Promise<{ cookie: string; csrfToken: string }> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie, csrfToken };
}

/** The user as services see them (an Actor): their id and their role's permissions now. */
export async function actorOf(user: { id: string; role: string }): Promise<Actor> {
  const permissions = new Set<string>(await permissionsOfRole(user.role));
  return { userId: user.id, can: (permission: string) => permissions.has(permission) };
}
