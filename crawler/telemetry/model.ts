import { z } from 'zod';

/**
 * The shape of a run's live telemetry: per-second buckets that crawler nodes and ingest workers
 * add to in Redis, read back by any API instance, and kept in Postgres after the run. Pure
 * functions only (no Redis), so the writer, the reader and the history share one definition.
 */

/** The error kinds of `trawl_page_errors_total` (a fixed set: bounded keys and labels). */
export const ERROR_KINDS = [
  'http_4xx',
  'http_5xx',
  'timeout',
  'network',
  'too_large',
  'content_type',
  'private_address',
  'other',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Hosts tracked one by one per run; the rest are counted together under this name. */
export const OTHER_HOSTS = '~other';
export const MAX_HOSTS_PER_RUN = 50;
/** Latest error examples kept per kind and run. */
export const EXAMPLES_PER_KIND = 5;

/** Seconds of the fine (1 s) and coarse (10 s) series. */
export const FINE_SECONDS = 1;
export const COARSE_SECONDS = 10;
/** How long the 1-second buckets stay in Redis: the window a reconnecting client can resume in. */
export const FINE_TTL_SECONDS = 20 * 60;
/** The 10-second buckets, examples and host list: long enough to store a finished run's history. */
export const COARSE_TTL_SECONDS = 2 * 24 * 3600;
/** A node is alive while its heartbeat (sent every second) is younger than this. */
export const NODE_STALE_MS = 5000;

/**
 * Latency histogram: bucket i counts latencies in (2^((i-1)/2), 2^(i/2)] ms, bucket 0 everything
 * up to 1 ms, the last one everything beyond 2^16.5 ms (92 s). Counts of the same bucket add up
 * across nodes and seconds, so percentiles of any merge are exact to the bucket (±19%).
 */
export const LATENCY_BUCKETS = 35;

export function latencyBucket(ms: number): number {
  if (!(ms > 1)) return 0;
  return Math.min(LATENCY_BUCKETS - 1, Math.ceil(2 * Math.log2(ms)));
}

const upperBound = (i: number) => 2 ** (i / 2);

/** The q-quantile (0..1) of a sparse histogram, interpolated geometrically inside its bucket. */
export function quantile(histogram: Record<string, number>, q: number): number | null {
  let total = 0;
  for (const count of Object.values(histogram)) total += count;
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  const indexes = Object.keys(histogram)
    .map(Number)
    .sort((a, b) => a - b);
  for (const i of indexes) {
    const count = histogram[i] ?? 0;
    if (seen + count >= rank && count > 0) {
      const lower = i === 0 ? 0 : upperBound(i - 1);
      const upper = upperBound(i);
      const within = (rank - seen) / count;
      const value = i === 0 ? within * upper : lower * (upper / lower) ** within;
      return Math.round(value * 10) / 10;
    }
    seen += count;
  }
  return Math.round(upperBound(indexes.at(-1)!) * 10) / 10;
}

export function mergeHistogram(into: Record<string, number>, from: Record<string, number>): void {
  for (const [i, count] of Object.entries(from)) into[i] = (into[i] ?? 0) + count;
}

const counts = z.record(z.string(), z.number().int().nonnegative());

/** One host within a bucket: responses, politeness waits and the latency histogram. */
export const hostStatsSchema = z.object({
  pages: z.number().int().nonnegative(),
  waitMs: z.number().int().nonnegative(),
  waits: z.number().int().nonnegative(),
  latency: counts,
});
export type HostStats = z.infer<typeof hostStatsSchema>;

/** One crawler node within a bucket: its responses, and its gauges at the bucket's last report. */
export const nodeStatsSchema = z.object({
  pages: z.number().int().nonnegative(),
  inFlight: z.number().int().nonnegative(),
  rssMb: z.number().nonnegative().nullable(),
  heapMb: z.number().nonnegative().nullable(),
});
export type NodeStats = z.infer<typeof nodeStatsSchema>;

/**
 * What happened in a run during `width` seconds from `t` (epoch seconds): counters add up,
 * gauges (queue depth, requests in flight) are the last value reported.
 */
export const bucketSchema = z.object({
  t: z.number().int(),
  width: z.number().int().positive(),
  pages: z.number().int().nonnegative(),
  statuses: counts,
  errors: counts,
  found: z.number().int().nonnegative(),
  new: z.number().int().nonnegative(),
  changed: z.number().int().nonnegative(),
  waitMs: z.number().int().nonnegative(),
  waits: z.number().int().nonnegative(),
  queue: z.number().int().nullable(),
  inFlight: z.number().int().nonnegative(),
  hosts: z.record(z.string(), hostStatsSchema),
  nodes: z.record(z.string(), nodeStatsSchema),
});
export type Bucket = z.infer<typeof bucketSchema>;

export function emptyBucket(t: number, width: number): Bucket {
  return {
    t,
    width,
    pages: 0,
    statuses: {},
    errors: {},
    found: 0,
    new: 0,
    changed: 0,
    waitMs: 0,
    waits: 0,
    queue: null,
    inFlight: 0,
    hosts: {},
    nodes: {},
  };
}

/**
 * A bucket from its Redis hash. Field names (written by the recorder):
 * `p` pages, `s:<status>`, `e:<kind>`, `f` found, `n` new, `c` changed, `w`/`wn` wait ms and
 * waits, `q` queue depth, `h:<host>:<n|w|wn|l<i>>`, `np:<node>` pages, `g:<node>` in flight,
 * `m:<node>` RSS MiB, `hp:<node>` heap MiB. Unknown or malformed fields are ignored.
 */
export function bucketFromHash(t: number, width: number, hash: Record<string, string>): Bucket {
  const bucket = emptyBucket(t, width);
  const host = (name: string) => {
    bucket.hosts[name] ??= { pages: 0, waitMs: 0, waits: 0, latency: {} };
    return bucket.hosts[name];
  };
  const node = (name: string) => {
    bucket.nodes[name] ??= { pages: 0, inFlight: 0, rssMb: null, heapMb: null };
    return bucket.nodes[name];
  };
  for (const [field, raw] of Object.entries(hash)) {
    const value = Number(raw);
    if (!Number.isFinite(value)) continue;
    const n = Math.max(0, Math.trunc(value));
    const colon = field.indexOf(':');
    const tag = colon < 0 ? field : field.slice(0, colon);
    const rest = field.slice(colon + 1);
    switch (tag) {
      case 'p':
        bucket.pages = n;
        break;
      case 'f':
        bucket.found = n;
        break;
      case 'n':
        bucket.new = n;
        break;
      case 'c':
        bucket.changed = n;
        break;
      case 'w':
        bucket.waitMs = n;
        break;
      case 'wn':
        bucket.waits = n;
        break;
      case 'q':
        bucket.queue = Math.trunc(value);
        break;
      case 's':
        bucket.statuses[rest] = n;
        break;
      case 'e':
        bucket.errors[rest] = n;
        break;
      case 'np':
        node(rest).pages = n;
        break;
      case 'g':
        node(rest).inFlight = n;
        break;
      case 'm':
        node(rest).rssMb = value;
        break;
      case 'hp':
        node(rest).heapMb = value;
        break;
      case 'h': {
        // h:<host>:<stat>; host names may contain ':' (a port), the stat never does.
        const last = rest.lastIndexOf(':');
        if (last <= 0) break;
        const stats = host(rest.slice(0, last));
        const stat = rest.slice(last + 1);
        if (stat === 'n') stats.pages = n;
        else if (stat === 'w') stats.waitMs = n;
        else if (stat === 'wn') stats.waits = n;
        else if (/^l\d+$/.test(stat)) stats.latency[stat.slice(1)] = n;
        break;
      }
    }
  }
  for (const stats of Object.values(bucket.nodes)) bucket.inFlight += stats.inFlight;
  return bucket;
}

/**
 * Buckets merged into one spanning them all: counters and histograms add up, gauges keep the
 * latest value. Used to downsample a long run's history.
 */
export function mergeBuckets(buckets: Bucket[]): Bucket {
  const first = buckets[0]!;
  const last = buckets.at(-1)!;
  const merged = emptyBucket(first.t, last.t + last.width - first.t);
  const add = (into: Record<string, number>, from: Record<string, number>) => mergeHistogram(into, from);
  for (const b of buckets) {
    merged.pages += b.pages;
    merged.found += b.found;
    merged.new += b.new;
    merged.changed += b.changed;
    merged.waitMs += b.waitMs;
    merged.waits += b.waits;
    add(merged.statuses, b.statuses);
    add(merged.errors, b.errors);
    if (b.queue !== null) merged.queue = b.queue;
    for (const [name, h] of Object.entries(b.hosts)) {
      merged.hosts[name] ??= { pages: 0, waitMs: 0, waits: 0, latency: {} };
      const into = merged.hosts[name];
      into.pages += h.pages;
      into.waitMs += h.waitMs;
      into.waits += h.waits;
      add(into.latency, h.latency);
    }
    for (const [name, n] of Object.entries(b.nodes)) {
      merged.nodes[name] ??= { pages: 0, inFlight: 0, rssMb: null, heapMb: null };
      const into = merged.nodes[name];
      into.pages += n.pages;
      into.inFlight = n.inFlight;
      if (n.rssMb !== null) into.rssMb = n.rssMb;
      if (n.heapMb !== null) into.heapMb = n.heapMb;
    }
  }
  merged.inFlight = last.inFlight;
  // Nodes that reported nothing in the last bucket have nothing in flight at its end.
  for (const [name, n] of Object.entries(merged.nodes)) if (!last.nodes[name]) n.inFlight = 0;
  return merged;
}

/** At most `max` buckets: runs of adjacent buckets merged into one, in order. */
export function downsample(buckets: Bucket[], max: number): Bucket[] {
  if (buckets.length <= max) return buckets;
  const per = Math.ceil(buckets.length / max);
  const out: Bucket[] = [];
  for (let i = 0; i < buckets.length; i += per) out.push(mergeBuckets(buckets.slice(i, i + per)));
  return out;
}

/** A bucket as clients see it: per-host latency as p50/p95 instead of a histogram. */
export interface BucketView extends Omit<Bucket, 'hosts'> {
  hosts: Record<
    string,
    { pages: number; waitMs: number; waits: number; p50: number | null; p95: number | null }
  >;
}

export function bucketView(bucket: Bucket): BucketView {
  const hosts: BucketView['hosts'] = {};
  for (const [name, h] of Object.entries(bucket.hosts)) {
    hosts[name] = {
      pages: h.pages,
      waitMs: h.waitMs,
      waits: h.waits,
      p50: quantile(h.latency, 0.5),
      p95: quantile(h.latency, 0.95),
    };
  }
  return { ...bucket, hosts };
}

/** A recent failure of one kind, shown beside its count. */
export const errorExampleSchema = z.object({
  at: z.number().int(),
  url: z.string().max(2000),
  message: z.string().max(500),
});
export type ErrorExample = z.infer<typeof errorExampleSchema>;

/** What a crawler node says about itself in its heartbeat. */
export const nodeInfoSchema = z.object({
  id: z.string().min(1).max(200),
  hostname: z.string().max(255),
  pid: z.number().int(),
  startedAt: z.number().int(),
  rssMb: z.number().nonnegative(),
  heapUsedMb: z.number().nonnegative(),
  heapTotalMb: z.number().nonnegative(),
  /** Responses since the node started, and per second over the last ten seconds. */
  pages: z.number().int().nonnegative(),
  pagesPerSecond: z.number().nonnegative(),
  inFlight: z.number().int().nonnegative(),
  /** Runs the node worked on in the last seconds. */
  runs: z.array(z.string()).max(100),
});
export type NodeInfo = z.infer<typeof nodeInfoSchema>;

/** Redis keys of the telemetry, under the install's prefix. */
export const telemetryKeys = {
  base: (prefix: string, runId: string) => `${prefix}:live:${runId}`,
  hosts: (prefix: string, runId: string) => `${prefix}:live:${runId}:hosts`,
  example: (prefix: string, runId: string, kind: string) => `${prefix}:live:${runId}:ex:${kind}`,
  nodes: (prefix: string) => `${prefix}:live:nodes`,
  node: (prefix: string, id: string) => `${prefix}:live:node:${id}`,
};
