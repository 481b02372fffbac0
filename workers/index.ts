export { startCrawlerNode } from './crawl.ts';
export { IngestWorker } from './ingest.ts';
export { SchedulerWorker } from './scheduler.ts';
