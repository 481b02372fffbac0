import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Counter, Histogram } from 'prom-client';
import type { Politeness } from '../core/crawl-limits.ts';
import { LuaScript } from '../core/lua-script.ts';
import { registry } from '../core/metrics.ts';

export { type Politeness, politenessSchema } from '../core/crawl-limits.ts';

export const politenessWait = new Histogram({
  name: 'trawl_politeness_wait_seconds',
  help: 'Time a fetch waited for its host slot (concurrency limit, delay, backoff).',
  labelNames: ['host'] as const,
  buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  registers: [registry],
});

export const hostBackoffs = new Counter({
  name: 'trawl_host_backoffs_total',
  help: 'Times a host was backed off, by reason (retry-after, throttled, server-error, connection-error).',
  labelNames: ['host', 'reason'] as const,
  registers: [registry],
});

export interface HostState {
  /** Consecutive failures (reset by a success). */
  failures: number;
  /** The delay the last failure imposed (Retry-After or exponential backoff); 0 after a success. */
  backoffMs: number;
  /** How long until the host may be fetched again (0 = now), by the Redis clock. */
  nextAllowedInMs: number;
}

export interface FetchOutcome {
  status?: number;
  retryAfter?: string | null;
  /** No HTTP answer (connection refused, reset, timeout). */
  error?: boolean;
}

// Redis TIME is the one clock all nodes share; their own clocks may disagree.
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * KEYS: leases zset, state hash. ARGV: maxInFlight, minDelayMs, leaseMs, token...
 * Grants the first n tokens: {n, 0}; or none, {0, ms to wait} (-1: wait for a free slot).
 * Only one start fits in a delay window, so with a delay n is at most 1.
 */
const ACQUIRE = new LuaScript(
  `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local nextAt = tonumber(redis.call('HGET', KEYS[2], 'next') or '0')
if now < nextAt then return {0, nextAt - now} end
local free = tonumber(ARGV[1]) - redis.call('ZCARD', KEYS[1])
if free <= 0 then return {0, -1} end
local delay = tonumber(ARGV[2])
local n = math.min(#ARGV - 3, free)
if delay > 0 then n = 1 end
local leaseMs = tonumber(ARGV[3])
for i = 1, n do redis.call('ZADD', KEYS[1], now + leaseMs, ARGV[3 + i]) end
redis.call('PEXPIRE', KEYS[1], leaseMs)
redis.call('HSET', KEYS[2], 'next', now + delay)
redis.call('PEXPIRE', KEYS[2], delay + 86400000)
return {n, 0}`,
  2,
);

/**
 * KEYS: state hash, leases zset. ARGV: kind (ok | retry | fail), retryAfterMs, baseMs,
 * maxBackoffMs, lease token to release ('' for none).
 * Returns {failures, backoffMs, nextAllowedInMs}.
 */
const REPORT = new LuaScript(
  `${NOW}
if ARGV[5] ~= '' then redis.call('ZREM', KEYS[2], ARGV[5]) end
local nextAt = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
if ARGV[1] == 'ok' then
  redis.call('HDEL', KEYS[1], 'fails', 'backoff')
  return {0, 0, math.max(nextAt - now, 0)}
end
local fails = redis.call('HINCRBY', KEYS[1], 'fails', 1)
local delay
if ARGV[1] == 'retry' then
  delay = tonumber(ARGV[2])
else
  delay = math.min(tonumber(ARGV[3]) * math.pow(2, math.min(fails - 1, 40)), tonumber(ARGV[4]))
end
delay = math.floor(delay)
nextAt = math.max(nextAt, now + delay)
redis.call('HSET', KEYS[1], 'next', nextAt, 'backoff', delay)
redis.call('PEXPIRE', KEYS[1], nextAt - now + 86400000)
return {fails, delay, nextAt - now}`,
  2,
);

const STATE = new LuaScript(
  `${NOW}
local v = redis.call('HMGET', KEYS[1], 'next', 'fails', 'backoff')
local wait = math.max(tonumber(v[1] or '0') - now, 0)
return {tonumber(v[2] or '0'), tonumber(v[3] or '0'), wait, redis.call('ZCOUNT', KEYS[2], now, '+inf')}`,
  2,
);

/** Longest sleep between polls while a host's delay runs, so other settings or a reset show soon. */
const MAX_POLL_MS = 250;
/** Poll interval while all slots are taken: a lease freed on another node is noticed this late. */
const FULL_POLL_MS = 50;
/** Retry-After beyond this is treated as a broken header, not a request to stay away for days. */
const MAX_RETRY_AFTER_MS = 86_400_000;

