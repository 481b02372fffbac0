import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { config } from '../core/config.ts';
import { type CrawlRun, CrawlStatus, db, Prisma } from '../core/db/index.ts';
import { ConflictError, NotFoundError, UnavailableError } from '../core/errors.ts';
import { type CrawlJob, queue } from '../core/queues.ts';
import { isRedisUnavailable, redis, redisFailFast } from '../core/redis.ts';
import {
  crawlJobId,
  Frontier,
  RobotsCache,
  type RunContext,
  RunState,
  sitemapUrls,
  UrlFilter,
  urlId,
} from '../crawler/index.ts';
import { getSite, type SiteRecord } from './sites.ts';

const unavailable = () =>
  new UnavailableError('the crawl queue (Redis) is unreachable: nothing was started; try again shortly');

/** A run as the API shows it: the stored row with live counters while it is active. */
export interface RunView {
  id: string;
  siteId: string;
  status: CrawlStatus;
  trigger: string;
  queued: number;
  fetched: number;
  failed: number;
  productsFound: number;
  productsIngested: number | null;
  productsNew: number;
  productsChanged: number;
  productsGone: number;
  skipped: Record<string, number>;
  failureReason: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

const active: CrawlStatus[] = [CrawlStatus.queued, CrawlStatus.running, CrawlStatus.paused];

/** Starting, pausing, resuming, cancelling, finishing and reading crawl runs (Postgres rows + Redis live state). */
export class CrawlRuns {
  readonly #state: RunState;
  readonly #frontier: Frontier;
  readonly #robots: RobotsCache;
  readonly #queue: Queue;
  readonly #redis: Redis;

  /**
   * For request paths (the API): Redis commands fail within about a second when Redis is down,
   * so a request answers 503 instead of waiting for Redis to return.
   */
  static forRequests(): CrawlRuns {
    return new CrawlRuns(redisFailFast(), queue('crawl', { failFast: true }));
  }

  constructor(redisClient: Redis = redis(), crawlQueue: Queue = queue('crawl')) {
    this.#redis = redisClient;
    this.#state = new RunState(redisClient);
    this.#robots = new RobotsCache(config().USER_AGENT, { redis: redisClient });
    this.#queue = crawlQueue;
    this.#frontier = new Frontier(this.#state, crawlQueue, this.#robots);
  }

  /** Creates a run of the site and queues its start URLs. One active run per site. */
  async start(siteNameOrId: string, options: { trigger?: 'manual' | 'schedule' } = {}): Promise<RunView> {
    const site = await getSite(siteNameOrId);
    if (!site) throw new NotFoundError(`no site "${siteNameOrId}"`);
    // Refuse before writing anything when the frontier is unreachable.
    await this.#redis.ping().catch((error: unknown) => {
      throw isRedisUnavailable(error) ? unavailable() : error;
    });
    let run: CrawlRun;
    try {
      // The partial unique index crawl_run_one_active_per_site decides races between starts.
      run = await db().crawlRun.create({
        data: {
          siteId: site.id,
          status: CrawlStatus.running,
          startedAt: new Date(),
          trigger: options.trigger ?? 'manual',
        },
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        const current = await db().crawlRun.findFirst({ where: { siteId: site.id, status: { in: active } } });
        throw new ConflictError(
          `site "${site.name}" has an active run${current ? ` (${current.id}, ${current.status})` : ''}`,
        );
      }
      throw error;
    }
    try {
      return await this.#begin(run, site);
    } catch (error) {
      // No half-started run: the row ends failed (freeing the site) and Redis forgets it.
      const reason = isRedisUnavailable(error)
        ? 'Redis became unreachable while the run was starting'
        : `the run could not start: ${(error as Error).message}`.slice(0, 500);
      await db()
        .crawlRun.updateMany({
          where: { id: run.id, status: { in: active } },
          data: { status: CrawlStatus.failed, finishedAt: new Date(), failureReason: reason },
        })
        .catch(() => {});
      await this.#state.cancel(run.id).catch(() => {});
      throw isRedisUnavailable(error) ? unavailable() : error;
    }
  }

