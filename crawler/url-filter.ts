import picomatch from 'picomatch';
import type { SiteRules } from '../core/site.ts';

export type SkipReason =
  | 'filter'
  | 'host'
  | 'robots'
  | 'private'
  | 'budget'
  | 'duplicate'
  | 'invalid'
  | 'trap';

/** Decides from a site's rules which URLs a crawl follows and which pages hold products. */
export class UrlFilter {
  readonly #hosts: Set<string>;
  readonly #include: ((url: string) => boolean) | null;
  readonly #exclude: ((url: string) => boolean) | null;
  readonly #product: ((url: string) => boolean) | null;

  constructor(rules: Pick<SiteRules, 'startUrls' | 'allowedHosts' | 'include' | 'exclude' | 'productUrls'>) {
    const hosts =
      rules.allowedHosts.length > 0 ? rules.allowedHosts : rules.startUrls.map((u) => new URL(u).host);
    this.#hosts = new Set(hosts.map((h) => h.toLowerCase()));
    this.#include = compile(rules.include);
    this.#exclude = compile(rules.exclude);
    this.#product = compile(rules.productUrls);
  }

  /** Why `url` (normalised) must not be followed, or null when it may be. */
  reject(url: string): SkipReason | null {
    const parsed = new URL(url);
    if (!this.#hosts.has(parsed.host) && !this.#hosts.has(parsed.hostname)) return 'host';
    if (this.#include && !this.#include(url)) return 'filter';
    if (this.#exclude?.(url)) return 'filter';
    return null;
  }

  isProductPage(url: string): boolean {
    return this.#product ? this.#product(url) : true;
  }
}

/**
 * Globs match the whole URL ("https://shop.test/product/**") or, when they start with
 * "/", its path and query ("/product/**").
 */
function compile(globs: string[]): ((url: string) => boolean) | null {
  if (globs.length === 0) return null;
  const full = globs.filter((g) => !g.startsWith('/'));
  const paths = globs.filter((g) => g.startsWith('/'));
  const options = { dot: true, nocase: false };
  const fullMatch = full.length > 0 ? picomatch(full, options) : null;
  const pathMatch = paths.length > 0 ? picomatch(paths, options) : null;
  return (url) => {
    if (fullMatch?.(url)) return true;
    if (pathMatch) {
      const parsed = new URL(url);
      return pathMatch(parsed.pathname) || pathMatch(parsed.pathname + parsed.search);
    }
    return false;
  };
}
