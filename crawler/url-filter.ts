import { compileGlob, type GlobMatcher, PatternError } from '../core/patterns.ts';
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

/**
 * Longest URL matched against globs. Matching is linear in the URL's length (RE2), but links
 * come from pages anyone writes: a megabyte-long href is a trap, not a page.
 */
export const MAX_FILTERED_URL_LENGTH = 16_384;

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
    if (url.length > MAX_FILTERED_URL_LENGTH) return 'trap';
    const parsed = new URL(url);
    if (!this.#hosts.has(parsed.host) && !this.#hosts.has(parsed.hostname)) return 'host';
    if (this.#include && !this.#include(url)) return 'filter';
    if (this.#exclude?.(url)) return 'filter';
    return null;
  }

  isProductPage(url: string): boolean {
    if (url.length > MAX_FILTERED_URL_LENGTH) return false;
    return this.#product ? this.#product(url) : true;
  }
}

/**
 * Globs match the whole URL ("https://shop.test/product/**") or, when they start with
 * "/", its path and query ("/product/**"). They run on RE2 (core/patterns.ts), in time linear
 * in the URL: picomatch's backtracking regexes took minutes on a glob like `*a*a*a…b`. A glob
 * that cannot compile (stored before validation refused it) matches nothing.
 */
function compile(globs: string[]): ((url: string) => boolean) | null {
  if (globs.length === 0) return null;
  const any = (list: string[]): GlobMatcher | null => {
    const matchers = list.flatMap((glob) => {
      try {
        return [compileGlob(glob)];
      } catch (error) {
        if (error instanceof PatternError) return [];
        throw error;
      }
    });
    return list.length > 0 ? (input) => matchers.some((match) => match(input)) : null;
  };
  const fullMatch = any(globs.filter((g) => !g.startsWith('/')));
  const pathMatch = any(globs.filter((g) => g.startsWith('/')));
  return (url) => {
    if (fullMatch?.(url)) return true;
    if (pathMatch) {
      const parsed = new URL(url);
      return pathMatch(parsed.pathname) || pathMatch(parsed.pathname + parsed.search);
    }
    return false;
  };
}
