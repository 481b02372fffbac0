export { extractProduct } from './extract/index.ts';
export { crawlJobId, Frontier, type RunContext } from './frontier.ts';
export { CrawlerNode, type CrawlerNodeOptions } from './node.ts';
export { normaliseProduct, parsePrice } from './normalise/index.ts';
export { RobotsCache } from './robots.ts';
export { type RunCounters, RunState } from './run-state.ts';
export { normaliseUrl, urlId } from './url.ts';
export { type SkipReason, UrlFilter } from './url-filter.ts';
