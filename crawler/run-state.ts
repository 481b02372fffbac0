import type { Redis } from 'ioredis';
import { LuaScript } from '../core/lua-script.ts';
import { key } from '../core/redis.ts';

/**
 * The live state of a crawl run, shared by every node through Redis. Progress is kept as
 * sets of URL ids so that every step is idempotent (a job delivered twice counts once):
 * the run is finished when every admitted URL is done and every product sent to ingestion
 * has been written. Exactly one caller is told it finished the run.
 */

const TTL_SECONDS = 7 * 24 * 3600;

export type RunStatus = 'running' | 'paused' | 'cancelled' | 'finished';

export interface RunCounters {
  status: RunStatus | null;
  queued: number;
  fetched: number;
  failed: number;
  productsFound: number;
  productsIngested: number;
  productsNew: number;
  productsChanged: number;
  skipped: Record<string, number>;
  firstError: string | null;
}

/** The run's keys: its counters hash and the URL-id sets that make every step idempotent. */
export const runStateKeys = (runId: string) => {
  const base = key('run', runId);
  return {
    hash: base,
    seen: `${base}:seen`,
    done: `${base}:done`,
    expected: `${base}:ingest-expected`,
    ingested: `${base}:ingested`,
    parked: `${base}:parked`,
  };
};

/** Returns 1 to the single caller that observes the run drained, else 0. */
const checkFinished = `
local function finished(hash, seen, done, expected, ingested)
  if redis.call('HGET', hash, 'status') ~= 'running' then return 0 end
  if redis.call('HGET', hash, 'seeding') == '1' then return 0 end
  if redis.call('SCARD', seen) ~= redis.call('SCARD', done) then return 0 end
  if redis.call('SCARD', expected) ~= redis.call('SCARD', ingested) then return 0 end
  redis.call('HSET', hash, 'status', 'finished')
  for _, k in ipairs({hash, seen, done, expected, ingested}) do redis.call('EXPIRE', k, ${TTL_SECONDS}) end
  return 1
end
`;

// KEYS: hash seen; ARGV: url ids. Returns one verdict per id: ok | duplicate | budget | stopped.
// A paused run still admits: links found by pages in flight when it paused must not be lost.
const admitScript = new LuaScript(
  `
local status = redis.call('HGET', KEYS[1], 'status')
if status ~= 'running' and status ~= 'paused' then
  local out = {}
  for i = 1, #ARGV do out[i] = 'stopped' end
  return out
end
local max = tonumber(redis.call('HGET', KEYS[1], 'maxPages'))
local queued = redis.call('SCARD', KEYS[2])
local out = {}
local dup, over = 0, 0
for i = 1, #ARGV do
  if redis.call('SISMEMBER', KEYS[2], ARGV[i]) == 1 then
    out[i] = 'duplicate'; dup = dup + 1
  elseif queued >= max then
    out[i] = 'budget'; over = over + 1
  else
    redis.call('SADD', KEYS[2], ARGV[i]); queued = queued + 1; out[i] = 'ok'
  end
end
if dup > 0 then redis.call('HINCRBY', KEYS[1], 'skip:duplicate', dup) end
if over > 0 then redis.call('HINCRBY', KEYS[1], 'skip:budget', over) end
return out
`,
  2,
);

// KEYS: hash seen done expected ingested; ARGV: urlId outcome(fetched|failed|skip:*) products error
const crawlDoneScript = new LuaScript(
  `${checkFinished}
if redis.call('SADD', KEYS[3], ARGV[1]) == 1 then
  redis.call('HINCRBY', KEYS[1], ARGV[2], 1)
  if tonumber(ARGV[3]) > 0 then
    redis.call('HINCRBY', KEYS[1], 'products', ARGV[3])
    redis.call('SADD', KEYS[4], ARGV[1])
  end
  if ARGV[4] ~= '' then redis.call('HSETNX', KEYS[1], 'firstError', ARGV[4]) end
end
return finished(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
`,
  5,
);

