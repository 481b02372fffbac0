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
export { PostgresEngine, type SearchEngine, searchEngine } from './engine.ts';
export {
  catalogProductOf,
  describeReason,
  explainGrouping,
  type Grouping,
  groupingSchema,
  mergeProducts,
  splitOffer,
  unlockOffer,
} from './grouping.ts';
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
export { MeiliEngine } from './meili.ts';
export {
  clearOverrides,
  type ListingOverrideView,
  listedPrice,
  MAX_BULK,
  type OverridePatch,
  overridePatchSchema,
  setOverrides,
} from './overrides.ts';
export {
  type CatalogProductDetail,
  catalogProductDetailSchema,
  getCatalogProduct,
  getProduct,
  type ProductDetail,
  productDetailSchema,
} from './products.ts';
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
  clearSearchCache,
  formatDecimal,
  type ProductSummary,
  productSummarySchema,
  queryTokens,
  refreshSearchDocuments,
  type SearchQuery,
  type SearchResult,
  searchProducts,
  searchQuerySchema,
  searchResultSchema,
  TOTAL_CAP,
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
export {
  type AlertView,
  claimDueWebhooks,
  type DueWebhook,
  getWatch,
  listAlerts,
  listWatches,
  markAlertsRead,
  settleWebhook,
  unwatchProduct,
  type WatchInput,
  type WatchView,
  WEBHOOK_ATTEMPTS,
  watchInputSchema,
  watchProduct,
} from './watches.ts';
