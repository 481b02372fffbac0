// The catalog's types for views (dashboard/): types only, so a view that imports them loads no
// service and no database client at run time (.dependency-cruiser.cjs allows views nothing else).

export type {
  AdminProductDetail,
  AdminProductPage,
  AdminProductQuery,
  AdminProductRow,
} from './admin-products.ts';
export type { Grouping } from './grouping.ts';
export type { ErrorExample, HostSummary, LiveSnapshot, NodeInfo, NodeSummary, SpanSummary } from './live.ts';
export type { ListingOverrideView } from './overrides.ts';
export type { CatalogProductDetail, ProductDetail } from './products.ts';
export type { RunHistory } from './run-history.ts';
export type { RunView } from './runs.ts';
export type { ProductSummary, SearchQuery, SearchResult } from './search.ts';
export type { AlertView, WatchView } from './watches.ts';
