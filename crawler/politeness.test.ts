import { randomUUID } from 'node:crypto';
import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectiveDelayMs, HostGate, parseRetryAfter, politenessSchema } from './politeness.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Timer and loopback jitter allowed on measured gaps. */
const TOLERANCE_MS = 5;

interface Hit {
  start: number;
  end: number;
}

let server: Server;
let base: string;
let hits: Hit[] = [];
let inFlight = 0;
let maxSeenInFlight = 0;
/** Answers for the next requests (status, headers); 200 when empty. */
let script: Array<{ status: number; headers?: Record<string, string> }> = [];
let responseMs: [number, number] = [5, 10];
const connections: Redis[] = [];

function connect(): Redis {
  const redis = new Redis(REDIS_URL);
  connections.push(redis);
  return redis;
}

function reset(): void {
  hits = [];
  inFlight = 0;
  maxSeenInFlight = 0;
  script = [];
}

/** A fresh key space per test, under the run's prefix so test setup clears it. */
function prefix(): string {
  return `${process.env.QUEUE_PREFIX ?? 'trawltest'}:politeness-${randomUUID()}`;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const hit: Hit = { start: performance.now(), end: 0 };
    hits.push(hit);
    inFlight++;
    maxSeenInFlight = Math.max(maxSeenInFlight, inFlight);
    const answer = script.shift() ?? { status: 200 };
    const [min, max] = responseMs;
    setTimeout(
      () => {
        inFlight--;
        hit.end = performance.now();
        res.writeHead(answer.status, answer.headers).end(req.url);
      },
      min + Math.random() * (max - min),
    );
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  // The first fetches of a process open sockets and compile undici: tens of ms of dispatch
  // lag that would show up as two requests arriving together. Warm up before measuring.
  await Promise.all(Array.from({ length: 8 }, () => fetch(`${base}/warm-up`).then((r) => r.text())));
  const gate = new HostGate(connect(), { prefix: prefix() });
  await gate.release('warm-up', (await gate.acquire('warm-up', { maxInFlight: 1, minDelayMs: 0 })).token);
  await gate.report('warm-up', { status: 200 });
});

