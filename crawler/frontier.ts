import type { Queue } from 'bullmq';
import { urlsSkipped } from '../core/metrics.ts';
import type { CrawlJob } from '../core/queues.ts';
import type { SiteRules } from '../core/site.ts';
import { assertPublicUrl } from './network-guard.ts';
import type { RobotsCache } from './robots.ts';
import type { RunState } from './run-state.ts';
import { trapReason } from './traps.ts';
import { normaliseUrl, urlId } from './url.ts';
import type { SkipReason, UrlFilter } from './url-filter.ts';

export interface RunContext {
  runId: string;
  siteId: string;
  siteName: string;
  rules: SiteRules;
  filter: UrlFilter;
}

export interface EnqueueResult {
  admitted: number;
  skipped: Partial<Record<SkipReason | 'stopped', number>>;
}

/** Links remembered per run as already seen (about 100 bytes each). */
const MAX_KNOWN_LINKS = 100_000;

/** Crawl job id of a URL in a run: deduplicates deliveries of the same URL in BullMQ too. */
export function crawlJobId(runId: string, id: string): string {
  return `${runId}-${id}`;
}

/**
 * The shared frontier: filters, deduplicates and budgets URLs of a run (state in Redis, so
 * it holds across every node) and queues the admitted ones as crawl jobs.
 */
export class Frontier {
  /** Per host: null when public, else why it is refused. Bounded; DNS answers change slowly. */
  readonly #hostVerdicts = new Map<string, { verdict: Promise<string | null>; expires: number }>();
  /**
   * Per run, links (as found) that the run's shared seen set already holds. A run's seen set
   * only grows, so these are duplicates for good: most links on a shop page (menus, related
   * products) are, and skipping them here saves normalising, hashing and a Redis lookup each.
   */
  readonly #known = new Map<string, Set<string>>();

  constructor(
    private readonly state: RunState,
    private readonly queue: Queue,
    private readonly robots: RobotsCache,
  ) {}

  async enqueue(
    run: RunContext,
    urls: Iterable<string>,
    depth: number,
    options: { requeueSeen?: boolean } = {},
  ): Promise<EnqueueResult> {
    const skipped: EnqueueResult['skipped'] = {};
    const skip = (reason: SkipReason | 'stopped', by = 1) => {
      skipped[reason] = (skipped[reason] ?? 0) + by;
    };
    const known = this.#knownLinks(run.runId);
    // Every form a link was found in, per URL id: all of them are known once the id is admitted.
    const found = new Map<string, string[]>();
    let knownDuplicates = 0;
    const candidates = new Map<string, string>();
    for (const raw of new Set(urls)) {
      if (!options.requeueSeen && known.has(raw)) {
        knownDuplicates++;
        continue;
      }
      const url = normaliseUrl(raw);
      if (!url) {
        skip('invalid');
        continue;
      }
      const id = urlId(url);
      if (candidates.has(id)) {
        found.get(id)!.push(raw);
        continue;
      }
      const reason = run.filter.reject(url) ?? (trapReason(url, depth, run.rules.traps) ? 'trap' : null);
      if (reason) skip(reason);
      else {
        candidates.set(id, url);
        found.set(id, [raw]);
      }
    }
    if (!run.rules.allowPrivateNetwork) {
      const verdicts = await Promise.all(
        [...candidates].map(
          async ([id, url]) => [id, await this.privateReason(url, run.rules.privateHosts)] as const,
        ),
      );
      for (const [id, reason] of verdicts) {
        if (reason) {
          candidates.delete(id);
          skip('private');
        }
      }
    }
    if (run.rules.respectRobotsTxt) {
      const verdicts = await Promise.all(
        [...candidates].map(
          async ([id, url]) =>
            [id, await this.robots.isAllowed(url, run.rules.userAgent, run.rules)] as const,
        ),
      );
      for (const [id, allowed] of verdicts) {
        if (!allowed) {
          candidates.delete(id);
          skip('robots');
        }
      }
    }
    const ids = [...candidates.keys()];
    // What was filtered out here is counted in the same socket write as the admission; the
    // admit script counts duplicates and budget overflow itself.
    const counted: Record<string, number> = knownDuplicates > 0 ? { 'skip:duplicate': knownDuplicates } : {};
    for (const [reason, count] of Object.entries(skipped)) counted[`skip:${reason}`] = count;
    const [verdicts] = await Promise.all([
      this.state.admit(run.runId, ids),
      this.state.count(run.runId, counted),
    ]);
    const jobs: Array<{ name: string; data: CrawlJob; opts: { jobId: string } }> = [];
    verdicts.forEach((verdict, i) => {
      const id = ids[i]!;
      if (verdict === 'ok' || verdict === 'duplicate')
        for (const link of found.get(id)!) this.#remember(known, link);
      if (verdict === 'ok' || (verdict === 'duplicate' && options.requeueSeen)) {
        jobs.push({
          name: 'page',
          data: { runId: run.runId, siteId: run.siteId, url: candidates.get(id)!, depth },
          opts: { jobId: crawlJobId(run.runId, id) },
        });
      } else if (verdict !== 'duplicate') {
        skip(verdict);
      }
    });
    if (jobs.length > 0) await this.queue.addBulk(jobs);
    for (const [reason, count] of Object.entries(skipped))
      urlsSkipped.inc({ site: run.siteName, reason }, count);
    return { admitted: verdicts.filter((v) => v === 'ok').length, skipped };
  }

  #knownLinks(runId: string): Set<string> {
    let known = this.#known.get(runId);
    if (!known) {
      // Nodes work on a few runs at a time; older runs' entries go.
      if (this.#known.size >= 8) this.#known.delete(this.#known.keys().next().value!);
      known = new Set();
      this.#known.set(runId, known);
    }
    return known;
  }

  #remember(known: Set<string>, link: string): void {
    // Bounded: starting over only costs a Redis lookup per link again.
    if (known.size >= MAX_KNOWN_LINKS) known.clear();
    known.add(link);
  }

  /** Why a URL's host may not be crawled without `allowPrivateNetwork`, or null. */
  privateReason(url: string, allowedHosts: readonly string[] = []): Promise<string | null> {
    const host = new URL(url).hostname;
    if (allowedHosts.includes(host.toLowerCase())) return Promise.resolve(null);
    const now = Date.now();
    const cached = this.#hostVerdicts.get(host);
    if (cached && cached.expires > now) return cached.verdict;
    const verdict = assertPublicUrl(url).then(
      () => null,
      (error: Error) => `${url}: ${error.message}`,
    );
    this.#hostVerdicts.set(host, { verdict, expires: now + 60_000 });
    if (this.#hostVerdicts.size > 10_000) {
      for (const [key, entry] of this.#hostVerdicts) if (entry.expires <= now) this.#hostVerdicts.delete(key);
      if (this.#hostVerdicts.size > 10_000) this.#hostVerdicts.clear();
    }
    return verdict;
  }
}
