import { db } from '../core/db/index.ts';
import { crawlRunsActive, onScrape } from '../core/metrics.ts';

export interface ActiveRunCount {
  site: string;
  status: 'queued' | 'running' | 'paused';
  runs: number;
}

/**
 * Active runs by site and status. The WHERE clause is the predicate of the partial index
 * crawl_run_one_active_per_site, so the count reads that small index, not every past run.
 */
export async function activeRunCounts(): Promise<ActiveRunCount[]> {
  return db().$queryRaw<ActiveRunCount[]>`
    SELECT s.name AS site, r.status::text AS status, count(*)::int AS runs
    FROM crawl_run r JOIN site s ON s.id = r.site_id
    WHERE r.status IN ('queued', 'running', 'paused')
    GROUP BY s.name, r.status`;
}

/**
 * Samples active runs into trawl_crawl_runs on every /metrics scrape. Postgres holds a run's
 * status, so any process with a database connection can export it; every process kind does,
 * so the alert on stalled runs still fires when no crawler node is left. Dashboards and
 * alerts take the max across processes.
 */
export function exportActiveRuns(): void {
  onScrape(async () => {
    const counts = await activeRunCounts();
    // Reset after the query, in the same tick as the sets: a scrape never sees it empty, and
    // a site whose run ended loses its series instead of keeping a stale count.
    crawlRunsActive.reset();
    for (const { site, status, runs } of counts) crawlRunsActive.set({ site, status }, runs);
  });
}
