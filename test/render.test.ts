import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putSite } from '../catalog/index.ts';
import { db } from '../core/db/index.ts';
import { closeConnections, type Pipeline, startPipeline, waitForRun } from './support.ts';

/**
 * A shop with two kinds of product pages: plain ones carrying JSON-LD in their HTML, and
 * JavaScript-only ones whose product data a script fetches and inserts after load.
 */
const PLAIN = 8;
const SCRIPTED = 4;
let server: Server;
let base: string;
const hits: string[] = [];
/** Pages whose scripts ran, i.e. pages a browser rendered (HTTP clients run no scripts). */
const rendered = new Set<string>();

function page(body: string, head = ''): string {
  const beacon = `<script>fetch('/beacon?page=' + encodeURIComponent(location.pathname))</script>`;
  return `<!doctype html><html><head><title>Shop</title>${head}${beacon}</head><body>${body}</body></html>`;
}

function productLd(name: string, price: string): string {
  return JSON.stringify({
    '@context': 'https://schema.org',
    '@type': 'Product',
    name,
    sku: name.replace(/\W+/g, '-'),
    offers: { '@type': 'Offer', price, priceCurrency: 'EUR', availability: 'https://schema.org/InStock' },
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.push(path);
    if (path.startsWith('/beacon?')) {
      rendered.add(new URLSearchParams(path.slice(8)).get('page') ?? '');
      return res.writeHead(204).end();
    }
    const html = (body: string) =>
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    if (path === '/') {
      const links = [
        ...Array.from({ length: PLAIN }, (_, i) => `<a href="/plain/item-${i + 1}">Plain ${i + 1}</a>`),
        ...Array.from({ length: SCRIPTED }, (_, i) => `<a href="/app/item-${i + 1}">App ${i + 1}</a>`),
      ];
      return html(page(links.join('\n')));
    }
    let match = /^\/plain\/item-(\d+)$/.exec(path);
    if (match) {
      const name = `Plain Kettle ${match[1]}`;
      return html(
        page(
          `<h1>${name}</h1><p>€${match[1]}0.00</p>`,
          `<script type="application/ld+json">${productLd(name, `${match[1]}0.00`)}</script>`,
        ),
      );
    }
    match = /^\/app\/item-(\d+)$/.exec(path);
    if (match) {
      // Nothing about the product in the HTML: only a script that fetches and renders it.
      return html(
        page(
          '<div id="app">Loading…</div>',
          `<script>
            fetch('/api/item-${match[1]}.json').then((r) => r.json()).then((p) => {
              document.getElementById('app').innerHTML = '<h1>' + p.name + '</h1><p>€' + p.price + '</p>';
              const s = document.createElement('script');
              s.type = 'application/ld+json';
              s.textContent = JSON.stringify(p.ld);
              document.head.appendChild(s);
            });
          </script>`,
        ),
      );
    }
    match = /^\/api\/item-(\d+)\.json$/.exec(path);
    if (match) {
      const name = `Scripted Grinder ${match[1]}`;
      const price = `${match[1]}5.50`;
      return res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ name, price, ld: JSON.parse(productLd(name, price)) }));
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

let pipeline: Pipeline;

afterAll(async () => {
  await pipeline?.close();
  await new Promise((resolve) => server.close(resolve));
  await closeConnections();
});

describe('render: auto', () => {
  it('renders the JavaScript-only kind of page and fetches the plain kind without a browser', async () => {
    // One page at a time, so the plain kind is decided after its samples and before the rest.
    pipeline = await startPipeline({ crawlers: 1, concurrency: 1, jobs: 1 });
    const site = await putSite({
      name: 'render-auto-shop',
      startUrls: [`${base}/`],
      productUrls: ['/plain/*', '/app/*'],
      render: 'auto',
      allowPrivateNetwork: true,
    });
    const run = await waitForRun(pipeline.runs, (await pipeline.runs.start(site.name)).id, 120_000);
    expect(run.status).toBe('completed');

    const products = await db().product.findMany({ where: { siteId: site.id }, orderBy: { title: 'asc' } });
    expect(products).toHaveLength(PLAIN + SCRIPTED);
    const scripted = products.filter((p) => p.title.startsWith('Scripted Grinder'));
    expect(scripted).toHaveLength(SCRIPTED);
    expect(scripted.find((p) => p.title === 'Scripted Grinder 3')?.price?.toFixed(2)).toBe('35.50');

    const renderedPlain = [...rendered].filter((p) => p.startsWith('/plain/'));
    const renderedApp = [...rendered].filter((p) => p.startsWith('/app/'));
    // Only the samples of the plain kind saw a browser (3 by default); every scripted page did.
    expect(renderedPlain.length).toBeGreaterThan(0);
    expect(renderedPlain.length).toBeLessThanOrEqual(3);
    expect(renderedApp).toHaveLength(SCRIPTED);
    // Plain pages past the samples were fetched once, over HTTP.
    for (let i = renderedPlain.length + 1; i <= PLAIN; i++) {
      expect(
        hits.filter((h) => h === `/plain/item-${i}`),
        `item ${i}`,
      ).toHaveLength(1);
    }
  });
});
