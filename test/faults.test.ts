import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putSite } from '../catalog/index.ts';
import { db } from '../core/db/index.ts';
import { type DemoShop, demoSite, startDemoShop } from '../demo/index.ts';
import { closeConnections, type Pipeline, startPipeline, waitForRun } from './support.ts';

// Short locks so a killed node's jobs come back within seconds (both processes read this).
process.env.CRAWL_LOCK_MS = '3000';

let shop: DemoShop;
let pipeline: Pipeline;
let child: ChildProcess | undefined;

beforeAll(async () => {
  shop = await startDemoShop({ latencyMs: 20 });
  pipeline = await startPipeline({ crawlers: 1, concurrency: 4 });
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await pipeline?.close();
  await shop?.close();
  await closeConnections();
});

function startChildNode(): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const proc = spawn('node', ['--import', 'tsx', 'test/fixtures/crawler-node.ts'], {
      env: { ...process.env, NODE_CONCURRENCY: '6' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    proc.once('error', reject);
    proc.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(proc);
    });
  });
}

describe('faults', () => {
  it('loses no URL and duplicates no product when one of two nodes is killed with SIGKILL mid-run', async () => {
    const site = await putSite({ ...demoSite(shop.url), name: 'kill-shop' });
    child = await startChildNode();
    const run = await pipeline.runs.start('kill-shop');
    const deadline = Date.now() + 30_000;
    while (((await pipeline.runs.get(run.id))?.fetched ?? 0) < 120 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    const finished = await waitForRun(pipeline.runs, run.id, 120_000);
    expect(finished.status).toBe('completed');
    expect(finished.failed).toBe(0);
    const products = await db().product.findMany({ where: { siteId: site.id }, select: { url: true } });
    expect(products).toHaveLength(shop.catalog.products.length);
    expect(new Set(products.map((p) => p.url)).size).toBe(products.length);
    expect(finished.productsFound).toBe(shop.catalog.products.length);
  });
});
