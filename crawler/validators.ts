import type { Redis } from 'ioredis';
import { key } from '../core/redis.ts';

/** What a recrawl needs to ask a product page "changed since?" and to find its product if not. */
export interface PageValidators {
  etag?: string;
  lastModified?: string;
  /** URLs the page's product may be stored under (canonical and page URL). */
  productUrls: string[];
}

const TTL_SECONDS = 45 * 24 * 3600;

/** ETag / Last-Modified of product pages, per site, shared by every node through Redis. */
export class ValidatorStore {
  constructor(private readonly redis: Redis) {}

  async get(siteId: string, urlId: string): Promise<PageValidators | null> {
    const raw = await this.redis.hget(key('validators', siteId), urlId);
    if (!raw) return null;
    try {
      return JSON.parse(raw) as PageValidators;
    } catch {
      return null;
    }
  }

  async set(siteId: string, urlId: string, validators: PageValidators): Promise<void> {
    const k = key('validators', siteId);
    if (!validators.etag && !validators.lastModified) {
      await this.redis.hdel(k, urlId);
      return;
    }
    await this.redis.multi().hset(k, urlId, JSON.stringify(validators)).expire(k, TTL_SECONDS).exec();
  }
}

/** Request headers for a conditional fetch. */
export function conditionalHeaders(validators: PageValidators | null): Record<string, string> {
  const headers: Record<string, string> = {};
  if (validators?.etag) headers['if-none-match'] = validators.etag;
  if (validators?.lastModified) headers['if-modified-since'] = validators.lastModified;
  return headers;
}
