export { createSite, putSite, updateSite, getSite, listSites, deleteSite, SiteExistsError, type SiteRecord } from './sites.ts';
export { CrawlRuns, NotFoundError, type RunView } from './runs.ts';
export { writeProducts, contentHash, type ProductWrite, type WriteOutcome } from './ingest.ts';
export {
  searchProducts,
  searchQuerySchema,
  searchResultSchema,
  productSummarySchema,
  queryTokens,
  formatDecimal,
  type SearchQuery,
  type SearchResult,
  type ProductSummary,
} from './search.ts';
export { getProduct, productDetailSchema, type ProductDetail } from './products.ts';
