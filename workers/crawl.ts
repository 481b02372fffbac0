import type { Logger } from 'pino';
import { CrawlRuns } from '../catalog/runs.ts';
import { getSite } from '../catalog/sites.ts';
import { config } from '../core/config.ts';
import { queue } from '../core/queues.ts';
import { createRedis } from '../core/redis.ts';
import { CrawlerNode } from '../crawler/index.ts';

/** Starts a crawler node wired to the shared frontier, the ingest queue and Postgres. */
export async function startCrawlerNode(
  logger: Logger,
  options: { concurrency?: number; jobs?: number } = {},
): Promise<CrawlerNode> {
  const settings = config();
  const runs = new CrawlRuns();
  // A process's first Prisma query loads and compiles the query compiler (WebAssembly): done
  // before the node takes jobs, so its first pages do not stall behind it.
  await getSite('00000000-0000-4000-8000-000000000000');
  const node = new CrawlerNode({
    connection: createRedis({ forWorker: true }),
    // Commands that concurrent pages issue in the same tick share one socket write: on
    // loopback each write costs the sender the whole TCP receive path.
    redis: createRedis({ autoPipelining: true }),
    crawlQueue: queue('crawl'),
    ingestQueue: queue('ingest'),
    prefix: settings.QUEUE_PREFIX,
    concurrency: options.concurrency ?? settings.CRAWL_CONCURRENCY,
    ...(options.jobs ? { jobs: options.jobs } : {}),
    lockMs: settings.CRAWL_LOCK_MS,
    chromiumPath: settings.CHROMIUM_PATH,
    fetchTimeoutMs: settings.FETCH_TIMEOUT_MS,
    userAgent: settings.USER_AGENT,
    logger,
    loadSite: async (siteId) => {
      const site = await getSite(siteId);
      return site ? { name: site.name, rules: site.rules } : null;
    },
    onRunFinished: (runId) => runs.finish(runId),
  });
  await node.start();
  return node;
}
