import type { Redis } from 'ioredis';
import { config } from '../core/config.ts';
import { redisFailFast } from '../core/redis.ts';
import {
  type Bucket,
  type BucketView,
  bucketView,
  type ErrorExample,
  type LiveRead,
  mergeBuckets,
  type NodeInfo,
  quantile,
  TelemetryReader,
} from '../crawler/index.ts';

export type { Bucket, BucketView, ErrorExample, LiveRead, NodeInfo };
export { bucketView };

/** A host over some span of a run: responses, latency percentiles (ms) and politeness waits. */
export interface HostSummary {
  host: string;
  pages: number;
  p50: number | null;
  p95: number | null;
  /** Mean wait for a host slot, ms. */
  meanWaitMs: number | null;
  waits: number;
}

/** A crawler node's part in a run (pages) and its last reported memory. */
export interface NodeSummary {
  id: string;
  pages: number;
  pagesPerSecond: number;
  inFlight: number;
  rssMb: number | null;
  heapMb: number | null;
}

/** Totals over a span of buckets, for tables beside the charts. */
export interface SpanSummary {
  seconds: number;
  pages: number;
  pagesPerSecond: number;
  statuses: Record<string, number>;
  errors: Record<string, number>;
  hosts: HostSummary[];
  nodes: NodeSummary[];
}

export function summarise(buckets: Bucket[]): SpanSummary {
  if (buckets.length === 0)
    return { seconds: 0, pages: 0, pagesPerSecond: 0, statuses: {}, errors: {}, hosts: [], nodes: [] };
  const whole = mergeBuckets(buckets);
  const seconds = Math.max(1, whole.width);
  const hosts = Object.entries(whole.hosts)
    .map(([host, h]) => ({
      host,
      pages: h.pages,
      p50: quantile(h.latency, 0.5),
      p95: quantile(h.latency, 0.95),
      meanWaitMs: h.waits > 0 ? Math.round(h.waitMs / h.waits) : null,
      waits: h.waits,
    }))
    .sort((a, b) => b.pages - a.pages || a.host.localeCompare(b.host));
  const nodes = Object.entries(whole.nodes)
    .map(([id, n]) => ({
      id,
      pages: n.pages,
      pagesPerSecond: Math.round((n.pages / seconds) * 10) / 10,
      inFlight: n.inFlight,
      rssMb: n.rssMb,
      heapMb: n.heapMb,
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
  return {
    seconds,
    pages: whole.pages,
    pagesPerSecond: Math.round((whole.pages / seconds) * 10) / 10,
    statuses: whole.statuses,
    errors: whole.errors,
    hosts,
    nodes,
  };
}

/** What the live run view shows at one moment (also the first thing the page renders). */
export interface LiveSnapshot {
  /** Redis's clock (epoch s): the buckets are complete up to `to`. */
  now: number;
  to: number;
  truncated: boolean;
  counters: {
    status: string | null;
    queued: number;
    fetched: number;
    failed: number;
    productsFound: number;
    productsNew: number;
    productsChanged: number;
    skipped: Record<string, number>;
    queueDepth: number;
    inFlight: number;
  } | null;
  buckets: BucketView[];
  /** The last ten seconds (rates) and the last minute (hosts, nodes). */
  recent: SpanSummary;
  minute: SpanSummary;
  examples: Partial<Record<string, ErrorExample[]>>;
  /** Crawler nodes alive (all of them, not only this run's): for staff only. */
  nodes: NodeInfo[] | null;
}

export function snapshotOf(read: LiveRead, options: { nodes: boolean; window?: Bucket[] }): LiveSnapshot {
  const window = options.window ?? read.buckets;
  // Requests in flight as the nodes reported them in the last complete second.
  const inFlight = (window.at(-1) ?? read.buckets.at(-1))?.inFlight ?? 0;
  return {
    now: read.now,
    to: read.to,
    truncated: read.truncated,
    counters: read.counters
      ? {
          status: read.counters.status,
          queued: read.counters.queued,
          fetched: read.counters.fetched,
          failed: read.counters.failed,
          productsFound: read.counters.productsFound,
          productsNew: read.counters.productsNew,
          productsChanged: read.counters.productsChanged,
          skipped: read.counters.skipped,
          queueDepth: read.queueDepth,
          inFlight,
        }
      : null,
    buckets: read.buckets.map(bucketView),
    recent: summarise(window.slice(-10)),
    minute: summarise(window.slice(-60)),
    examples: read.examples,
    nodes: options.nodes ? read.nodes : null,
  };
}

/** Reading runs' live telemetry for the API: one instance per process is enough. */
export class LiveRuns {
  readonly reader: TelemetryReader;

  constructor(redis: Redis = redisFailFast(), prefix = config().QUEUE_PREFIX) {
    this.reader = new TelemetryReader(redis, prefix);
  }

  read(runId: string, after: number | null, options: { backfill?: number; max?: number } = {}) {
    return this.reader.read(runId, after, options);
  }
}
