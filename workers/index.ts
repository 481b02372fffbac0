export { startCrawlerNode } from './crawl.ts';
export { IngestWorker } from './ingest.ts';
export { OrderWorker } from './orders.ts';
export { PromotionWorker } from './promotions.ts';
export { SchedulerWorker } from './scheduler.ts';
export { SearchSyncWorker } from './search-sync.ts';
export { deliverDueWebhooks, deliverWebhook, WebhookWorker } from './webhooks.ts';
