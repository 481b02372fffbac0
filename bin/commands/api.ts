import { CrawlRuns } from '../../catalog/index.ts';
import { answerMetricsRequests, isApiWorker } from '../../core/cluster-metrics.ts';
import { config } from '../../core/config.ts';
import { logger } from '../../core/logger.ts';
import { OrderWorker, PromotionWorker, SchedulerWorker } from '../../workers/index.ts';
import { keepUntilShutdown } from '../shutdown.ts';
import { serveApiProcesses } from './api-processes.ts';
import { serveApiUntilShutdown } from './serve.ts';

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
  const { url } = await serveApiUntilShutdown(config().PORT, config().HOST);
  await keepUntilShutdown(new SchedulerWorker(new CrawlRuns(), logger().child({ component: 'scheduler' })));
  await keepUntilShutdown(new OrderWorker(logger().child({ component: 'orders' })));
  // Promotion timers: window boundaries, flash-sale lapses, group-buy deadlines.
  await keepUntilShutdown(new PromotionWorker(logger().child({ component: 'promotions' })));
  if (!isApiWorker()) logger().info({ url }, 'API and storefront listening');
}
