import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { type DemoAvailability, type DemoCatalog, type DemoProduct, generateCatalog } from './catalog.ts';
import {
  cartPage,
  categoryPage,
  homePage,
  loginPage,
  notFoundPage,
  placeholderSvg,
  robotsTxt,
  sitemapXml,
} from './pages.ts';
import { productPage } from './product-page.ts';
import { ShopIndex } from './shop-index.ts';

export interface DemoShopOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Served and mutated by the shop; copied first, so the caller's object stays as it was. */
  catalog?: DemoCatalog;
  pageSize?: number;
  /** Added to every response, for benchmarks. */
  latencyMs?: number;
}

export interface RequestRecord {
  /** Path and query string as requested, e.g. "/category/coffee?page=2". */
  path: string;
  at: number;
}

export interface DemoShop {
  url: string;
  port: number;
  /** The live catalog: setPrice and setAvailability change it, so ground truth follows. */
  catalog: DemoCatalog;
  setPrice(productId: string, cents: number): void;
  setAvailability(productId: string, value: DemoAvailability): void;
  /** Every request served, oldest first; the oldest entries are dropped beyond 200,000. */
  requests: RequestRecord[];
  resetRequests(): void;
  /** Most requests the shop was serving at once since the last resetRequests(). */
  readonly peakInFlight: number;
  /** How many product pages were answered 304 Not Modified. */
  readonly notModified: number;
  close(): Promise<void>;
}

const maxLoggedRequests = 200_000;
const html = { 'content-type': 'text/html; charset=utf-8' };

export async function startDemoShop(options: DemoShopOptions = {}): Promise<DemoShop> {
  const { port = 0, host = '127.0.0.1', pageSize = 24, latencyMs = 0 } = options;
  const catalog = options.catalog ? structuredClone(options.catalog) : generateCatalog();
  const index = new ShopIndex(catalog, pageSize);
  const requests: RequestRecord[] = [];
  let notModified = 0;
  let inFlight = 0;
  let peakInFlight = 0;
  // Rendered pages; any price or stock change can show on many pages (listings, related blocks), so it clears all.
  const cache = new Map<string, string>();
  let baseUrl = '';

  const cached = (key: string, render: () => string | null): string | null => {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const page = render();
    if (page !== null) cache.set(key, page);
    return page;
  };

  const app = new Hono();
  app.use(async (c, next) => {
    const url = c.req.url;
    const pathStart = url.indexOf('/', url.indexOf('//') + 2);
    const hash = url.indexOf('#');
    requests.push({ path: url.slice(pathStart, hash === -1 ? undefined : hash), at: Date.now() });
    if (requests.length > maxLoggedRequests) requests.splice(0, requests.length - maxLoggedRequests + 10_000);
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    try {
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      await next();
    } finally {
      inFlight--;
    }
  });
  const notFound = (path: string) =>
    new Response(notFoundPage(index, baseUrl, path), { status: 404, headers: html });
  const page = (body: string | null, path: string) =>
    body === null ? notFound(path) : new Response(body, { headers: html });

  app.get('/', () =>
    page(
      cached('home', () => homePage(index, baseUrl)),
      '/',
    ),
  );
  app.get(
    '/robots.txt',
    () => new Response(robotsTxt(baseUrl), { headers: { 'content-type': 'text/plain; charset=utf-8' } }),
  );
  app.get('/sitemap.xml', () => {
    const body = cached('sitemap', () => sitemapXml(index, baseUrl))!;
    return new Response(body, { headers: { 'content-type': 'application/xml; charset=utf-8' } });
  });
  app.get('/category/:slug', (c) => {
    const category = index.category(c.req.param('slug'));
    const raw = c.req.query('page');
    const pageNumber = raw === undefined ? 1 : /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!category) return notFound(c.req.path);
    return page(
      cached(`c:${category.slug}:${pageNumber}`, () => categoryPage(index, baseUrl, category, pageNumber)),
      c.req.path,
    );
  });
  // Product pages carry an ETag and answer If-None-Match with 304, as real shops' CDNs do,
  // so recrawls can use conditional requests.
  app.get('/product/:slug', (c) => {
    const product = index.product(c.req.param('slug'));
    if (!product || product.slug !== c.req.param('slug')) return notFound(c.req.path);
    const body = cached(`p:${product.slug}`, () => productPage(index, baseUrl, product))!;
    const etag = `"${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"`;
    if (c.req.header('if-none-match') === etag) {
      notModified++;
      return new Response(null, { status: 304, headers: { etag } });
    }
    return new Response(body, { headers: { ...html, etag } });
  });
  app.get('/static/img/:file', (c) => {
    if (!index.hasImage(c.req.path)) return notFound(c.req.path);
    return new Response(placeholderSvg(c.req.param('file')), {
      headers: { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' },
    });
  });
  // Present but disallowed by robots.txt: the request log proves a polite crawler never asks for them.
  app.get('/cart', () => page(cartPage(index, baseUrl), '/cart'));
  app.get('/account/login', () => page(loginPage(index, baseUrl), '/account/login'));
  app.notFound((c) => notFound(c.req.path));

  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  // A wildcard bind is not an address a client can use; loopback is.
  const shownHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  baseUrl = `http://${shownHost}:${address.port}`;

  const find = (productId: string): DemoProduct => {
    const product = index.product(productId);
    if (!product) throw new Error(`unknown demo product: ${productId}`);
    return product;
  };

  return {
    url: baseUrl,
    port: address.port,
    catalog,
    requests,
    setPrice(productId, cents) {
      if (!Number.isInteger(cents) || cents < 0)
        throw new Error(`price must be whole non-negative cents: ${cents}`);
      const product = find(productId);
      product.priceCents = cents;
      if (product.wasPriceCents !== null && product.wasPriceCents <= cents) product.wasPriceCents = null;
      cache.clear();
    },
    setAvailability(productId, value) {
      find(productId).availability = value;
      cache.clear();
    },
    resetRequests() {
      requests.length = 0;
      peakInFlight = inFlight;
    },
    get peakInFlight() {
      return peakInFlight;
    },
    get notModified() {
      return notModified;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
