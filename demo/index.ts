export type {
  CatalogOptions,
  Currency,
  DemoAvailability,
  DemoCatalog,
  DemoCategory,
  DemoProduct,
  Markup,
} from './catalog.ts';
export { generateCatalog } from './catalog.ts';
export {
  type PaymentSandboxes,
  setUpDemoMerchant,
  setUpDemoShopper,
  startPaymentSandboxes,
} from './commerce.ts';
export { decimalPrice, isValidGtin } from './format.ts';
export type { ExpectedProduct } from './ground-truth.ts';
export { expectedPageCount, expectedPagePaths, groundTruth } from './ground-truth.ts';
export { demoSite } from './rules.ts';
export * from './sandboxes/index.ts';
export type { DemoShop, DemoShopOptions, RequestRecord } from './server.ts';
export { startDemoShop } from './server.ts';
