import { hostname } from 'node:os';
import { z } from 'zod';
import {
  ApiClient,
  apiFromEnvironment,
  CliError,
  credentialsPath,
  defaultApiUrl,
  forgetCredentials,
  loadCredentials,
  saveCredentials,
} from '../api-client.ts';
import { ask } from '../prompt.ts';

/**
 * `trawl login`: asks for an email and password, has the API create a personal token for this
 * machine, and stores it (readable by the owner only). TRAWL_TOKEN, when set, takes precedence.
 */
export async function loginCommand(options: { url?: string; email?: string }): Promise<number> {
  const apiUrl = options.url ?? process.env.TRAWL_API_URL ?? defaultApiUrl();
  if (!z.url().safeParse(apiUrl).success) throw new CliError(`"${apiUrl}" is not a URL`, 2);
  const email = options.email ?? (await ask('Email: '));
  const password = await ask('Password: ', { secret: true });
  const api = new ApiClient(apiUrl);
  const created = await api.request<{ token: string; id: string; expiresAt: string; scopes: string[] }>(
    'POST',
    '/auth/token',
    { email, password, name: `trawl CLI on ${hostname()}`.slice(0, 100) },
  );
  const path = await saveCredentials({
    apiUrl,
    token: created.token,
    email,
    tokenId: created.id,
    expiresAt: created.expiresAt,
  });
  process.stdout.write(
    `signed in to ${apiUrl} as ${email}; token stored in ${path} (expires ${created.expiresAt.slice(0, 10)})\n`,
  );
  return 0;
}

/** `trawl logout`: revokes the stored token at the API and forgets it. */
export async function logoutCommand(): Promise<number> {
  const stored = await loadCredentials();
  if (!stored) {
    process.stdout.write('not signed in\n');
    return 0;
  }
  if (stored.tokenId) {
    await new ApiClient(stored.apiUrl, stored.token)
      .request('DELETE', `/account/tokens/${stored.tokenId}`)
      .catch((error: unknown) =>
        process.stderr.write(`trawl: could not revoke the token: ${(error as Error).message}\n`),
      );
  }
  await forgetCredentials();
  process.stdout.write(`signed out; ${credentialsPath()} removed\n`);
  return 0;
}

/** `trawl whoami`: who the CLI acts as, and with which permissions. */
export async function whoamiCommand(json: boolean): Promise<number> {
  const api = await apiFromEnvironment();
  const me = await api.request<{
    signedIn: boolean;
    user: { email: string; role: string } | null;
    permissions: string[];
  }>('GET', '/auth/session');
  if (json) process.stdout.write(`${JSON.stringify(me, null, 2)}\n`);
  else if (!me.user) process.stdout.write('not signed in\n');
  else
    process.stdout.write(
      `${me.user.email} (${me.user.role}) at ${api.baseUrl}\n  ${me.permissions.join(' ')}\n`,
    );
  return 0;
}
