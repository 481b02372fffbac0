export { CrawlerNode, type CrawlerNodeOptions } from './node.ts';
export { Frontier, type RunContext, crawlJobId } from './frontier.ts';
export { RobotsCache } from './robots.ts';
export { RunState, type RunCounters } from './run-state.ts';
export { UrlFilter, type SkipReason } from './url-filter.ts';
export { normaliseUrl, urlId } from './url.ts';
export { extractProduct } from './extract/index.ts';
export { normaliseProduct, parsePrice } from './normalise/index.ts';
