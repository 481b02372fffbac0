export { closeDb, db, isDatabaseUnavailable, searchPool } from './client.ts';
export type { CrawlRun, CrawlRunSample, PriceObservation, Product, Site } from './generated/client.ts';
export { Prisma } from './generated/client.ts';
export {
  Availability,
  CrawlStatus,
  OrderStatus,
  PaymentStatus,
  RefundStatus,
  ShippingKind,
} from './generated/enums.ts';
