import type { Redis } from 'ioredis';

/** What one fetch of a page yielded, as far as the render decision cares. */
export interface PageEvidence {
  /** Non-empty product fields extracted (url excluded: every product has one). */
  productFields: number;
  hasPrice: boolean;
  /** Links found on the page. */
  links: number;
}

export type RenderDecision = 'http' | 'browser' | 'sample';

export interface RenderDeciderOptions {
  /** Key prefix, e.g. the install's QUEUE_PREFIX. */
  prefix: string;
  /** Comparisons per page kind before deciding 'http'. Default 3. */
  samples?: number;
  /** How long a decision holds before the kind is sampled again (sites change). Default 7 days. */
  ttlSeconds?: number;
  /** A sample claimed but never recorded (node died, page failed) is given to another node after this. Default 10 minutes. */
  staleClaimSeconds?: number;
}

const DAY = 24 * 3600;

/** The fields `evidenceFrom` ignores: they say nothing about what the page showed. */
const NOT_EVIDENCE = new Set(['url', 'canonicalUrl']);

export function evidenceFrom(
  product: { readonly [field: string]: unknown; price?: string | null } | null,
  links: number,
): PageEvidence {
  let productFields = 0;
  for (const [name, value] of Object.entries(product ?? {})) {
    if (NOT_EVIDENCE.has(name)) continue;
    if (typeof value === 'string' ? value.trim() !== '' : Array.isArray(value) ? value.length > 0 : false) {
      productFields++;
    } else if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
      productFields++;
    } else if (typeof value === 'number' && Number.isFinite(value)) {
      productFields++;
    }
  }
  const price = product?.price;
  return { productFields, hasPrice: typeof price === 'string' && /\d/.test(price), links };
}

/**
 * Whether the rendered page showed something the plain fetch missed. Links count only
 * when markedly more: a rendered page usually gains a few from widgets and menus.
 */
export function rendersMore(http: PageEvidence, browser: PageEvidence): boolean {
  if (browser.hasPrice && !http.hasPrice) return true;
  if (browser.productFields > 0 && http.productFields === 0) return true;
  if (browser.productFields >= http.productFields + 3) return true;
  return browser.links >= http.links + Math.max(10, Math.ceil(http.links * 0.25));
}

// KEYS: site hash. ARGV: kind, samples, ttl seconds, stale claim seconds.
// Returns the decision, 'sample' when the caller should take a sample, or 'pending' when
// enough samples are in flight elsewhere. Atomic, so concurrent nodes never over-claim.
const decideScript = `
local hash, kind = KEYS[1], ARGV[1]
local samples, ttl, stale = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local now = tonumber(redis.call('TIME')[1])
local f = function(name) return name .. '|' .. kind end
local decision = redis.call('HGET', hash, f('decision'))
if decision then
  if now - (tonumber(redis.call('HGET', hash, f('decidedAt'))) or 0) < ttl then return decision end
  redis.call('HDEL', hash, f('decision'), f('decidedAt'), f('claimed'), f('done'), f('claimedAt'))
end
local claimed = tonumber(redis.call('HGET', hash, f('claimed'))) or 0
local done = tonumber(redis.call('HGET', hash, f('done'))) or 0
local claimedAt = tonumber(redis.call('HGET', hash, f('claimedAt'))) or 0
if claimed >= samples and done < samples and now - claimedAt >= stale then
  redis.call('HSET', hash, f('claimed'), done)
  claimed = done
end
if claimed >= samples then return 'pending' end
redis.call('HINCRBY', hash, f('claimed'), 1)
redis.call('HSET', hash, f('claimedAt'), now)
redis.call('EXPIRE', hash, ttl)
return 'sample'
`;

// KEYS: site hash. ARGV: kind, samples, ttl seconds, 1 when the browser found more.
const recordScript = `
local hash, kind = KEYS[1], ARGV[1]
local samples, ttl, more = tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4] == '1'
local now = tonumber(redis.call('TIME')[1])
local f = function(name) return name .. '|' .. kind end
local done = redis.call('HINCRBY', hash, f('done'), 1)
local current = redis.call('HGET', hash, f('decision'))
local decision = current
if more then decision = 'browser'
elseif not current and done >= samples then decision = 'http' end
if decision and decision ~= current then
  redis.call('HSET', hash, f('decision'), decision, f('decidedAt'), now)
end
redis.call('EXPIRE', hash, ttl)
return decision
`;

/**
 * The `auto` render mode, shared by every node through one Redis hash per site: each kind
 * of page (see pageKind) is fetched both ways a few times, and rendered from then on only
 * if rendering showed what the plain fetch missed. One sample where it did is enough:
 * missing products costs more than rendering.
 */
export class RenderDecider {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #samples: number;
  readonly #ttl: number;
  readonly #stale: number;

  constructor(redis: Redis, options: RenderDeciderOptions) {
    this.#redis = redis;
    this.#prefix = options.prefix;
    this.#samples = options.samples ?? 3;
    this.#ttl = options.ttlSeconds ?? 7 * DAY;
    this.#stale = options.staleClaimSeconds ?? 600;
  }

  #key(siteId: string): string {
    return `${this.#prefix}:render:${siteId}`;
  }

  /**
   * 'sample': fetch both ways, call record() and use the rendered page. While other nodes'
   * samples are still out, answers 'browser': slower, but never misses a product.
   */
  async decide(siteId: string, kind: string): Promise<RenderDecision> {
    const verdict = (await this.#redis.eval(
      decideScript,
      1,
      this.#key(siteId),
      kind,
      this.#samples,
      this.#ttl,
      this.#stale,
    )) as string;
    return verdict === 'http' || verdict === 'sample' ? verdict : 'browser';
  }

  /** Records one comparison; returns the kind's decision so far (null while undecided). */
  async record(
    siteId: string,
    kind: string,
    httpResult: PageEvidence,
    browserResult: PageEvidence,
  ): Promise<'http' | 'browser' | null> {
    const more = rendersMore(httpResult, browserResult) ? '1' : '0';
    return (await this.#redis.eval(
      recordScript,
      1,
      this.#key(siteId),
      kind,
      this.#samples,
      this.#ttl,
      more,
    )) as 'http' | 'browser' | null;
  }

  /** Forgets a site's decisions, e.g. after its rules changed. */
  async reset(siteId: string): Promise<void> {
    await this.#redis.del(this.#key(siteId));
  }
}
