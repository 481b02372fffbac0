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
import { onShutdown } from '../shutdown.ts';

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
    const node = await startCrawlerNode(log);
    onShutdown(() => node.close());
  } else if (kind === 'ingest') {
    const worker = new IngestWorker(new CrawlRuns(), log);
    await worker.ready();
    onShutdown(() => worker.close());
  } else if (kind === 'scheduler') {
    const worker = new SchedulerWorker(new CrawlRuns(), log);
    await worker.ready();
    onShutdown(() => worker.close());
  } else if (kind === 'orders') {
    const worker = new OrderWorker(log);
    await worker.ready();
    onShutdown(() => worker.close());
    const promotions = new PromotionWorker(log.child({ component: 'promotions' }));
    await promotions.ready();
    onShutdown(() => promotions.close());
  } else if (kind === 'webhooks') {
    const worker = new WebhookWorker(log);
    onShutdown(() => worker.close());
  } else {
    const worker = new SearchSyncWorker(log);
    onShutdown(() => worker.close());
  }
  const metrics = await serveMetrics(config().METRICS_PORT, config().METRICS_HOST);
  onShutdown(() => new Promise((resolve) => metrics.server.close(() => resolve(undefined))));
  log.info({ metricsPort: metrics.port }, `${kind} worker started`);
}
