import type { Redis } from 'ioredis';
import { z } from 'zod';
import { config } from '../core/config.ts';
import { type CrawlRunSample, db, type Prisma } from '../core/db/index.ts';
import { redis as sharedRedis } from '../core/redis.ts';
import {
  type Bucket,
  bucketSchema,
  bucketView,
  downsample,
  ERROR_KINDS,
  type ErrorExample,
  errorExampleSchema,
  TelemetryReader,
} from '../crawler/index.ts';
import { type BucketView, type SpanSummary, summarise } from './live.ts';

/** Most samples kept per run: a long run's buckets are merged down to this many. */
export const MAX_SAMPLES = 1000;
/**
 * How long after a run ends its history is read: a node adds its last counts up to a flush
 * (250 ms) later, and a second's bucket is complete once Redis's clock has left it.
 */
export const SETTLE_MS = 2500;

export interface RunHistory {
  runId: string;
  /** Width of the samples, seconds (1 for short runs; more for long or downsampled ones). */
  width: number;
  samples: BucketView[];
  summary: SpanSummary;
  examples: Partial<Record<string, ErrorExample[]>>;
}

function toRow(runId: string, bucket: Bucket): Prisma.CrawlRunSampleCreateManyInput {
  let errors = 0;
  for (const n of Object.values(bucket.errors)) errors += n;
  return {
    runId,
    at: new Date(bucket.t * 1000),
    seconds: bucket.width,
    pages: bucket.pages,
    errors,
    productsFound: bucket.found,
    productsNew: bucket.new,
    productsChanged: bucket.changed,
    queueDepth: bucket.queue,
    inFlight: bucket.inFlight,
    waitMs: BigInt(bucket.waitMs),
    waits: bucket.waits,
    statuses: bucket.statuses,
    errorKinds: bucket.errors,
    hosts: bucket.hosts,
    nodes: bucket.nodes,
  };
}

function fromRow(row: CrawlRunSample): Bucket | null {
  // Rows are ours, but JSON columns are checked like any input before they reach a chart.
  const parsed = bucketSchema.safeParse({
    t: Math.floor(row.at.getTime() / 1000),
    width: row.seconds,
    pages: row.pages,
    statuses: row.statuses,
    errors: row.errorKinds,
    found: row.productsFound,
    new: row.productsNew,
    changed: row.productsChanged,
    waitMs: Number(row.waitMs),
    waits: row.waits,
    queue: row.queueDepth,
    inFlight: row.inFlight,
    hosts: row.hosts,
    nodes: row.nodes,
  });
  return parsed.success ? parsed.data : null;
}

/** A run's telemetry moved from Redis (where it expires) to Postgres, when the run has ended. */
export class RunHistoryStore {
  readonly #reader: TelemetryReader;

  constructor(redis: Redis = sharedRedis(), prefix = config().QUEUE_PREFIX) {
    this.#reader = new TelemetryReader(redis, prefix);
  }

  /**
   * Stores an ended run's series once (later calls, and concurrent ones, change nothing: rows
   * are keyed by run and time). Waits out the settle time first. Returns the rows written.
   */
  async store(runId: string): Promise<number> {
    const run = await db().crawlRun.findUnique({
      where: { id: runId },
      select: { startedAt: true, finishedAt: true, _count: { select: { samples: true } } },
    });
    if (!run?.finishedAt || !run.startedAt || run._count.samples > 0) return 0;
    const wait = run.finishedAt.getTime() + SETTLE_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const from = Math.floor(run.startedAt.getTime() / 1000) - 2;
    const to = Math.ceil(run.finishedAt.getTime() / 1000) + 2;
    const { buckets } = await this.#reader.series(runId, from, to);
    const examples = await this.#reader.examples(runId);
    const rows = downsample(buckets, MAX_SAMPLES).map((bucket) => toRow(runId, bucket));
    await db().$transaction([
      db().crawlRunSample.createMany({ data: rows, skipDuplicates: true }),
      db().crawlRun.update({ where: { id: runId }, data: { errorExamples: examples } }),
    ]);
    return rows.length;
  }

  /** Stores the history a little after the run ended, without holding up the caller. */
  storeSoon(runId: string, onError: (error: Error) => void): void {
    const timer = setTimeout(() => void this.store(runId).catch(onError), SETTLE_MS);
    timer.unref();
  }

  /**
   * An ended run's history from Postgres. A run whose history was not stored (its process ended
   * before the timer) gets it stored now, while Redis still has the data.
   */
  async read(runId: string): Promise<RunHistory | null> {
    const run = await db().crawlRun.findUnique({
      where: { id: runId },
      select: { finishedAt: true, errorExamples: true },
    });
    if (!run) return null;
    let rows = await db().crawlRunSample.findMany({ where: { runId }, orderBy: { at: 'asc' } });
    if (rows.length === 0 && run.finishedAt && (await this.store(runId).catch(() => 0)) > 0) {
      rows = await db().crawlRunSample.findMany({ where: { runId }, orderBy: { at: 'asc' } });
    }
    const buckets = rows.flatMap((row) => fromRow(row) ?? []);
    return {
      runId,
      width: buckets[0]?.width ?? 1,
      samples: buckets.map(bucketView),
      summary: summarise(buckets),
      examples: examplesOf(run.errorExamples),
    };
  }
}

function examplesOf(value: Prisma.JsonValue): RunHistory['examples'] {
  const out: RunHistory['examples'] = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const kind of ERROR_KINDS) {
    const list = z.array(errorExampleSchema).safeParse((value as Record<string, unknown>)[kind]);
    if (list.success && list.data.length > 0) out[kind] = list.data;
  }
  return out;
}