  async #begin(run: CrawlRun, site: SiteRecord): Promise<RunView> {
    await this.#state.start(run.id, site.rules.maxPages);
    const context = {
      runId: run.id,
      siteId: site.id,
      siteName: site.name,
      rules: site.rules,
      filter: new UrlFilter(site.rules),
    };
    if (site.rules.seedFromSitemaps) await this.#state.setSeeding(run.id, true);
    const { admitted } = await this.#frontier.enqueue(context, site.rules.startUrls, 0);
    if (site.rules.seedFromSitemaps) {
      // Sitemaps can list millions of URLs: streamed into the frontier after the response.
      void this.#seedFromSitemaps(context).catch(() => {});
    } else if (admitted === 0 && (await this.#state.checkFinished(run.id))) {
      const reasons = await Promise.all(
        site.rules.startUrls.map(
          async (url) =>
            (site.rules.allowPrivateNetwork
              ? null
              : await this.#frontier.privateReason(url, site.rules.privateHosts)) ??
            (site.rules.respectRobotsTxt ? await this.#robots.explain(url, undefined, site.rules) : null),
        ),
      );
      await this.#store(run.id, CrawlStatus.failed, reasons.find((r) => r !== null) ?? undefined);
    }
    return (await this.get(run.id))!;
  }

  /** Queues the page URLs of the sitemaps robots.txt names (and /sitemap.xml) for each start origin. */
  async #seedFromSitemaps(context: RunContext): Promise<void> {
    const { rules } = context;
    const userAgent = rules.userAgent ?? config().USER_AGENT;
    try {
      const origins = [...new Set(rules.startUrls.map((u) => new URL(u).origin))];
      const sitemaps = new Set<string>();
      for (const origin of origins) {
        for (const url of await this.#robots.sitemaps(origin, rules)) sitemaps.add(url);
        if (sitemaps.size === 0) sitemaps.add(`${origin}/sitemap.xml`);
      }
      for (const sitemap of sitemaps) {
        let batch: string[] = [];
        for await (const url of sitemapUrls(sitemap, {
          userAgent,
          maxUrls: rules.maxPages,
          network: rules,
        })) {
          batch.push(url);
          if (batch.length >= 500) {
            await this.#frontier.enqueue(context, batch, 1);
            batch = [];
          }
        }
        if (batch.length > 0) await this.#frontier.enqueue(context, batch, 1);
      }
    } finally {
      await this.#state.setSeeding(context.runId, false);
      if (await this.#state.checkFinished(context.runId)) await this.finish(context.runId);
    }
  }

  /** Stops fetching on every node: queued URLs are parked, nothing is lost. */
  async pause(runId: string): Promise<RunView> {
    const row = await this.#row(runId);
    if (row.status !== CrawlStatus.running)
      throw new ConflictError(`run ${runId} is ${row.status}, not running`);
    await this.#state.pause(runId);
    await db().crawlRun.updateMany({
      where: { id: runId, status: CrawlStatus.running },
      data: { status: CrawlStatus.paused },
    });
    return (await this.get(runId))!;
  }

  /** Continues a paused run where it stopped. */
  async resume(runId: string): Promise<RunView> {
    const row = await this.#row(runId);
    if (row.status !== CrawlStatus.paused)
      throw new ConflictError(`run ${runId} is ${row.status}, not paused`);
    await db().crawlRun.updateMany({
      where: { id: runId, status: CrawlStatus.paused },
      data: { status: CrawlStatus.running },
    });
    const parked = (await this.#state.resume(runId)) ?? [];
    const stamp = Date.now().toString(36);
    const jobs = parked.map((payload) => {
      const data = JSON.parse(payload) as CrawlJob;
      // A fresh id: the parked job's own id may still be kept as completed, and BullMQ would ignore it.
      return { name: 'page', data, opts: { jobId: `${crawlJobId(runId, urlId(data.url))}-r${stamp}` } };
    });
    for (let i = 0; i < jobs.length; i += 1000) await this.#queue.addBulk(jobs.slice(i, i + 1000));
    if (await this.#state.checkFinished(runId)) await this.finish(runId);
    return (await this.get(runId))!;
  }

  /** Stops a run on every node: queued URLs drain without being fetched. */
  async cancel(runId: string): Promise<RunView> {
    const row = await this.#row(runId);
    if (active.includes(row.status)) {
      await this.#state.cancel(runId);
      await this.#store(runId, CrawlStatus.cancelled);
    }
    return (await this.get(runId))!;
  }

  /**
   * Called once by the node that saw the run drain: stores the final counters and status and,
   * after a complete run, marks the site's products it did not see as gone.
   */
  async finish(runId: string): Promise<void> {
    const counters = await this.#state.counters(runId);
    const succeeded = counters !== null && counters.fetched > 0;
    // A run cut short by its page budget did not see the whole shop: it proves nothing gone.
    const complete = succeeded && !counters.skipped.budget && counters.failed === 0;
    let gone = 0;
    if (complete) gone = await markGone(runId);
    await this.#store(
      runId,
      succeeded ? CrawlStatus.completed : CrawlStatus.failed,
      undefined,
      gone,
      counters,
    );
  }

  async #row(runId: string): Promise<CrawlRun> {
    const row = await db().crawlRun.findUnique({ where: { id: runId } });
    if (!row) throw new NotFoundError(`no run "${runId}"`);
    return row;
  }

  async #store(
    runId: string,
    status: CrawlStatus,
    reason?: string,
    gone = 0,
    known?: Awaited<ReturnType<RunState['counters']>>,
  ): Promise<void> {
    const counters = known ?? (await this.#state.counters(runId));
    let failureReason: string | null = null;
    if (status === CrawlStatus.failed) {
      failureReason = reason ?? counters?.firstError ?? describeNothingCrawled(counters?.skipped ?? {});
    }
    // Only a live run changes state: finishing twice, or after a cancel, is a no-op.
    await db().crawlRun.updateMany({
      where: { id: runId, status: { in: active } },
      data: {
        status,
        finishedAt: new Date(),
        failureReason,
        productsGone: gone,
        ...(counters
          ? {
              queued: counters.queued,
              fetched: counters.fetched,
              failed: counters.failed,
              productsFound: counters.productsFound,
              productsNew: counters.productsNew,
              productsChanged: counters.productsChanged,
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

  /** Newest first: of one site, of several (a merchant's), or of all. */
  async list(site?: string | readonly string[], limit = 50): Promise<RunView[]> {
    const rows = await db().crawlRun.findMany({
      where:
        site === undefined ? {} : typeof site === 'string' ? { siteId: site } : { siteId: { in: [...site] } },
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
    return Promise.all(rows.map((row) => this.#view(row)));
  }

  async #view(row: CrawlRun): Promise<RunView> {
    // With Redis unreachable a live run shows its last stored counters rather than failing.
    const live = active.includes(row.status) ? await this.#state.counters(row.id).catch(() => null) : null;
    return {
      id: row.id,
      siteId: row.siteId,
      status: row.status,
      trigger: row.trigger,
      queued: live?.queued ?? row.queued,
      fetched: live?.fetched ?? row.fetched,
      failed: live?.failed ?? row.failed,
      productsFound: live?.productsFound ?? row.productsFound,
      productsIngested: live?.productsIngested ?? null,
      productsNew: live?.productsNew ?? row.productsNew,
      productsChanged: live?.productsChanged ?? row.productsChanged,
      productsGone: row.productsGone,
      skipped: live?.skipped ?? (row.skipped as Record<string, number>),
      failureReason: row.failureReason,
      createdAt: row.createdAt,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
    };
  }
}

/** Marks products of the run's site that the run did not see as gone (kept, not deleted), with events. */
export async function markGone(runId: string): Promise<number> {
  const [row] = await db().$queryRaw<Array<{ gone: number }>>`
    WITH run AS (SELECT site_id FROM crawl_run WHERE id = ${runId}::uuid),
    gone AS (
      UPDATE product p SET gone_at = now()
      FROM run
      WHERE p.site_id = run.site_id AND p.origin = 'crawled' AND p.gone_at IS NULL
        AND p.last_run_id IS DISTINCT FROM ${runId}::uuid
      RETURNING p.id, p.price, p.currency, p.availability
    ),
    events AS (
      INSERT INTO product_event (product_id, run_id, kind, old_price, old_currency, old_availability)
      SELECT id, ${runId}::uuid, 'gone', price, currency, availability FROM gone
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM events)::int AS gone`;
  return row?.gone ?? 0;
}

function describeNothingCrawled(skipped: Record<string, number>): string {
  const reasons = Object.entries(skipped)
    .map(([reason, count]) => `${count} ${reason}`)
    .join(', ');
  return reasons ? `no start URL could be crawled (skipped: ${reasons})` : 'no page could be fetched';
}
