export { contentHash, type ProductWrite, type WriteOutcome, writeProducts } from './ingest.ts';
export { getProduct, type ProductDetail, productDetailSchema } from './products.ts';
export { ConflictError, CrawlRuns, NotFoundError, type RunView } from './runs.ts';
export { nextScheduledRuns, removeSchedule, syncSchedule } from './schedules.ts';
export {
  formatDecimal,
  type ProductSummary,
  productSummarySchema,
  queryTokens,
  type SearchQuery,
  type SearchResult,
  searchProducts,
  searchQuerySchema,
  searchResultSchema,
} from './search.ts';
export {
  createSite,
  deleteSite,
  getSite,
  listSites,
  putSite,
  SiteExistsError,
  type SiteRecord,
  updateSite,
} from './sites.ts';