interface Waiter {
  settings: { maxInFlight: number; minDelayMs: number };
  staleGrants: number;
  resolve(token: string): void;
  reject(error: unknown): void;
}

interface HostQueue {
  waiters: Waiter[];
  pumping: boolean;
  /** Ends the current poll sleep early (a local release or an aborted head waiter). */
  wake: (() => void) | null;
}

/**
 * Per-host politeness shared by every crawler node through Redis: at most `maxInFlight`
 * leases per host, request starts at least `minDelayMs` apart, and backoff after 429/503,
 * 5xx and connection errors. Leases expire after `leaseMs`, so a node that dies mid-fetch
 * frees its slots without anyone releasing them.
 *
 * Inside one process only the oldest waiter per host polls Redis (FIFO locally, and one
 * poller per host per node instead of one per worker).
 */
export class HostGate {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #leaseMs: number;
  readonly #backoffBaseMs: number;
  readonly #hosts = new Map<string, HostQueue>();

  constructor(
    redis: Redis,
    options: {
      prefix: string;
      leaseMs?: number;
      /** First backoff step after a failure; doubles per consecutive failure. */
      backoffBaseMs?: number;
    },
  ) {
    this.#redis = redis;
    this.#prefix = options.prefix;
    this.#leaseMs = options.leaseMs ?? 120_000;
    this.#backoffBaseMs = options.backoffBaseMs ?? 1000;
  }

