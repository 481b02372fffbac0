import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { LuaScript } from '../../core/lua-script.ts';
import { runStateKeys } from '../run-state.ts';
import {
  COARSE_SECONDS,
  COARSE_TTL_SECONDS,
  type ErrorExample,
  EXAMPLES_PER_KIND,
  FINE_TTL_SECONDS,
  latencyBucket,
  MAX_HOSTS_PER_RUN,
  NODE_STALE_MS,
  type NodeInfo,
  OTHER_HOSTS,
  telemetryKeys,
} from './model.ts';

/**
 * Adds a process's counts of the last moments to the run's current buckets, in one script run
 * per run. The bucket is chosen by Redis's clock inside the script, so a bucket is complete and
 * never written again once Redis's clock has passed its end: a reader that asks Redis for
 * "buckets before now" gets finished ones only, whatever the clocks of the machines say.
 *
 * KEYS: run's seen set, run's done set, run's host list.
 * ARGV: base key, host cap, fine TTL, coarse TTL, coarse width, then operations:
 *   i FIELD N            add N to FIELD
 *   g FIELD V            set gauge FIELD to V
 *   h HOST STAT N        add N to h:HOST:STAT (HOST becomes ~other past the cap)
 *   x KIND JSON          push an error example (list capped)
 */
const FLUSH = new LuaScript(
  `
local t = tonumber(redis.call('TIME')[1])
local s = ARGV[1] .. ':s:' .. t
local m = ARGV[1] .. ':m:' .. (t - t % tonumber(ARGV[5]))
local cap = tonumber(ARGV[2])
local mapped = {}
local function hostOf(h)
  local v = mapped[h]
  if v then return v end
  if redis.call('SISMEMBER', KEYS[3], h) == 1 then v = h
  elseif redis.call('SCARD', KEYS[3]) < cap then redis.call('SADD', KEYS[3], h) v = h
  else v = '${OTHER_HOSTS}' end
  mapped[h] = v
  return v
end
local i = 6
while i <= #ARGV do
  local op = ARGV[i]
  if op == 'i' then
    redis.call('HINCRBY', s, ARGV[i + 1], ARGV[i + 2])
    redis.call('HINCRBY', m, ARGV[i + 1], ARGV[i + 2])
    i = i + 3
  elseif op == 'g' then
    redis.call('HSET', s, ARGV[i + 1], ARGV[i + 2])
    redis.call('HSET', m, ARGV[i + 1], ARGV[i + 2])
    i = i + 3
  elseif op == 'h' then
    local f = 'h:' .. hostOf(ARGV[i + 1]) .. ':' .. ARGV[i + 2]
    redis.call('HINCRBY', s, f, ARGV[i + 3])
    redis.call('HINCRBY', m, f, ARGV[i + 3])
    i = i + 4
  elseif op == 'x' then
    local l = ARGV[1] .. ':ex:' .. ARGV[i + 1]
    redis.call('LPUSH', l, ARGV[i + 2])
    redis.call('LTRIM', l, 0, ${EXAMPLES_PER_KIND - 1})
    redis.call('EXPIRE', l, ARGV[4])
    i = i + 3
  else
    return redis.error_reply('unknown telemetry op ' .. tostring(op))
  end
end
local q = redis.call('SCARD', KEYS[1]) - redis.call('SCARD', KEYS[2])
redis.call('HSET', s, 'q', q)
redis.call('HSET', m, 'q', q)
redis.call('EXPIRE', s, ARGV[3])
redis.call('EXPIRE', m, ARGV[4])
if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('EXPIRE', KEYS[3], ARGV[4]) end
return t
`,
  3,
);

/** KEYS: node set, node key. ARGV: node id, info JSON, TTL ms. Scored by Redis's clock. */
const HEARTBEAT = new LuaScript(
  `
local tm = redis.call('TIME')
local now = tonumber(tm[1]) * 1000 + math.floor(tonumber(tm[2]) / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 60000)
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return now
`,
  2,
);

/** A run's counts since the last flush, in this process. */
interface RunDelta {
  fields: Map<string, number>;
  hosts: Map<string, number>;
  examples: Array<[string, ErrorExample]>;
  inFlight: number;
  /** Last time anything happened for the run here (ms): gauges keep being reported a little while. */
  touched: number;
}

