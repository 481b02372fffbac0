import type { Redis } from 'ioredis';
import { LuaScript } from '../../core/lua-script.ts';
import { countersFromHash, type RunCounters, runStateKeys } from '../run-state.ts';
import {
  type Bucket,
  bucketFromHash,
  COARSE_SECONDS,
  ERROR_KINDS,
  type ErrorExample,
  type ErrorKind,
  errorExampleSchema,
  FINE_SECONDS,
  FINE_TTL_SECONDS,
  NODE_STALE_MS,
  type NodeInfo,
  nodeInfoSchema,
  telemetryKeys,
} from './model.ts';

/**
 * Everything a live view needs in one round trip, judged by Redis's clock: the complete
 * 1-second buckets after `after` (or the last `backfill` seconds of the run), the run's
 * counters and queue depth, the latest error examples and the nodes alive.
 *
 * KEYS: run hash, seen set, done set, node set.
 * ARGV: base key, after (-1: backfill), backfill seconds, max buckets, retention seconds,
 *       node key prefix, node stale ms, error kinds...
 */
const READ = new LuaScript(
  `
local tm = redis.call('TIME')
local now = tonumber(tm[1])
local nowMs = now * 1000 + math.floor(tonumber(tm[2]) / 1000)
local last = now - 1
local after = tonumber(ARGV[2])
if after < 0 then
  after = last - tonumber(ARGV[3])
  local started = tonumber(redis.call('HGET', KEYS[1], 'startedAt') or '0')
  local first = math.floor(started / 1000) - 2
  if after < first then after = first end
end
local truncated = 0
local oldest = now - tonumber(ARGV[5])
if after < oldest then after = oldest truncated = 1 end
if after > last then after = last end
local to = math.min(last, after + tonumber(ARGV[4]))
local buckets = {}
for t = after + 1, to do buckets[#buckets + 1] = redis.call('HGETALL', ARGV[1] .. ':s:' .. t) end
local examples = {}
for i = 8, #ARGV do examples[#examples + 1] = redis.call('LRANGE', ARGV[1] .. ':ex:' .. ARGV[i], 0, -1) end
local ids = redis.call('ZRANGEBYSCORE', KEYS[4], nowMs - tonumber(ARGV[7]), '+inf')
local nodes = {}
for _, id in ipairs(ids) do nodes[#nodes + 1] = redis.call('GET', ARGV[6] .. id) or '' end
return {now, nowMs, after, to, truncated, buckets, redis.call('HGETALL', KEYS[1]),
  redis.call('SCARD', KEYS[2]), redis.call('SCARD', KEYS[3]), examples, nodes}
`,
  4,
);

export interface LiveRead {
  /** Redis's clock: epoch seconds and milliseconds. */
  now: number;
  nowMs: number;
  /** The buckets cover (after, to]; `to` is the position a client has after receiving them. */
  after: number;
  to: number;
  /** Part of what was asked for is older than Redis keeps (FINE_TTL_SECONDS). */
  truncated: boolean;
  buckets: Bucket[];
  counters: RunCounters | null;
  /** URLs admitted and not yet handled. */
  queueDepth: number;
  examples: Partial<Record<ErrorKind, ErrorExample[]>>;
  nodes: NodeInfo[];
}

/** Reads runs' telemetry back from Redis (the API side). */
export class TelemetryReader {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /**
   * Buckets after `after` (epoch seconds of the last bucket the client has; null for a fresh
   * client, which gets the last `backfill` seconds), at most `max` of them, plus the run's state.
   */
  async read(
    runId: string,
    after: number | null,
    options: { backfill?: number; max?: number } = {},
  ): Promise<LiveRead> {
    const state = runStateKeys(runId);
    const reply = (await READ.run(this.redis, [
      state.hash,
      state.seen,
      state.done,
      telemetryKeys.nodes(this.prefix),
      telemetryKeys.base(this.prefix, runId),
      after ?? -1,
      options.backfill ?? 300,
      options.max ?? 900,
      FINE_TTL_SECONDS - 60,
      telemetryKeys.node(this.prefix, ''),
      NODE_STALE_MS,
      ...ERROR_KINDS,
    ])) as [
      number,
      number,
      number,
      number,
      number,
      string[][],
      string[],
      number,
      number,
      string[][],
      string[],
    ];
    const [now, nowMs, from, to, truncated, rawBuckets, runHash, seen, done, rawExamples, rawNodes] = reply;
    const buckets = rawBuckets.map((flat, i) => bucketFromHash(from + 1 + i, FINE_SECONDS, pairs(flat)));
    const examples: LiveRead['examples'] = {};
    ERROR_KINDS.forEach((kind, i) => {
      const list = (rawExamples[i] ?? []).flatMap((json) => parseJson(errorExampleSchema, json));
      if (list.length > 0) examples[kind] = list;
    });
    const nodes = rawNodes
      .flatMap((json) => parseJson(nodeInfoSchema, json))
      .sort((a, b) => a.id.localeCompare(b.id));
    return {
      now,
      nowMs,
      after: from,
      to,
      truncated: truncated === 1,
      buckets,
      counters: countersFromHash(pairs(runHash), seen),
      queueDepth: Math.max(0, seen - done),
      examples,
      nodes,
    };
  }

  /**
   * A run's whole series between two instants (epoch seconds), from the 1-second buckets
   * when Redis still has all of them, otherwise from the 10-second ones. Buckets with
   * nothing in them are left out.
   */
  async series(runId: string, from: number, to: number): Promise<{ width: number; buckets: Bucket[] }> {
    const now = Number((await this.redis.time())[0]);
    const width = now - from < FINE_TTL_SECONDS - 60 ? FINE_SECONDS : COARSE_SECONDS;
    const base = telemetryKeys.base(this.prefix, runId);
    const start = from - (from % width);
    const times: number[] = [];
    for (let t = start; t <= to; t += width) times.push(t);
    const buckets: Bucket[] = [];
    for (let i = 0; i < times.length; i += 500) {
      const chunk = times.slice(i, i + 500);
      const pipeline = this.redis.pipeline();
      for (const t of chunk) pipeline.hgetall(`${base}:${width === FINE_SECONDS ? 's' : 'm'}:${t}`);
      const replies = (await pipeline.exec()) ?? [];
      replies.forEach(([error, hash], j) => {
        if (error) throw error;
        const fields = hash as Record<string, string>;
        if (Object.keys(fields).length > 0) buckets.push(bucketFromHash(chunk[j]!, width, fields));
      });
    }
    return { width, buckets };
  }

  /** The latest error examples of a run, by kind. */
  async examples(runId: string): Promise<LiveRead['examples']> {
    const pipeline = this.redis.pipeline();
    for (const kind of ERROR_KINDS) pipeline.lrange(telemetryKeys.example(this.prefix, runId, kind), 0, -1);
    const replies = (await pipeline.exec()) ?? [];
    const examples: LiveRead['examples'] = {};
    ERROR_KINDS.forEach((kind, i) => {
      const [error, list] = replies[i] ?? [null, []];
      if (error) throw error;
      const parsed = (list as string[]).flatMap((json) => parseJson(errorExampleSchema, json));
      if (parsed.length > 0) examples[kind] = parsed;
    });
    return examples;
  }
}

function pairs(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  return out;
}

/** Redis payloads are checked like any input: a malformed one is dropped, not trusted. */
function parseJson<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  json: string,
): T[] {
  try {
    const parsed = schema.safeParse(JSON.parse(json));
    return parsed.success ? [parsed.data] : [];
  } catch {
    return [];
  }
}