  /**
   * Waits until `host` may be fetched and takes a lease; pass the token to `release` once
   * the response is read (or failed). Rejects with the signal's reason when aborted.
   */
  acquire(
    host: string,
    settings: { maxInFlight: number; minDelayMs: number },
    signal?: AbortSignal,
  ): Promise<{ token: string; waitedMs: number }> {
    const started = performance.now();
    return new Promise<string>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      let queue = this.#hosts.get(host);
      if (!queue) {
        queue = { waiters: [], pumping: false, wake: null };
        this.#hosts.set(host, queue);
      }
      const onAbort = () => {
        if (!this.#drop(queue, waiter)) return;
        reject(signal?.reason);
        queue.wake?.();
      };
      // Callers may pass one long-lived signal (node shutdown) to every acquire: detach on settle.
      const waiter: Waiter = {
        settings,
        staleGrants: 0,
        resolve: (token) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(token);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.waiters.push(waiter);
      if (!queue.pumping) {
        // From the next microtask: waiters queued in the same tick share the first round trip.
        queue.pumping = true;
        queueMicrotask(() => void this.#pump(host, queue));
      }
    }).then((token) => {
      const waitedMs = performance.now() - started;
      politenessWait.observe({ host }, waitedMs / 1000);
      return { token, waitedMs };
    });
  }

  async release(host: string, token: string): Promise<void> {
    await this.#redis.zrem(this.#key(host, 'leases'), token);
    this.#hosts.get(host)?.wake?.();
  }

  /**
   * Feeds a fetch outcome back: 429/503 with Retry-After push the host's next start to that
   * time; 429/503 without it, other 5xx and connection errors back off exponentially;
   * anything else resets the backoff. With `release`, the fetch's lease is given back in
   * the same round trip. Returns the host's state for logging.
   */
  async report(
    host: string,
    outcome: FetchOutcome,
    settings: { maxBackoffMs?: number; release?: string } = {},
  ): Promise<HostState> {
    const maxBackoffMs = settings.maxBackoffMs ?? 600_000;
    const { status, error } = outcome;
    const throttled = status === 429 || status === 503;
    const retryAfterMs = throttled ? parseRetryAfter(outcome.retryAfter) : null;
    let kind: 'ok' | 'retry' | 'fail' = 'ok';
    let reason = '';
    if (retryAfterMs !== null) [kind, reason] = ['retry', 'retry-after'];
    else if (throttled) [kind, reason] = ['fail', 'throttled'];
    else if (status !== undefined && status >= 500) [kind, reason] = ['fail', 'server-error'];
    else if (error) [kind, reason] = ['fail', 'connection-error'];
    const [failures, backoffMs, nextAllowedInMs] = (await REPORT.run(this.#redis, [
      this.#key(host, 'state'),
      this.#key(host, 'leases'),
      kind,
      Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS),
      this.#backoffBaseMs,
      maxBackoffMs,
      settings.release ?? '',
    ])) as [number, number, number];
    if (settings.release) this.#hosts.get(host)?.wake?.();
    if (reason) hostBackoffs.inc({ host, reason });
    return { failures, backoffMs, nextAllowedInMs };
  }

  /** The host's current backoff and leases, for logs and dashboards. */
  async state(host: string): Promise<HostState & { inFlight: number }> {
    const [failures, backoffMs, nextAllowedInMs, inFlight] = (await STATE.run(this.#redis, [
      this.#key(host, 'state'),
      this.#key(host, 'leases'),
    ])) as [number, number, number, number];
    return { failures, backoffMs, nextAllowedInMs, inFlight };
  }

  /**
   * Grants the host's local waiters in FIFO order, polling Redis while the host is busy.
   * Without a delay, one round trip grants as many waiters as there are free slots: one
   * grant per round trip would cap a node at one request start per event-loop turn.
   */
  async #pump(host: string, queue: HostQueue): Promise<void> {
    while (queue.waiters.length > 0) {
      const head = queue.waiters[0]!;
      const { maxInFlight, minDelayMs } = head.settings;
      // Waiters with other settings (another site on the same host) wait for a round of their own.
      const batch: Waiter[] = [];
      for (const waiter of queue.waiters) {
        if (batch.length >= maxInFlight || (minDelayMs > 0 && batch.length === 1)) break;
        if (waiter.settings.maxInFlight !== maxInFlight || waiter.settings.minDelayMs !== minDelayMs) break;
        batch.push(waiter);
      }
      const tokens = batch.map(() => randomUUID());
      let granted: number;
      let waitMs: number;
      const sent = performance.now();
      try {
        [granted, waitMs] = (await ACQUIRE.run(this.#redis, [
          this.#key(host, 'leases'),
          this.#key(host, 'state'),
          maxInFlight,
          minDelayMs,
          this.#leaseMs,
          ...tokens,
        ])) as [number, number];
      } catch (error) {
        this.#drop(queue, head)?.reject(error);
        continue;
      }
      if (granted > 0) {
        const late = this.#stale(head, performance.now() - sent);
        for (let i = 0; i < granted; i++) {
          // Late grants go back (the waiter queues again); so do those of waiters aborted meanwhile.
          const wanted = !late && this.#drop(queue, batch[i]!);
          if (wanted) wanted.resolve(tokens[i]!);
          else await this.release(host, tokens[i]!).catch(() => {});
        }
        continue;
      }
      const pollMs = waitMs < 0 ? FULL_POLL_MS : Math.min(waitMs, MAX_POLL_MS);
      // Jitter keeps nodes that woke together from polling in lockstep.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, pollMs + Math.random() * Math.min(pollMs / 4, 25));
        function done() {
          clearTimeout(timer);
          queue.wake = null;
          resolve();
        }
        queue.wake = done;
      });
    }
    queue.pumping = false;
    this.#hosts.delete(host);
  }

  /**
   * A grant that reached us late (event loop stall, GC pause) may be used just as another
   * node's next grant starts, so two requests would hit the host together: hand it back and
   * queue again, a couple of times at most so a slow Redis link cannot starve us.
   */
  #stale(waiter: Waiter, roundTripMs: number): boolean {
    const { minDelayMs } = waiter.settings;
    if (minDelayMs === 0 || roundTripMs <= minDelayMs / 2 || waiter.staleGrants >= 2) return false;
    waiter.staleGrants++;
    return true;
  }

  #drop(queue: HostQueue, waiter: Waiter): Waiter | undefined {
    const index = queue.waiters.indexOf(waiter);
    if (index < 0) return undefined;
    queue.waiters.splice(index, 1);
    return waiter;
  }

  #key(host: string, part: 'leases' | 'state'): string {
    return `${this.#prefix}:polite:${host}:${part}`;
  }
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date. Null when absent or invalid. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(date - now, 0);
}

/**
 * The delay to pass to `acquire`: the site's minDelayMs, raised to robots.txt's Crawl-delay
 * when the site respects it (capped at maxBackoffMs so a hostile value cannot stall a crawl).
 */
export function effectiveDelayMs(politeness: Politeness, crawlDelayMs: number | null): number {
  if (!politeness.respectCrawlDelay || crawlDelayMs === null) return politeness.minDelayMs;
  return Math.max(politeness.minDelayMs, Math.min(crawlDelayMs, politeness.maxBackoffMs));
}