export interface TelemetryOptions {
  prefix: string;
  /** A crawler node reports its heartbeat (and its share of each run's pages) under this id. */
  nodeId?: string;
  /** How often counts go to Redis (default 250 ms: a page shows within about a second). */
  flushMs?: number;
  onError?(error: Error): void;
}

/**
 * Live telemetry of one process. Recording is a few map increments (the page path pays no
 * round trip); every `flushMs` one script per active run adds the counts to Redis, on the
 * process's auto-pipelined connection.
 */
export class TelemetryRecorder {
  readonly nodeId: string | undefined;
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #flushMs: number;
  readonly #onError: (error: Error) => void;
  readonly #runs = new Map<string, RunDelta>();
  readonly #startedAt = Date.now();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;
  #pagesTotal = 0;
  /** Responses per heartbeat second, the last ten, for the node's throughput. */
  readonly #recent: number[] = [];
  #pagesSinceBeat = 0;
  #lastBeat = 0;

  constructor(redis: Redis, options: TelemetryOptions) {
    this.#redis = redis;
    this.#prefix = options.prefix;
    this.nodeId = options.nodeId;
    this.#flushMs = options.flushMs ?? 250;
    this.#onError = options.onError ?? (() => {});
  }

  static nodeId(): string {
    return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.flush(), this.#flushMs);
    this.#timer.unref();
  }

  /** Flushes what is left; a node that closes says it is gone at once rather than going stale. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
    if (this.nodeId) {
      await this.#redis
        .multi()
        .zrem(telemetryKeys.nodes(this.#prefix), this.nodeId)
        .del(telemetryKeys.node(this.#prefix, this.nodeId))
        .exec()
        .catch((error: Error) => this.#onError(error));
    }
  }

  #run(runId: string): RunDelta {
    let delta = this.#runs.get(runId);
    if (!delta) {
      delta = { fields: new Map(), hosts: new Map(), examples: [], inFlight: 0, touched: Date.now() };
      this.#runs.set(runId, delta);
    }
    return delta;
  }

  #add(map: Map<string, number>, field: string, n: number): void {
    map.set(field, (map.get(field) ?? 0) + n);
  }

  /** A response from `host` (any status), `latencyMs` after the request started. */
  page(runId: string, host: string, status: number, latencyMs: number): void {
    const delta = this.#run(runId);
    this.#add(delta.fields, 'p', 1);
    this.#add(delta.fields, `s:${status}`, 1);
    this.#add(delta.hosts, `${host}\n${'n'}`, 1);
    this.#add(delta.hosts, `${host}\nl${latencyBucket(latencyMs)}`, 1);
    this.#pagesTotal++;
    this.#pagesSinceBeat++;
    delta.touched = Date.now();
  }

  /** A failed attempt; requests that got no answer also count toward the host's latency. */
  error(runId: string, kind: string, url: string, message: string): void {
    const delta = this.#run(runId);
    this.#add(delta.fields, `e:${kind}`, 1);
    const examples = delta.examples.filter(([k]) => k === kind);
    // Only the newest few per kind go out anyway.
    if (examples.length >= EXAMPLES_PER_KIND) delta.examples.splice(delta.examples.indexOf(examples[0]!), 1);
    delta.examples.push([kind, { at: Date.now(), url: url.slice(0, 2000), message: message.slice(0, 500) }]);
    delta.touched = Date.now();
  }

  /** A request that ended without a response (timeout, connection error). */
  noResponse(runId: string, host: string, latencyMs: number): void {
    const delta = this.#run(runId);
    this.#add(delta.hosts, `${host}\nl${latencyBucket(latencyMs)}`, 1);
  }

  /** Time a request waited for its host slot (politeness). */
  wait(runId: string, host: string, ms: number): void {
    const delta = this.#run(runId);
    const rounded = Math.round(ms);
    this.#add(delta.fields, 'w', rounded);
    this.#add(delta.fields, 'wn', 1);
    this.#add(delta.hosts, `${host}\nw`, rounded);
    this.#add(delta.hosts, `${host}\nwn`, 1);
  }

  requestStarted(runId: string): void {
    const delta = this.#run(runId);
    delta.inFlight++;
    delta.touched = Date.now();
  }

  requestEnded(runId: string): void {
    const delta = this.#run(runId);
    delta.inFlight = Math.max(0, delta.inFlight - 1);
  }

