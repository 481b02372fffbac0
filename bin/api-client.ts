import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { config } from '../core/config.ts';

/** A CLI failure with a message for the user and an exit code; no stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

const credentialsSchema = z.object({
  apiUrl: z.url(),
  token: z.string().min(10).max(200),
  email: z.string().optional(),
  tokenId: z.string().optional(),
  expiresAt: z.string().optional(),
});
export type Credentials = z.infer<typeof credentialsSchema>;

/** Where `trawl login` keeps its token: TRAWL_CREDENTIALS, or the user's config folder. */
export function credentialsPath(): string {
  if (process.env.TRAWL_CREDENTIALS) return process.env.TRAWL_CREDENTIALS;
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'trawl', 'credentials.json');
}

export async function loadCredentials(): Promise<Credentials | null> {
  let text: string;
  try {
    text = await readFile(credentialsPath(), 'utf8');
  } catch {
    return null;
  }
  const parsed = credentialsSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new CliError(`${credentialsPath()} is damaged: run \`trawl login\` again, or delete it`);
  return parsed.data;
}

/** Written readable by the owner only, and atomically (a crash never leaves half a file). */
export async function saveCredentials(credentials: Credentials): Promise<string> {
  const path = credentialsPath();
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
  return path;
}

export async function forgetCredentials(): Promise<void> {
  await rm(credentialsPath(), { force: true });
}

export function defaultApiUrl(): string {
  const settings = config();
  return settings.PUBLIC_URL ?? `http://127.0.0.1:${settings.PORT}`;
}

/** A small JSON client for the Trawl API; errors become CliErrors carrying the API's own message. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl.replace(/\/$/, '')}/api/v1${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
          'user-agent': 'trawl-cli',
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new CliError(
        `cannot reach the Trawl API at ${this.baseUrl} (${(error as Error).cause ?? (error as Error).message}); is it running? (TRAWL_API_URL sets where it is)`,
      );
    }
    const text = await response.text();
    const data = text ? (JSON.parse(text) as unknown) : undefined;
    if (response.ok) return data as T;
    const error = data as { error?: string; issues?: Array<{ path: string; message: string }> } | undefined;
    const message = error?.error ?? `HTTP ${response.status}`;
    if (response.status === 401)
      throw new CliError(`${message}: sign in with \`trawl login\`, or set TRAWL_TOKEN`, 1);
    throw new CliError(
      message,
      response.status === 400 ? 2 : 1,
      (error?.issues ?? []).map((issue) => `${issue.path}: ${issue.message}`),
    );
  }
}

/** The API client the site and crawl commands use: TRAWL_TOKEN (and TRAWL_API_URL) override `trawl login`. */
export async function apiFromEnvironment(): Promise<ApiClient> {
  const envToken = process.env.TRAWL_TOKEN;
  const envUrl = process.env.TRAWL_API_URL;
  if (envUrl && !z.url().safeParse(envUrl).success)
    throw new CliError(`TRAWL_API_URL="${envUrl}" is not a URL`);
  if (envToken)
    return new ApiClient(envUrl ?? (await loadCredentials())?.apiUrl ?? defaultApiUrl(), envToken);
  const stored = await loadCredentials();
  if (!stored) throw new CliError('not signed in: run `trawl login` (or set TRAWL_TOKEN to an API token)');
  return new ApiClient(envUrl ?? stored.apiUrl, stored.token);
}
