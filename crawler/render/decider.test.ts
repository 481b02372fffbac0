import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../core/config.ts';
import { evidenceFrom, type PageEvidence, RenderDecider, rendersMore } from './decider.ts';

const plain: PageEvidence = { productFields: 6, hasPrice: true, links: 40 };
const shell: PageEvidence = { productFields: 0, hasPrice: false, links: 4 };
const rendered: PageEvidence = { productFields: 7, hasPrice: true, links: 44 };

let redis: Redis;
let other: Redis;
const prefix = config().QUEUE_PREFIX;
const site = () => `site-${randomUUID()}`;

beforeAll(() => {
  redis = new Redis(config().REDIS_URL);
  other = new Redis(config().REDIS_URL);
});

afterAll(async () => {
  await Promise.all([redis.quit(), other.quit()]);
});

describe('evidenceFrom', () => {
  it('counts non-empty product fields and sees the price', () => {
    const product = {
      url: 'https://shop.test/p/1',
      canonicalUrl: 'https://shop.test/p/1',
      title: 'Red Kettle',
      price: '49,90 €',
      description: '  ',
      images: ['https://shop.test/k.jpg'],
      categoryPath: [],
      attributes: { colour: 'red' },
    };
    expect(evidenceFrom(product, 12)).toEqual({ productFields: 4, hasPrice: true, links: 12 });
    expect(evidenceFrom({ title: 'Kettle', price: null }, 3)).toEqual({
      productFields: 1,
      hasPrice: false,
      links: 3,
    });
    expect(evidenceFrom(null, 0)).toEqual({ productFields: 0, hasPrice: false, links: 0 });
  });
});

describe('rendersMore', () => {
  it('wants the browser for a product, a price, many fields or many links the plain fetch missed', () => {
    expect(rendersMore(shell, rendered)).toBe(true);
    expect(rendersMore({ ...plain, hasPrice: false }, plain)).toBe(true);
    expect(rendersMore({ ...plain, productFields: 2 }, plain)).toBe(true);
    expect(
      rendersMore(
        { productFields: 0, hasPrice: false, links: 20 },
        { productFields: 0, hasPrice: false, links: 60 },
      ),
    ).toBe(true);
  });

  it('does not for the same page with a few extra links or fields', () => {
    expect(rendersMore(plain, rendered)).toBe(false);
    expect(rendersMore(plain, plain)).toBe(false);
    expect(rendersMore(rendered, plain)).toBe(false);
    expect(
      rendersMore(
        { productFields: 0, hasPrice: false, links: 100 },
        { productFields: 0, hasPrice: false, links: 120 },
      ),
    ).toBe(false);
  });
});

describe('RenderDecider', () => {
  it('decides browser for a kind whose products only appear when rendered', async () => {
    const decider = new RenderDecider(redis, { prefix });
    const id = site();
    expect(await decider.decide(id, 'shop.test/product/:slug')).toBe('sample');
    expect(await decider.record(id, 'shop.test/product/:slug', shell, rendered)).toBe('browser');
    expect(await decider.decide(id, 'shop.test/product/:slug')).toBe('browser');
    // Another kind of the same site is still undecided.
    expect(await decider.decide(id, 'shop.test/category/:slug')).toBe('sample');
  });

  it('decides http for a kind that renders the same, after all samples', async () => {
    const decider = new RenderDecider(redis, { prefix, samples: 3 });
    const id = site();
    const kind = 'shop.test/product/:slug';
    for (let i = 0; i < 3; i++) expect(await decider.decide(id, kind)).toBe('sample');
    // Samples out, none back: render meanwhile rather than risk missing a product.
    expect(await decider.decide(id, kind)).toBe('browser');
    expect(await decider.record(id, kind, plain, rendered)).toBeNull();
    expect(await decider.record(id, kind, plain, rendered)).toBeNull();
    expect(await decider.record(id, kind, plain, plain)).toBe('http');
    expect(await decider.decide(id, kind)).toBe('http');
    // A later sample that finds more still switches the kind to the browser.
    expect(await decider.record(id, kind, shell, rendered)).toBe('browser');
    expect(await decider.decide(id, kind)).toBe('browser');
    const ttl = await redis.ttl(`${prefix}:render:${id}`);
    expect(ttl).toBeGreaterThan(6 * 24 * 3600);
  });

  it('shares claims and decisions between nodes without over-sampling', async () => {
    const a = new RenderDecider(redis, { prefix, samples: 3 });
    const b = new RenderDecider(other, { prefix, samples: 3 });
    const id = site();
    const kind = 'shop.test/category/:slug?page';
    const verdicts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).decide(id, kind)),
    );
    expect(verdicts.filter((v) => v === 'sample')).toHaveLength(3);
    expect(verdicts.filter((v) => v === 'browser')).toHaveLength(17);
    await a.record(id, kind, plain, plain);
    await b.record(id, kind, plain, plain);
    await a.record(id, kind, plain, plain);
    expect(await b.decide(id, kind)).toBe('http');
    expect(await a.decide(id, kind)).toBe('http');
  });

  it('hands out samples again when the nodes that claimed them never report', async () => {
    const decider = new RenderDecider(redis, { prefix, samples: 2, staleClaimSeconds: 1 });
    const id = site();
    expect(await decider.decide(id, 'k')).toBe('sample');
    expect(await decider.decide(id, 'k')).toBe('sample');
    expect(await decider.decide(id, 'k')).toBe('browser');
    await decider.record(id, 'k', plain, plain);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect(await decider.decide(id, 'k')).toBe('sample');
    expect(await decider.decide(id, 'k')).toBe('browser');
    expect(await decider.record(id, 'k', plain, plain)).toBe('http');
  });

  it('samples a kind again once its decision is older than the TTL', async () => {
    const decider = new RenderDecider(redis, { prefix, samples: 1, ttlSeconds: 1 });
    const id = site();
    expect(await decider.decide(id, 'k')).toBe('sample');
    expect(await decider.record(id, 'k', plain, plain)).toBe('http');
    expect(await decider.decide(id, 'k')).toBe('http');
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect(await decider.decide(id, 'k')).toBe('sample');
  });

  it('forgets a site on reset', async () => {
    const decider = new RenderDecider(redis, { prefix, samples: 1 });
    const id = site();
    await decider.decide(id, 'k');
    await decider.record(id, 'k', shell, rendered);
    await decider.reset(id);
    expect(await decider.decide(id, 'k')).toBe('sample');
  });
});
