import { closeLiveStreams } from '../../api/index.ts';
import { CrawlRuns, exportActiveRuns } from '../../catalog/index.ts';
import { answerMetricsRequests, isApiWorker } from '../../core/cluster-metrics.ts';
import { config } from '../../core/config.ts';
import { logger } from '../../core/logger.ts';
import { exportQueueDepths } from '../../core/queues.ts';
import { OrderWorker, PromotionWorker, SchedulerWorker } from '../../workers/index.ts';
import { onShutdown } from '../shutdown.ts';
import { serveApiProcesses } from './api-processes.ts';
import { serveApi } from './serve.ts';

/**
 * `trawl api`: the API and storefront, with the scheduler and the order and promotion timers
 * (more of each may run elsewhere). With API_PROCESSES > 1, this process only supervises.
 */
export async function apiCommand(): Promise<void> {
  if (config().API_PROCESSES > 1 && !isApiWorker()) {
    const { url } = await serveApiProcesses(config().API_PROCESSES);
    logger().info({ url, processes: config().API_PROCESSES }, 'API and storefront listening');
    return;
  }
  if (isApiWorker()) answerMetricsRequests();
  exportQueueDepths();
  exportActiveRuns();
  const { url, server } = await serveApi(config().PORT, config().HOST);
  onShutdown(() => new Promise((resolve) => server.close(() => resolve(undefined))));
  // Runs before the server closes (hooks run newest first): open live streams would hold it.
  onShutdown(closeLiveStreams);
  const scheduler = new SchedulerWorker(new CrawlRuns(), logger().child({ component: 'scheduler' }));
  await scheduler.ready();
  onShutdown(() => scheduler.close());
  const orders = new OrderWorker(logger().child({ component: 'orders' }));
  await orders.ready();
  onShutdown(() => orders.close());
  // Promotion timers: window boundaries, flash-sale lapses, group-buy deadlines.
  const promotions = new PromotionWorker(logger().child({ component: 'promotions' }));
  await promotions.ready();
  onShutdown(() => promotions.close());
  if (!isApiWorker()) logger().info({ url }, 'API and storefront listening');
}
