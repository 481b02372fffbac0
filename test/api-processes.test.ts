/**
 * `trawl api` with API_PROCESSES=2, through the real CLI: two processes answer on one port,
 * /metrics adds up what both counted, a process that dies is replaced while the other keeps
 * answering, and SIGTERM stops them all.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, insertUser, permissionsOfRole } from '../commerce/accounts/index.ts';
import { V8_FLAGS } from '../core/v8-flags.ts';
import { closeConnections } from './support.ts';

const metricsToken = randomBytes(24).toString('hex');
let primary: ChildProcess;
let base: string;
let token: string;

/** The live child processes of `pid`. */
function children(pid: number): number[] {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text ? text.split(' ').map(Number) : [];
}

/** A request on a connection of its own (no keep-alive), so the primary hands each to the next process. */
function request(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(`${base}${path}`, { agent: false, headers, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('timeout', function (this: ReturnType<typeof get>) {
        this.destroy(new Error(`${path}: no answer in 10 s`));
      })
      .on('error', reject);
  });
}

async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  const user = await insertUser({
    email: `processes-${Date.now()}@api-processes.test`,
    password: 'correct horse battery',
    role: 'shopper',
  });
  token = (
    await createToken(
      { id: user.id, permissions: new Set(await permissionsOfRole('shopper')) },
      { name: 'test' },
    )
  ).token;
  primary = spawn('node', [...V8_FLAGS, 'bin/trawl.mjs', 'api'], {
    env: {
      ...process.env,
      API_PROCESSES: '2',
      PORT: '0',
      HOST: '127.0.0.1',
      METRICS_TOKEN: metricsToken,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  base = await new Promise<string>((resolve, reject) => {
    primary.once('exit', (code) => reject(new Error(`trawl api exited with ${code} before it was ready`)));
    createInterface({ input: primary.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string; processes?: number };
      if (entry.msg === 'API and storefront listening') {
        expect(entry.processes).toBe(2);
        resolve(entry.url!);
      }
    });
  });
}, 60_000);

afterAll(async () => {
  if (primary.exitCode === null && primary.signalCode === null) primary.kill('SIGKILL');
  await closeConnections();
});

/** What the API's /metrics says for one counter series. */
async function metric(pattern: RegExp): Promise<number> {
  const { status, body } = await request('/metrics', { authorization: `Bearer ${metricsToken}` });
  expect(status).toBe(200);
  return Number(pattern.exec(body)?.[1] ?? Number.NaN);
}

describe('trawl api with API_PROCESSES=2', () => {
  it('answers from two processes on one port, and /metrics counts both', async () => {
    expect(children(primary.pid!)).toHaveLength(2);
    const answers = await Promise.all(Array.from({ length: 40 }, () => request('/healthz')));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const sessions = await Promise.all(
      Array.from({ length: 10 }, () => request('/api/v1/auth/session', { authorization: `Bearer ${token}` })),
    );
    expect(sessions.map((s) => s.status)).toEqual(Array(10).fill(200));
    // Every /healthz request is counted once, whichever process answered it.
    expect(
      await metric(
        /trawl_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} (\d+)/,
      ),
    ).toBe(40);
    // Each process reports its own CPU; the sum is more than either's.
    expect(await metric(/^trawl_process_cpu_seconds_total (\S+)$/m)).toBeGreaterThan(0);
  });

  it('replaces a process that dies, while the other keeps answering', async () => {
    const [victim, survivor] = children(primary.pid!);
    process.kill(victim!, 'SIGKILL');
    // Once the primary has seen it die (reaped it), the other answers every connection, and a
    // new process is on its way. (A connection handed over in the instant of the death is lost,
    // as one sent to any crashed server is: the client's timeout and retry cover it.)
    await waitFor(() => !children(primary.pid!).includes(victim!));
    for (let i = 0; i < 20; i++) expect((await request('/healthz')).status).toBe(200);
    await waitFor(() => {
      const now = children(primary.pid!);
      return now.length === 2 && now.includes(survivor!);
    });
    const answers = await Promise.all(Array.from({ length: 20 }, () => request('/readyz')));
    expect(answers.every((a) => a.status === 200)).toBe(true);
  });

  it('stops every process on SIGTERM', async () => {
    const pids = children(primary.pid!);
    const exited = new Promise<number | null>((resolve) => primary.once('exit', resolve));
    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});