  /** Products found on a handled page (as counted in the run's `productsFound`). */
  found(runId: string, products: number): void {
    if (products > 0) this.#add(this.#run(runId).fields, 'f', products);
  }

  /** Products written by ingestion: new to the catalog, and changed. */
  ingested(runId: string, inserted: number, updated: number): void {
    const delta = this.#run(runId);
    if (inserted > 0) this.#add(delta.fields, 'n', inserted);
    if (updated > 0) this.#add(delta.fields, 'c', updated);
    delta.touched = Date.now();
  }

  /** Sends the counts gathered since the last flush; one flush at a time. */
  flush(): Promise<void> {
    if (this.#flushing) return this.#flushing;
    this.#flushing = this.#flush()
      .catch((error: Error) => this.#onError(error))
      .finally(() => {
        this.#flushing = undefined;
      });
    return this.#flushing;
  }

  async #flush(): Promise<void> {
    const now = Date.now();
    const writes: Array<Promise<unknown>> = [];
    const memory = this.nodeId ? process.memoryUsage() : null;
    for (const [runId, delta] of this.#runs) {
      const idle = delta.fields.size === 0 && delta.hosts.size === 0 && delta.examples.length === 0;
      if (idle && delta.inFlight === 0 && now - delta.touched > 5000) {
        this.#runs.delete(runId);
        continue;
      }
      // Idle nodes with nothing of the run in flight add nothing; busy ones keep their gauges current.
      if (idle && delta.inFlight === 0 && !this.nodeId) continue;
      const args: Array<string | number> = [];
      for (const [field, n] of delta.fields) args.push('i', field, n);
      for (const [key, n] of delta.hosts) {
        const cut = key.lastIndexOf('\n');
        args.push('h', key.slice(0, cut), key.slice(cut + 1), n);
      }
      for (const [kind, example] of delta.examples) args.push('x', kind, JSON.stringify(example));
      if (this.nodeId && memory) {
        args.push('i', `np:${this.nodeId}`, delta.fields.get('p') ?? 0);
        args.push('g', `g:${this.nodeId}`, delta.inFlight);
        args.push('g', `m:${this.nodeId}`, mib(memory.rss));
        args.push('g', `hp:${this.nodeId}`, mib(memory.heapUsed));
      }
      delta.fields = new Map();
      delta.hosts = new Map();
      delta.examples = [];
      const state = runStateKeys(runId);
      writes.push(
        FLUSH.run(this.#redis, [
          state.seen,
          state.done,
          telemetryKeys.hosts(this.#prefix, runId),
          telemetryKeys.base(this.#prefix, runId),
          MAX_HOSTS_PER_RUN,
          FINE_TTL_SECONDS,
          COARSE_TTL_SECONDS,
          COARSE_SECONDS,
          ...args,
        ]),
      );
    }
    if (this.nodeId && memory && now - this.#lastBeat >= 1000) writes.push(this.#heartbeat(now, memory));
    const results = await Promise.allSettled(writes);
    for (const result of results) if (result.status === 'rejected') this.#onError(result.reason as Error);
  }

  #heartbeat(now: number, memory: NodeJS.MemoryUsage): Promise<unknown> {
    this.#lastBeat = now;
    this.#recent.push(this.#pagesSinceBeat);
    this.#pagesSinceBeat = 0;
    if (this.#recent.length > 10) this.#recent.shift();
    let inFlight = 0;
    for (const delta of this.#runs.values()) inFlight += delta.inFlight;
    const info: NodeInfo = {
      id: this.nodeId!,
      hostname: hostname(),
      pid: process.pid,
      startedAt: this.#startedAt,
      rssMb: mib(memory.rss),
      heapUsedMb: mib(memory.heapUsed),
      heapTotalMb: mib(memory.heapTotal),
      pages: this.#pagesTotal,
      pagesPerSecond: Math.round((this.#recent.reduce((a, b) => a + b, 0) / this.#recent.length) * 10) / 10,
      inFlight,
      runs: [...this.#runs.keys()].slice(0, 100),
    };
    return HEARTBEAT.run(this.#redis, [
      telemetryKeys.nodes(this.#prefix),
      telemetryKeys.node(this.#prefix, this.nodeId!),
      this.nodeId!,
      JSON.stringify(info),
      NODE_STALE_MS * 3,
    ]);
  }
}

function mib(bytes: number): number {
  return Math.round((bytes / 1048576) * 10) / 10;
}
