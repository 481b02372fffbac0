import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putSite } from '../catalog/index.ts';
import { db } from '../core/db/index.ts';
import { type DemoShop, demoSite, startDemoShop } from '../demo/index.ts';
import { closeConnections, type Pipeline, startPipeline, waitForRun } from './support.ts';

let shop: DemoShop;
let pipeline: Pipeline;

beforeAll(async () => {
  shop = await startDemoShop();
  pipeline = await startPipeline({ crawlers: 2, concurrency: 8 });
});

afterAll(async () => {
  await pipeline?.close();
  await shop?.close();
  await closeConnections();
});

describe('seeding a crawl from sitemaps', () => {
  it('reaches products that links alone do not reach within the depth limit', async () => {
    // Depth 1 from the home page reaches category pages and featured products; the sitemap lists every product.
    const shallow = await putSite({ ...demoSite(shop.url), name: 'shallow-shop', traps: { maxDepth: 1 } });
    const withoutSitemaps = await waitForRun(pipeline.runs, (await pipeline.runs.start(shallow.name)).id);
    // Only the few products featured on the home page.
    expect(withoutSitemaps.productsFound).toBeLessThan(shop.catalog.products.length / 10);
    expect(withoutSitemaps.skipped.trap).toBeGreaterThan(0);

    const seeded = await putSite({
      ...demoSite(shop.url),
      name: 'sitemap-shop',
      traps: { maxDepth: 1 },
      seedFromSitemaps: true,
    });
    const run = await waitForRun(pipeline.runs, (await pipeline.runs.start(seeded.name)).id, 120_000);
    expect(run.status).toBe('completed');
    expect(await db().product.count({ where: { siteId: seeded.id } })).toBe(shop.catalog.products.length);
    expect(shop.requests.some((r) => r.path === '/sitemap.xml')).toBe(true);
  });
});
