import { answerMetricsRequests, isApiWorker } from '../../core/cluster-metrics.ts';
import { config } from '../../core/config.ts';
import { logger } from '../../core/logger.ts';
import { keepUntilShutdown } from '../shutdown.ts';
import { serveApiProcesses } from './api-processes.ts';

/**
 * `trawl api`: the API and storefront, with the scheduler and the order and promotion timers
 * (more of each may run elsewhere). With API_PROCESSES > 1, this process only supervises, and
 * loads nothing of the API itself (the processes it starts do).
 */
export async function apiCommand(): Promise<void> {
  if (config().API_PROCESSES > 1 && !isApiWorker()) {
    const { url } = await serveApiProcesses(config().API_PROCESSES);
    logger().info({ url, processes: config().API_PROCESSES }, 'API and storefront listening');
    return;
  }
  const [{ CrawlRuns }, { OrderWorker, PromotionWorker, SchedulerWorker }, serve] = await Promise.all([
    import('../../catalog/index.ts'),
    import('../../workers/index.ts'),
    import('./serve.ts'),
  ]);
  if (isApiWorker()) answerMetricsRequests();
  const { url } = await serve.serveApiUntilShutdown(config().PORT, config().HOST);
  await keepUntilShutdown(new SchedulerWorker(new CrawlRuns(), logger().child({ component: 'scheduler' })));
  await keepUntilShutdown(new OrderWorker(logger().child({ component: 'orders' })));
  // Promotion timers: window boundaries, flash-sale lapses, group-buy deadlines.
  await keepUntilShutdown(new PromotionWorker(logger().child({ component: 'promotions' })));
  if (!isApiWorker()) logger().info({ url }, 'API and storefront listening');
}
