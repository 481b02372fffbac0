import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { key } from '../core/redis.ts';

/** What a recrawl needs to ask a product page "changed since?" and to find its product if not. */
export interface PageValidators {
  etag?: string;
  lastModified?: string;
  /** URLs the page's product may be stored under (canonical and page URL). */
  productUrls: string[];
  /** extractionKey() of the rules the page was extracted with. */
  rules?: string;
}

/**
 * Identifies a site's extraction rules: a page extracted under other rules must be fetched and
 * extracted again even when it has not changed, or a repaired rule would wait for the shop to
 * edit the page.
 */
export function extractionKey(extraction: unknown): string {
  return createHash('sha1').update(JSON.stringify(extraction)).digest('base64url');
}

const TTL_SECONDS = 45 * 24 * 3600;

/** ETag / Last-Modified of product pages, per site, shared by every node through Redis. */
export class ValidatorStore {
  constructor(private readonly redis: Redis) {}

  /** The page's validators, unless it was extracted under rules other than `rules`. */
  async get(siteId: string, urlId: string, rules: string): Promise<PageValidators | null> {
    const raw = await this.redis.hget(key('validators', siteId), urlId);
    if (!raw) return null;
    try {
      const validators = JSON.parse(raw) as PageValidators;
      return validators.rules === rules ? validators : null;
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
