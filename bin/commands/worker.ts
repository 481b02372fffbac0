import { CrawlRuns, exportActiveRuns } from '../../catalog/index.ts';
import { config } from '../../core/config.ts';
import { logger } from '../../core/logger.ts';
import { serveMetrics } from '../../core/metrics.ts';
import { exportQueueDepths } from '../../core/queues.ts';
import { hasV8Flags, V8_FLAGS } from '../../core/v8-flags.ts';
import {
  IngestWorker,
  OrderWorker,
  PromotionWorker,
  SchedulerWorker,
  SearchSyncWorker,
  startCrawlerNode,
  WebhookWorker,
} from '../../workers/index.ts';
import { keepUntilShutdown, onShutdown } from '../shutdown.ts';

export const WORKER_KINDS = ['crawl', 'ingest', 'scheduler', 'orders', 'webhooks', 'search-sync'] as const;
export type WorkerKind = (typeof WORKER_KINDS)[number];

/** `trawl worker KIND`: one kind of background worker, with its own /metrics listener. */
export async function workerCommand(kind: WorkerKind): Promise<void> {
  const log = logger().child({ component: `worker-${kind}` });
  exportQueueDepths();
  exportActiveRuns();
  if (kind === 'crawl') {
    if (!hasV8Flags())
      log.warn(
        { missing: V8_FLAGS },
        `started without ${V8_FLAGS.join(' ')}: reading pages can take half as long again; start it with npx trawl, npm run trawl, or NODE_OPTIONS="${V8_FLAGS.join(' ')}"`,
      );
    await keepUntilShutdown(await startCrawlerNode(log));
  } else if (kind === 'ingest') {
    await keepUntilShutdown(new IngestWorker(new CrawlRuns(), log));
  } else if (kind === 'scheduler') {
    await keepUntilShutdown(new SchedulerWorker(new CrawlRuns(), log));
  } else if (kind === 'orders') {
    await keepUntilShutdown(new OrderWorker(log));
    await keepUntilShutdown(new PromotionWorker(log.child({ component: 'promotions' })));
  } else if (kind === 'webhooks') {
    await keepUntilShutdown(new WebhookWorker(log));
  } else {
    await keepUntilShutdown(new SearchSyncWorker(log));
  }
  const metrics = await serveMetrics(config().METRICS_PORT, config().METRICS_HOST);
  onShutdown(() => new Promise((resolve) => metrics.server.close(() => resolve(undefined))));
  log.info({ metricsPort: metrics.port }, `${kind} worker started`);
}
