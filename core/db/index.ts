export { db, closeDb } from './client.ts';
export { Prisma } from './generated/client.ts';
export type { Site, CrawlRun, Product, PriceObservation } from './generated/client.ts';
export { CrawlStatus, Availability } from './generated/enums.ts';
