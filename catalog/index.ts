export { ConflictError, NotFoundError } from '../core/errors.ts';
export { type ActiveRunCount, activeRunCounts, exportActiveRuns } from './active-runs.ts';
export {
  type AdminProductDetail,
  type AdminProductPage,
  type AdminProductQuery,
  type AdminProductRow,
  adminProductQuerySchema,
  createManualProduct,
  getAdminProduct,
  listAdminProducts,
  type ManualProductInput,
  manualProductSchema,
  productStatuses,
  updateManualProduct,
} from './admin-products.ts';
export { contentHash, type ProductWrite, type WriteOutcome, writeProducts } from './ingest.ts';
export {
  getListings,
  type Listing,
  type PurchaseProblem,
  purchaseProblem,
  purchaseProblemText,
  weightFromAttributes,
} from './listings.ts';
export {
  type Bucket,
  type BucketView,
  bucketView,
  type ErrorExample,
  type HostSummary,
  type LiveRead,
  LiveRuns,
  type LiveSnapshot,
  type NodeInfo,
  type NodeSummary,
  type SpanSummary,
  snapshotOf,
  summarise,
} from './live.ts';
export {
  clearOverrides,
  type ListingOverrideView,
  listedPrice,
  MAX_BULK,
  type OverridePatch,
  overridePatchSchema,
  setOverrides,
} from './overrides.ts';

export { getProduct, type ProductDetail, productDetailSchema } from './products.ts';
export {
  assertMayWriteRules,
  type PolitenessFloors,
  politenessFloors,
  scheduleIntervalMinutes,
} from './rule-policy.ts';
export { type RunHistory, RunHistoryStore } from './run-history.ts';
export { CrawlRuns, type RunView } from './runs.ts';
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
  listSiteVersions,
  putSite,
  replaceSiteRules,
  rollbackSite,
  SiteExistsError,
  type SiteRecord,
  type SiteSummary,
  type SiteVersionView,
  setSiteOwner,
  siteSummaries,
  updateSite,
} from './sites.ts';