// KEYS: hash seen done expected ingested; ARGV: urlId
const ingestDoneScript = new LuaScript(
  `${checkFinished}
if redis.call('SADD', KEYS[5], ARGV[1]) == 1 then redis.call('HINCRBY', KEYS[1], 'ingested', 1) end
return finished(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
`,
  5,
);

// KEYS: hash seen done expected ingested; ARGV: urlId error. A page whose products could not be
// stored (rejected, or out of retries): it counts as failed and no longer holds the run open.
const ingestFailedScript = new LuaScript(
  `${checkFinished}
if redis.call('SADD', KEYS[5], ARGV[1]) == 1 then
  redis.call('HINCRBY', KEYS[1], 'failed', 1)
  redis.call('HINCRBY', KEYS[1], 'ingestFailed', 1)
  if ARGV[2] ~= '' then redis.call('HSETNX', KEYS[1], 'firstError', ARGV[2]) end
end
return finished(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
`,
  5,
);

// KEYS: hash seen done expected ingested
const checkScript = new LuaScript(
  `${checkFinished}
return finished(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
`,
  5,
);

export type AdmitVerdict = 'ok' | 'duplicate' | 'budget' | 'stopped';

export class RunState {
  constructor(private readonly redis: Redis) {}

  async start(runId: string, maxPages: number): Promise<void> {
    const k = runStateKeys(runId);
    await this.redis
      .multi()
      .hset(k.hash, { status: 'running', maxPages: String(maxPages), startedAt: String(Date.now()) })
      .expire(k.hash, TTL_SECONDS)
      .exec();
  }

  /** Stops admitting and processing URLs of the run (queued jobs drain without fetching). */
  async cancel(runId: string): Promise<void> {
    const k = runStateKeys(runId);
    await this.redis.multi().hset(k.hash, 'status', 'cancelled').del(k.parked).exec();
  }

  /** While a run is still being seeded (from sitemaps), draining its frontier does not finish it. */
  async setSeeding(runId: string, seeding: boolean): Promise<void> {
    if (seeding) await this.redis.hset(runStateKeys(runId).hash, 'seeding', '1');
    else await this.redis.hdel(runStateKeys(runId).hash, 'seeding');
  }

  /** Nodes park the run's jobs instead of fetching them until it is resumed. */
  async pause(runId: string): Promise<boolean> {
    const result = await this.redis.eval(
      `if redis.call('HGET', KEYS[1], 'status') == 'running' then
         redis.call('HSET', KEYS[1], 'status', 'paused') return 1 end return 0`,
      1,
      runStateKeys(runId).hash,
    );
    return result === 1;
  }

  /** Sets the run running again and hands back the jobs parked while it was paused. */
  async resume(runId: string): Promise<string[] | null> {
    const k = runStateKeys(runId);
    const result = (await this.redis.eval(
      `if redis.call('HGET', KEYS[1], 'status') ~= 'paused' then return false end
       redis.call('HSET', KEYS[1], 'status', 'running')
       local parked = redis.call('LRANGE', KEYS[2], 0, -1)
       redis.call('DEL', KEYS[2])
       return parked`,
      2,
      k.hash,
      k.parked,
    )) as string[] | null;
    return result;
  }

  /** Keeps a job of a paused run (its payload, as JSON) until the run resumes. */
  async park(runId: string, payload: string): Promise<void> {
    const k = runStateKeys(runId);
    await this.redis.multi().rpush(k.parked, payload).expire(k.parked, TTL_SECONDS).exec();
  }

  /**
   * The run's status, and whether the URL was handled in the run already (a redelivered or
   * re-added job), in one round trip: every job asks.
   */
  async jobState(runId: string, urlId: string): Promise<{ status: RunStatus | null; done: boolean }> {
    const k = runStateKeys(runId);
    const replies = await this.redis.pipeline().hget(k.hash, 'status').sismember(k.done, urlId).exec();
    const [status, done] = (replies ?? []).map(([error, value]) => {
      if (error) throw error;
      return value;
    });
    return { status: (status ?? null) as RunStatus | null, done: done === 1 };
  }

