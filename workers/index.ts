export { startCrawlerNode } from './crawl.ts';
export { IngestWorker } from './ingest.ts';
