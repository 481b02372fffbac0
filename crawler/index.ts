export { extractProduct } from './extract/index.ts';
export { crawlJobId, Frontier, type RunContext } from './frontier.ts';
export {
  assertPublicUrl,
  guardedDispatcher,
  isPrivateNetworkError,
  type NetworkPolicy,
  PUBLIC_ONLY,
} from './network-guard.ts';
export { CrawlerNode, type CrawlerNodeOptions } from './node.ts';
export { normaliseProduct, parsePrice } from './normalise/index.ts';
export { HostGate, politenessSchema } from './politeness.ts';
export { RobotsCache } from './robots.ts';
export { type RunCounters, RunState } from './run-state.ts';
export { sitemapUrls } from './sitemap.ts';
export * from './telemetry/index.ts';
export { trapLimitsSchema, trapReason } from './traps.ts';
export { normaliseUrl, urlId } from './url.ts';
export { type SkipReason, UrlFilter } from './url-filter.ts';
