import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestUser, userWithRole } from './accounts.ts';
import { startApi } from './http.ts';
import { closeConnections } from './support.ts';

const exec = promisify(execFile);

let api: Awaited<ReturnType<typeof startApi>>;
let operator: TestUser;
let credentialsDir: string;

beforeAll(async () => {
  api = await startApi();
  operator = await userWithRole('operator');
  credentialsDir = await mkdtemp(join(tmpdir(), 'trawl-credentials-'));
});

afterAll(async () => {
  await api.close();
  await closeConnections();
});

/** Runs the real CLI in a child process; resolves with its exit code and output. */
function trawl(args: string[], env: Record<string, string> = {}, stdin = '') {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('node', ['bin/trawl.mjs', ...args], {
      env: { ...process.env, TRAWL_CREDENTIALS: join(credentialsDir, 'none.json'), ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.stdin.end(stdin);
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** The CLI acting as the test operator, through the API. */
const asOperator = () => ({ TRAWL_API_URL: api.url, TRAWL_TOKEN: operator.token });

describe('trawl CLI', () => {
  it('prints usage and refuses unknown commands', async () => {
    expect((await trawl(['--help'])).stdout).toContain('trawl <command>');
    const unknown = await trawl(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });

  it('runs as the installed `trawl` command from any directory', async () => {
    const bin = join(process.cwd(), 'bin', 'trawl.mjs');
    const { stdout } = await exec(bin, ['--help'], { cwd: tmpdir(), timeout: 60_000 });
    expect(stdout).toContain('trawl <command>');
  });

  it('stops on a bad environment variable with one line naming it', async () => {
    const result = await trawl(['site', 'list'], { PORT: 'abc' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PORT="abc" is invalid');
    expect(result.stderr).not.toContain('    at ');
  });

  it('adds a site from a file, lists it, and refuses an invalid file with the failing fields', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trawl-cli-'));
    const good = join(dir, 'good.json');
    const bad = join(dir, 'bad.json');
    await writeFile(good, JSON.stringify({ name: 'cli-shop', startUrls: ['https://cli.example/'] }));
    await writeFile(bad, JSON.stringify({ name: 'cli shop', startUrls: [] }));

    const added = await trawl(['site', 'add', good], asOperator());
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('site "cli-shop" saved');

    const listed = await trawl(['site', 'list'], asOperator());
    expect(listed.stdout).toMatch(/cli-shop\s+https:\/\/cli\.example\//);

    const refused = await trawl(['site', 'add', bad], asOperator());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not a valid site definition');
    expect(refused.stderr).toMatch(/^\s+name: /m);
    expect(refused.stderr).toMatch(/^\s+startUrls: /m);

    const missing = await trawl(['site', 'add', join(dir, 'missing.json')], asOperator());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
  });

  it('refuses site and crawl commands without a token, saying how to sign in', async () => {
    const result = await trawl(['site', 'list'], { TRAWL_API_URL: api.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not signed in: run `trawl login`');
    const forbidden = await trawl(['site', 'add', '/dev/null'], {
      TRAWL_API_URL: api.url,
      TRAWL_TOKEN: 'trawl_pat_forged-token-0000',
    });
    expect(forbidden.code).toBe(2);
  });

  it('creates a user on the server, signs in with `trawl login`, stores the token privately, and logs out', async () => {
    const created = await trawl(['user', 'create', '--email', 'CLI.Admin@Example.com', '--role', 'admin']);
    expect(created.code, created.stderr).toBe(0);
    const password = /password \(shown once\): (\S+)/.exec(created.stdout)?.[1];
    expect(password).toBeTruthy();
    expect(created.stdout).toContain('created admin cli.admin@example.com');

    const credentials = join(credentialsDir, 'login.json');
    const env = { TRAWL_CREDENTIALS: credentials, TRAWL_API_URL: api.url };
    const wrong = await trawl(['login', '--email', 'cli.admin@example.com'], env, 'not the password\n');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('wrong email or password');

    const login = await trawl(['login', '--email', 'cli.admin@example.com'], env, `${password}\n`);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).not.toContain(password!);
    expect((await stat(credentials)).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(credentials, 'utf8')) as { token: string };
    expect(stored.token).toMatch(/^trawl_pat_/);

    const whoami = await trawl(['whoami'], { TRAWL_CREDENTIALS: credentials });
    expect(whoami.stdout).toContain('cli.admin@example.com (admin)');
    expect(whoami.stdout).toContain('users:manage');

    // TRAWL_TOKEN wins over the stored token.
    const asOperatorNow = await trawl(['whoami'], {
      TRAWL_CREDENTIALS: credentials,
      TRAWL_TOKEN: operator.token,
    });
    expect(asOperatorNow.stdout).toContain(`${operator.email} (operator)`);

    const logout = await trawl(['logout'], { TRAWL_CREDENTIALS: credentials });
    expect(logout.code).toBe(0);
    const revoked = await fetch(`${api.url}/api/v1/auth/session`, {
      headers: { authorization: `Bearer ${stored.token}` },
    });
    expect(revoked.status).toBe(401);
  });
});