afterAll(async () => {
  await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** `nodes` gates, each with `workers` concurrent loops, fetching `total` pages from one host. */
async function crawl(options: {
  nodes: number;
  workers: number;
  total: number;
  maxInFlight: number;
  minDelayMs: number;
}): Promise<void> {
  const keys = prefix();
  const host = `host-${randomUUID()}`;
  const gates = Array.from({ length: options.nodes }, () => new HostGate(connect(), { prefix: keys }));
  let remaining = options.total;
  const worker = async (gate: HostGate) => {
    while (remaining > 0) {
      remaining--;
      const { token } = await gate.acquire(host, options);
      try {
        const response = await fetch(`${base}/page`);
        await response.text();
        await gate.report(host, { status: response.status, retryAfter: response.headers.get('retry-after') });
      } finally {
        await gate.release(host, token);
      }
    }
  };
  await Promise.all(gates.flatMap((gate) => Array.from({ length: options.workers }, () => worker(gate))));
}

/**
 * Notes when this process stopped running (GC, the OS scheduling others on a busy machine).
 * Server and "nodes" share the process, so a stall can delay the server's clock reading of
 * one request but not the next: such gaps say nothing about the gate.
 */
function watchStalls(): () => Array<[number, number]> {
  const ticks: number[] = [performance.now()];
  const timer = setInterval(() => ticks.push(performance.now()), 1);
  return () => {
    clearInterval(timer);
    ticks.push(performance.now());
    const stalls: Array<[number, number]> = [];
    for (let i = 1; i < ticks.length; i++) {
      if (ticks[i]! - ticks[i - 1]! > 1 + TOLERANCE_MS) stalls.push([ticks[i - 1]!, ticks[i]!]);
    }
    return stalls;
  };
}

/**
 * Consecutive request starts closer than `minDelayMs` (less the tolerance) at the server,
 * split into those a stall of this process explains and those it does not.
 */
function tooClose(minDelayMs: number, stalls: Array<[number, number]>) {
  const starts = hits.map((h) => h.start).sort((a, b) => a - b);
  const close = starts.slice(1).flatMap((b, i) => {
    const a = starts[i]!;
    return b - a < minDelayMs - TOLERANCE_MS ? [{ a, b }] : [];
  });
  const explained = close.filter(({ a, b }) =>
    stalls.some(([from, to]) => to >= a - minDelayMs && from <= b),
  );
  const shortest = close.filter((c) => !explained.includes(c)).map(({ a, b }) => Math.round(b - a));
  return {
    gaps: starts.length - 1,
    explained: explained.length,
    unexplained: close.length - explained.length,
    shortest,
  };
}

function startGaps(): number[] {
  const starts = hits.map((h) => h.start).sort((a, b) => a - b);
  return starts.slice(1).map((start, i) => start - starts[i]!);
}

/** Most requests the server was handling at once, from the recorded intervals. */
function maxConcurrentAtServer(): number {
  const events = hits.flatMap((h) => [
    { t: h.start, d: 1 },
    { t: h.end, d: -1 },
  ]);
  // Ends before starts at the same instant: a slot freed and reused is not an overlap.
  events.sort((a, b) => a.t - b.t || a.d - b.d);
  let current = 0;
  let max = 0;
  for (const e of events) {
    current += e.d;
    max = Math.max(max, current);
  }
  return max;
}

describe('HostGate across nodes', () => {
  it('two nodes never exceed the host limits at the server', async () => {
    reset();
    responseMs = [20, 60];
    const stalls = watchStalls();
    await crawl({ nodes: 2, workers: 6, total: 40, maxInFlight: 2, minDelayMs: 30 });
    const close = tooClose(30, stalls());
    expect(hits).toHaveLength(40);
    expect(maxConcurrentAtServer()).toBeLessThanOrEqual(2);
    expect(maxSeenInFlight).toBeLessThanOrEqual(2);
    expect(close.unexplained, `gaps ${close.shortest.join(', ')} ms`).toBe(0);
    expect(close.explained).toBeLessThanOrEqual(close.gaps / 10);
  });

  it('four nodes share a concurrency limit and use all of it', async () => {
    reset();
    responseMs = [30, 60];
    await crawl({ nodes: 4, workers: 5, total: 60, maxInFlight: 3, minDelayMs: 0 });
    expect(hits).toHaveLength(60);
    expect(maxConcurrentAtServer()).toBe(3);
    expect(maxSeenInFlight).toBe(3);
  });

  it('four nodes keep request starts minDelayMs apart', async () => {
    reset();
    responseMs = [1, 5];
    const stalls = watchStalls();
    await crawl({ nodes: 4, workers: 4, total: 30, maxInFlight: 8, minDelayMs: 50 });
    const close = tooClose(50, stalls());
    expect(hits).toHaveLength(30);
    expect(close.unexplained, `gaps ${close.shortest.join(', ')} ms`).toBe(0);
    expect(close.explained).toBeLessThanOrEqual(close.gaps / 10);
    const gaps = startGaps();
    // Polling at most every 250 ms: the host is not left idle much longer than the delay.
    expect(gaps.reduce((a, b) => a + b, 0) / gaps.length).toBeLessThan(150);
  });
});

describe('HostGate backoff', () => {
  it('obeys Retry-After on a 429', async () => {
    reset();
    responseMs = [1, 2];
    script = [{ status: 429, headers: { 'retry-after': '1' } }];
    await crawl({ nodes: 2, workers: 2, total: 3, maxInFlight: 1, minDelayMs: 0 });
    const starts = hits.map((h) => h.start).sort((a, b) => a - b);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(1000 - TOLERANCE_MS);
    expect(starts[1]! - starts[0]!).toBeLessThan(1500);
  });

  it('backs off exponentially on consecutive 503s and resets on success', async () => {
    reset();
    responseMs = [1, 2];
    script = [{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }];
    const gate = new HostGate(connect(), { prefix: prefix(), backoffBaseMs: 50 });
    const host = 'backoff.test';
    const reports = [];
    for (let i = 0; i < 6; i++) {
      const { token } = await gate.acquire(host, { maxInFlight: 1, minDelayMs: 0 });
      const response = await fetch(`${base}/page`);
      await response.text();
      reports.push(await gate.report(host, { status: response.status }));
      await gate.release(host, token);
    }
    expect(reports.map((r) => r.backoffMs)).toEqual([50, 100, 200, 400, 0, 0]);
    expect(reports.map((r) => r.failures)).toEqual([1, 2, 3, 4, 0, 0]);
    const gaps = startGaps();
    for (const [i, expected] of [50, 100, 200, 400].entries()) {
      expect(gaps[i]).toBeGreaterThanOrEqual(expected - TOLERANCE_MS);
      expect(gaps[i]).toBeLessThan(expected + 150);
    }
    expect(gaps[4]).toBeLessThan(50);
  });

  it('caps the backoff and counts connection errors', async () => {
    const gate = new HostGate(connect(), { prefix: prefix(), backoffBaseMs: 100 });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      delays.push((await gate.report('cap.test', { error: true }, { maxBackoffMs: 300 })).backoffMs);
    }
    expect(delays).toEqual([100, 200, 300, 300, 300]);
    const state = await gate.state('cap.test');
    expect(state).toMatchObject({ failures: 5, backoffMs: 300, inFlight: 0 });
    expect(state.nextAllowedInMs).toBeGreaterThan(200);
    expect(state.nextAllowedInMs).toBeLessThanOrEqual(300);
    // 404s are answers: the host is fine.
    expect(await gate.report('cap.test', { status: 404 })).toMatchObject({ failures: 0, backoffMs: 0 });
  });
});

describe('HostGate leases', () => {
  it('frees the slot of a node that died holding it once the lease expires', async () => {
    const keys = prefix();
    const deadRedis = connect();
    const dead = new HostGate(deadRedis, { prefix: keys, leaseMs: 400 });
    const settings = { maxInFlight: 1, minDelayMs: 0 };
    await dead.acquire('lease.test', settings);
    deadRedis.disconnect(); // Never releases, like a node killed with kill -9.
    const alive = new HostGate(connect(), { prefix: keys });
    const { waitedMs } = await alive.acquire('lease.test', settings);
    expect(waitedMs).toBeGreaterThanOrEqual(300);
    expect(waitedMs).toBeLessThan(1200);
  });

  it('gives up waiting when aborted and leaks no slot', async () => {
    const gate = new HostGate(connect(), { prefix: prefix() });
    const settings = { maxInFlight: 1, minDelayMs: 0 };
    const first = await gate.acquire('abort.test', settings);
    await expect(gate.acquire('abort.test', settings, AbortSignal.timeout(100))).rejects.toThrow();
    await gate.release('abort.test', first.token);
    const second = await gate.acquire('abort.test', settings, AbortSignal.timeout(1000));
    expect(second.waitedMs).toBeLessThan(500);
    expect((await gate.state('abort.test')).inFlight).toBe(1);
    await gate.release('abort.test', second.token);
    const shutdown = new AbortController();
    for (let i = 0; i < 20; i++) {
      const { token } = await gate.acquire('abort.test', settings, shutdown.signal);
      await gate.release('abort.test', token);
    }
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
  });

  it('serves local waiters in arrival order', async () => {
    const gate = new HostGate(connect(), { prefix: prefix() });
    const settings = { maxInFlight: 1, minDelayMs: 0 };
    const order: number[] = [];
    const first = await gate.acquire('fifo.test', settings);
    const waiting = [1, 2, 3].map((n) =>
      gate.acquire('fifo.test', settings).then(async ({ token }) => {
        order.push(n);
        await gate.release('fifo.test', token);
      }),
    );
    await gate.release('fifo.test', first.token);
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
  });
});

describe('HostGate grants', () => {
  it('grants waiters up to the free slots in one round trip when there is no delay', async () => {
    const redis = connect();
    const gate = new HostGate(redis, { prefix: prefix() });
    const settings = { maxInFlight: 4, minDelayMs: 0 };
    // Loads the script, so NOSCRIPT retries do not count below.
    await gate.release('batch.test', (await gate.acquire('batch.test', settings)).token);
    let evalCalls = 0;
    const send = redis.sendCommand.bind(redis);
    redis.sendCommand = ((command: { name: string }) => {
      if (command.name === 'evalsha') evalCalls++;
      return send(command as never);
    }) as typeof redis.sendCommand;
    const granted: string[] = [];
    let scriptsForFirstFour = 0;
    let releaseOnGrant = false;
    const waiting = Array.from({ length: 10 }, () =>
      gate.acquire('batch.test', settings).then(async ({ token }) => {
        granted.push(token);
        if (granted.length === 4) scriptsForFirstFour = evalCalls;
        if (releaseOnGrant) await gate.release('batch.test', token);
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    // Four slots filled by one script, where one per waiter would take four; by the time the
    // fourth waiter's callback runs, the pump may have asked for the fifth already.
    expect(granted).toHaveLength(4);
    expect(scriptsForFirstFour).toBeLessThanOrEqual(2);
    expect((await gate.state('batch.test')).inFlight).toBe(4);
    // Reporting an outcome with `release` frees the slot in the same script.
    await gate.report('batch.test', { status: 200 }, { release: granted[0]! });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(granted).toHaveLength(5);
    releaseOnGrant = true;
    for (const token of granted.slice(1)) await gate.release('batch.test', token);
    await Promise.all(waiting);
    expect(granted).toHaveLength(10);
    expect((await gate.state('batch.test')).inFlight).toBe(0);
  });

  it('starts one request per delay window even with many local waiters', async () => {
    const gate = new HostGate(connect(), { prefix: prefix() });
    const settings = { maxInFlight: 10, minDelayMs: 100 };
    const times: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 4 }, () =>
        gate.acquire('spaced.test', settings).then(async ({ token }) => {
          times.push(performance.now() - started);
          await gate.release('spaced.test', token);
        }),
      ),
    );
    times.sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++)
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(100 - TOLERANCE_MS);
  });
});

describe('politeness helpers', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('has the documented defaults and applies Crawl-delay', () => {
    const politeness = politenessSchema.parse({});
    expect(politeness).toEqual({
      maxInFlightPerHost: 2,
      minDelayMs: 250,
      respectCrawlDelay: true,
      maxBackoffMs: 600_000,
    });
    expect(effectiveDelayMs(politeness, 5000)).toBe(5000);
    expect(effectiveDelayMs(politeness, 100)).toBe(250);
    expect(effectiveDelayMs(politeness, null)).toBe(250);
    expect(effectiveDelayMs({ ...politeness, respectCrawlDelay: false }, 5000)).toBe(250);
    expect(effectiveDelayMs(politeness, 86_400_000)).toBe(600_000);
    expect(() => politenessSchema.parse({ maxInFlightPerHost: 65 })).toThrow();
  });
});
