import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { config } from '../core/config.ts';
import { type CrawlRun, CrawlStatus, db } from '../core/db/index.ts';
import { queue } from '../core/queues.ts';
import { redis } from '../core/redis.ts';
import { Frontier, RobotsCache, RunState, UrlFilter } from '../crawler/index.ts';
import { getSite } from './sites.ts';

export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** A run as the API shows it: the stored row with live counters while it is running. */
export interface RunView {
  id: string;
  siteId: string;
  status: CrawlStatus;
  queued: number;
  fetched: number;
  failed: number;
  productsFound: number;
  productsIngested: number | null;
  skipped: Record<string, number>;
  failureReason: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** Starting, cancelling, finishing and reading crawl runs (Postgres rows + Redis live state). */
export class CrawlRuns {
  readonly #state: RunState;
  readonly #frontier: Frontier;
  readonly #robots: RobotsCache;

  constructor(redisClient: Redis = redis(), crawlQueue: Queue = queue('crawl')) {
    this.#state = new RunState(redisClient);
    this.#robots = new RobotsCache(config().USER_AGENT);
    this.#frontier = new Frontier(this.#state, crawlQueue, this.#robots);
  }

  /** Creates a run of the site and queues its start URLs. */
  async start(siteNameOrId: string): Promise<RunView> {
    const site = await getSite(siteNameOrId);
    if (!site) throw new NotFoundError(`no site "${siteNameOrId}"`);
    const run = await db().crawlRun.create({
      data: { siteId: site.id, status: CrawlStatus.running, startedAt: new Date() },
    });
    await this.#state.start(run.id, site.rules.maxPages);
    const context = {
      runId: run.id,
      siteId: site.id,
      siteName: site.name,
      rules: site.rules,
      filter: new UrlFilter(site.rules),
    };
    const { admitted } = await this.#frontier.enqueue(context, site.rules.startUrls, 0);
    if (admitted === 0 && (await this.#state.checkFinished(run.id))) {
      const reasons = await Promise.all(
        site.rules.startUrls.map(
          async (url) =>
            (site.rules.allowPrivateNetwork ? null : await this.#frontier.privateReason(url)) ??
            (site.rules.respectRobotsTxt ? await this.#robots.explain(url) : null),
        ),
      );
      await this.#store(run.id, CrawlStatus.failed, reasons.find((r) => r !== null) ?? undefined);
    }
    return (await this.get(run.id))!;
  }

  /** Stops a run on every node: queued URLs drain without being fetched. */
  async cancel(runId: string): Promise<RunView> {
    const row = await db().crawlRun.findUnique({ where: { id: runId } });
    if (!row) throw new NotFoundError(`no run "${runId}"`);
    if (row.status === CrawlStatus.running || row.status === CrawlStatus.queued) {
      await this.#state.cancel(runId);
      await this.#store(runId, CrawlStatus.cancelled);
    }
    return (await this.get(runId))!;
  }

  /** Called once by the node that saw the run drain: stores the final counters and status. */
  async finish(runId: string): Promise<void> {
    const counters = await this.#state.counters(runId);
    const succeeded = counters !== null && counters.fetched > 0;
    await this.#store(runId, succeeded ? CrawlStatus.completed : CrawlStatus.failed);
  }

  async #store(runId: string, status: CrawlStatus, reason?: string): Promise<void> {
    const counters = await this.#state.counters(runId);
    let failureReason: string | null = null;
    if (status === CrawlStatus.failed) {
      failureReason = reason ?? counters?.firstError ?? describeNothingCrawled(counters?.skipped ?? {});
    }
    // Only a live run changes state: finishing twice, or after a cancel, is a no-op.
    await db().crawlRun.updateMany({
      where: { id: runId, status: { in: [CrawlStatus.running, CrawlStatus.queued] } },
      data: {
        status,
        finishedAt: new Date(),
        failureReason,
        ...(counters
          ? {
              queued: counters.queued,
              fetched: counters.fetched,
              failed: counters.failed,
              productsFound: counters.productsFound,
              skipped: counters.skipped,
            }
          : {}),
      },
    });
  }

  async get(runId: string): Promise<RunView | null> {
    const row = await db().crawlRun.findUnique({ where: { id: runId } });
    if (!row) return null;
    return this.#view(row);
  }

  async list(siteId?: string, limit = 50): Promise<RunView[]> {
    const rows = await db().crawlRun.findMany({
      where: siteId ? { siteId } : {},
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
    return Promise.all(rows.map((row) => this.#view(row)));
  }

  async #view(row: CrawlRun): Promise<RunView> {
    const live = row.status === CrawlStatus.running ? await this.#state.counters(row.id) : null;
    return {
      id: row.id,
      siteId: row.siteId,
      status: row.status,
      queued: live?.queued ?? row.queued,
      fetched: live?.fetched ?? row.fetched,
      failed: live?.failed ?? row.failed,
      productsFound: live?.productsFound ?? row.productsFound,
      productsIngested: live?.productsIngested ?? null,
      skipped: live?.skipped ?? (row.skipped as Record<string, number>),
      failureReason: row.failureReason,
      createdAt: row.createdAt,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
    };
  }
}

function describeNothingCrawled(skipped: Record<string, number>): string {
  const reasons = Object.entries(skipped)
    .map(([reason, count]) => `${count} ${reason}`)
    .join(', ');
  return reasons ? `no start URL could be crawled (skipped: ${reasons})` : 'no page could be fetched';
}
