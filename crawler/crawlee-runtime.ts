/**
 * What a crawler node takes from Crawlee at run time, imported when a node starts. Crawlee's
 * modules cost about half a second to load, and everything that only names a node (the API,
 * which imports this folder for its URL guard; the CLI's other commands) never starts one.
 */
export { Configuration, LogLevel, log, Request } from '@crawlee/core';
export { DeliveryQueue } from './delivery-queue.ts';
export { LimitedCheerioCrawler } from './limited-crawler.ts';