  /** Adds run-level counters (products new, changed ...) reported by ingestion. */
  async count(runId: string, counts: Record<string, number>): Promise<void> {
    const entries = Object.entries(counts).filter(([, n]) => n > 0);
    if (entries.length === 0) return;
    const hash = runStateKeys(runId).hash;
    // Most pages add one counter; increments need no transaction, so several go as a pipeline.
    if (entries.length === 1) {
      await this.redis.hincrby(hash, entries[0]![0], entries[0]![1]);
      return;
    }
    const pipeline = this.redis.pipeline();
    for (const [field, n] of entries) pipeline.hincrby(hash, field, n);
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }

  /** Marks URL ids as queued unless seen before in the run or over the page budget. */
  async admit(runId: string, urlIds: string[]): Promise<AdmitVerdict[]> {
    if (urlIds.length === 0) return [];
    const k = runStateKeys(runId);
    return (await admitScript.run(this.redis, [k.hash, k.seen, ...urlIds])) as AdmitVerdict[];
  }

  /**
   * Records the outcome of one admitted URL. `products` is how many ingest jobs were sent
   * for it (they must all report back before the run is finished). True when this call
   * finished the run.
   */
  async crawlDone(
    runId: string,
    urlId: string,
    outcome: 'fetched' | 'failed' | `skip:${string}`,
    products = 0,
    error = '',
  ): Promise<boolean> {
    const k = runStateKeys(runId);
    const result = await crawlDoneScript.run(this.redis, [
      k.hash,
      k.seen,
      k.done,
      k.expected,
      k.ingested,
      urlId,
      outcome,
      String(products),
      error.slice(0, 500),
    ]);
    return result === 1;
  }

  async ingestDone(runId: string, urlId: string): Promise<boolean> {
    const k = runStateKeys(runId);
    const result = await ingestDoneScript.run(this.redis, [
      k.hash,
      k.seen,
      k.done,
      k.expected,
      k.ingested,
      urlId,
    ]);
    return result === 1;
  }

  /** Marks a page's ingestion as failed for good; true when this call finished the run. */
  async ingestFailed(runId: string, urlId: string, error: string): Promise<boolean> {
    const k = runStateKeys(runId);
    const result = await ingestFailedScript.run(this.redis, [
      k.hash,
      k.seen,
      k.done,
      k.expected,
      k.ingested,
      urlId,
      `ingest: ${error}`.slice(0, 500),
    ]);
    return result === 1;
  }

  /** For a run whose seeding admitted nothing: finishes it when nothing is outstanding. */
  async checkFinished(runId: string): Promise<boolean> {
    const k = runStateKeys(runId);
    return (await checkScript.run(this.redis, [k.hash, k.seen, k.done, k.expected, k.ingested])) === 1;
  }

  async counters(runId: string): Promise<RunCounters | null> {
    const k = runStateKeys(runId);
    const [hash, queued] = await Promise.all([this.redis.hgetall(k.hash), this.redis.scard(k.seen)]);
    return countersFromHash(hash, queued);
  }
}

/** A run's counters from its hash (HGETALL) and the size of its seen set; null when it has none. */
export function countersFromHash(hash: Record<string, string>, queued: number): RunCounters | null {
  if (!hash.status) return null;
  const skipped: Record<string, number> = {};
  for (const [field, value] of Object.entries(hash)) {
    if (field.startsWith('skip:')) skipped[field.slice(5)] = Number(value);
  }
  return {
    status: hash.status as RunStatus,
    queued,
    fetched: Number(hash.fetched ?? 0),
    failed: Number(hash.failed ?? 0),
    productsFound: Number(hash.products ?? 0),
    productsIngested: Number(hash.ingested ?? 0),
    productsNew: Number(hash.new ?? 0),
    productsChanged: Number(hash.changed ?? 0),
    skipped,
    firstError: hash.firstError ?? null,
  };
}
