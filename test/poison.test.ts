import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putSite } from '../catalog/index.ts';
import { db } from '../core/db/index.ts';
import { type DemoShop, demoSite, startDemoShop } from '../demo/index.ts';
import { closeConnections, type Pipeline, startPipeline, waitForRun } from './support.ts';

// A silent server is given up on after 3 s instead of 30 s, to keep the suite quick.
process.env.FETCH_TIMEOUT_MS = '3000';

/** Hostile pages: an endless body, an oversized one, a PDF, a 404 and a page that never answers. */
let server: Server;
let base: string;
const product = (n: number) =>
  `<html><head><script type="application/ld+json">${JSON.stringify({
    '@type': 'Product',
    name: `Sound Kettle ${n}`,
    sku: `K-${n}`,
    offers: { price: `${n}.00`, priceCurrency: 'EUR' },
  })}</script></head><body><h1>Sound Kettle ${n}</h1></body></html>`;

beforeAll(async () => {
  server = createServer((req, res) => {
    const html = { 'content-type': 'text/html; charset=utf-8' };
    switch (req.url) {
      case '/robots.txt':
        return res.writeHead(404).end();
      case '/':
        return res
          .writeHead(200, html)
          .end(
            ['/p/1', '/p/2', '/endless', '/huge', '/manual.pdf', '/gone', '/silent', '/p/3']
              .map((p) => `<a href="${p}">${p}</a>`)
              .join(' '),
          );
      case '/endless': {
        // Streams forever: only the size limit stops it.
        res.writeHead(200, html);
        const chunk = `<p>${'x'.repeat(64 * 1024)}</p>`;
        const pump = () => {
          while (res.write(chunk)) {}
        };
        res.on('drain', pump);
        req.on('close', () => res.destroy());
        return pump();
      }
      case '/huge':
        return res.writeHead(200, { ...html, 'content-length': String(50 * 1024 * 1024) }).end('<p>');
      case '/manual.pdf':
        return res.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.4');
      case '/gone':
        return res.writeHead(404, html).end('<h1>Not found</h1>');
      case '/silent':
        return; // Never answers: the request timeout ends it.
      default: {
        const n = /^\/p\/(\d)$/.exec(req.url ?? '')?.[1];
        if (n) return res.writeHead(200, html).end(product(Number(n)));
        return res.writeHead(404).end();
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

let pipeline: Pipeline;
let shop: DemoShop | undefined;

afterAll(async () => {
  await pipeline?.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await shop?.close();
  await closeConnections();
});

describe('hostile pages', () => {
  it('fail one by one with their reasons while the node keeps crawling the rest', async () => {
    pipeline = await startPipeline({ crawlers: 1, concurrency: 4 });
    const site = await putSite({
      name: 'poison-shop',
      startUrls: [`${base}/`],
      productUrls: ['/p/*'],
      allowPrivateNetwork: true,
      politeness: { maxInFlightPerHost: 8, minDelayMs: 0 },
    });
    const run = await waitForRun(pipeline.runs, (await pipeline.runs.start(site.name)).id, 60_000);
    expect(run.status).toBe('completed');
    expect(run.fetched).toBe(4); // the home page and the three products
    expect(run.failed).toBe(5);
    const titles = (await db().product.findMany({ where: { siteId: site.id } })).map((p) => p.title).sort();
    expect(titles).toEqual(['Sound Kettle 1', 'Sound Kettle 2', 'Sound Kettle 3']);

    // The node is still healthy: another site crawls normally afterwards.
    shop = await startDemoShop();
    await putSite({ ...demoSite(shop.url), name: 'after-poison', maxPages: 30 });
    const after = await waitForRun(pipeline.runs, (await pipeline.runs.start('after-poison')).id, 60_000);
    expect(after.status).toBe('completed');
    expect(after.fetched).toBe(30);
  }, 120_000);
});
