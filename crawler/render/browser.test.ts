import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../core/config.ts';
import { assertPublicUrl, setResolver } from '../network-guard.ts';
import { rebindingResolver } from '../test-dns.ts';
import { BrowserRenderer, RenderBlockedError, type RenderOptions, RenderTimeoutError } from './browser.ts';

const PRODUCT = { name: 'Red Kettle', price: '49.90', currency: 'EUR', sku: 'RK-42' };

const shell = `<!doctype html><html><head><title>Shop</title>
<link rel="stylesheet" href="/css/site.css">
<style>@font-face { font-family: Brand; src: url(/fonts/brand.woff2) format('woff2'); } body { font-family: Brand; }</style>
</head><body><div id="app">Loading…</div><img src="/img/logo.png"><video src="/media/intro.mp4" autoplay muted></video>
<script>
setTimeout(async () => {
  const p = await (await fetch('/api/product.json')).json();
  const ld = document.createElement('script');
  ld.type = 'application/ld+json';
  ld.textContent = JSON.stringify({ '@context': 'https://schema.org', '@type': 'Product', name: p.name, sku: p.sku,
    offers: { '@type': 'Offer', price: p.price, priceCurrency: p.currency } });
  document.head.appendChild(ld);
  document.getElementById('app').innerHTML = '<h1>' + p.name + '</h1><span class="price">' + p.price + ' €</span><img src="/img/kettle.jpg">';
}, 100);
</script></body></html>`;

/**
 * Every server here is on loopback. The shop is reached as shop.test, a name the test's DNS
 * answers with 127.0.0.1 and that the renders allow as the site's private host (SHOP), so the
 * guard is on but lets the shop through. The "private" server stands for anything else on a
 * private address: reached by literal (privateBase), by a name resolving to 127.0.0.1
 * (intranet.test) and by a rebinding name (rebind.test).
 */
const SHOP: RenderOptions = { privateHosts: ['shop.test'] };
const dns = rebindingResolver('rebind.test', { 'shop.test': '127.0.0.1', 'intranet.test': '127.0.0.1' });
const hits: string[] = [];
const privateHits: string[] = [];
let privateConnections = 0;
let inFlight = 0;
let maxInFlight = 0;
const slowWaiters = new Set<() => void>();
/** The shop by name, for guarded renders. */
let base = '';
/** The shop by address, for renders that allow private networks (Chromium resolves nothing then). */
let localBase = '';
let privateBase = '';
let privatePort = 0;
let server: Server;
let privateServer: Server;

function html(res: ServerResponse, body: string, status = 200): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'x-shop': 'test' }).end(body);
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://shop.test');
  hits.push(url.pathname);
  switch (url.pathname) {
    case '/product':
      html(res, shell);
      return;
    case '/api/product.json':
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(PRODUCT));
      return;
    case '/missing':
      html(res, '<h1>Not found</h1>', 404);
      return;
    case '/hang':
      // Headers and half a document, then nothing: DOMContentLoaded never fires.
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html><body><p>still loading');
      return;
    case '/slow': {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // Each answer waits for a second request to overlap it (or 3 s, for the last one), so a
      // loaded machine that opens contexts slowly still shows whether two pages run at once.
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(fallback);
        slowWaiters.delete(finish);
        inFlight--;
        html(res, `<p>slow ${url.searchParams.get('n')}</p>`);
      };
      const fallback = setTimeout(finish, 3000);
      if (inFlight >= 2) {
        const partners = [...slowWaiters];
        slowWaiters.clear();
        setTimeout(() => {
          finish();
          for (const partner of partners) partner();
        }, 300);
      } else {
        slowWaiters.add(finish);
        res.on('close', () => slowWaiters.delete(finish));
      }
      return;
    }
    case '/redirect-public':
      res.writeHead(302, { location: '/product' }).end();
      return;
    case '/redirect-private':
      res.writeHead(302, { location: `${privateBase}/secret` }).end();
      return;
    case '/hop':
      res.writeHead(301, { location: '/redirect-private' }).end();
      return;
    case '/leaky':
      html(
        res,
        `<p id="out">-</p><script src="${privateBase}/tracker.js"></script><script>
        const ws = new WebSocket('ws://127.0.0.1:${privatePort}/ws');
        Promise.allSettled([fetch('${privateBase}/direct'), fetch('/redirect-private'), fetch('/hop'),
          fetch('http://intranet.test:${privatePort}/by-name'), fetch('http://rebind.test:${privatePort}/rebound'),
          fetch('http://[::ffff:7f00:1]:${privatePort}/mapped'), fetch('http://[::7f00:1]:${privatePort}/compatible')])
          .then((r) => { document.getElementById('out').textContent = r.map((x) => x.status).join(','); });
        </script>`,
      );
      return;
    default:
      res.writeHead(404).end();
  }
}

function listen(s: Server): Promise<string> {
  return new Promise((resolve) =>
    s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)),
  );
}

/** Chromium processes descended from this test process. */
function chromiumProcesses(): number[] {
  const parents = new Map<number, number>();
  const chromium = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      parents.set(Number(entry), Number(fields[1]));
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('chromium')) chromium.add(Number(entry));
    } catch {
      // Exited while we looked.
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p))
      if (p === process.pid) return true;
    return false;
  };
  return [...chromium].filter(descends);
}

const renderers: BrowserRenderer[] = [];
function renderer(options: Partial<ConstructorParameters<typeof BrowserRenderer>[0]> = {}): BrowserRenderer {
  const r = new BrowserRenderer({
    executablePath: config().CHROMIUM_PATH,
    userAgent: 'TrawlTest/1.0',
    ...options,
  });
  renderers.push(r);
  return r;
}

/** One renderer with the default options for the tests that need nothing else (one Chromium). */
let defaultRenderer: BrowserRenderer | undefined;
const shared = (): BrowserRenderer => {
  defaultRenderer ??= renderer();
  return defaultRenderer;
};

beforeAll(async () => {
  setResolver(dns.resolve);
  server = createServer(handle);
  privateServer = createServer((req, res) => {
    privateHits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' }).end('secret');
  });
  privateServer.on('connection', () => privateConnections++);
  localBase = await listen(server);
  base = localBase.replace('127.0.0.1', 'shop.test');
  privateBase = await listen(privateServer);
  privatePort = Number(new URL(privateBase).port);
});

afterAll(async () => {
  setResolver();
  await Promise.all(renderers.map((r) => r.close()));
  server.closeAllConnections();
  privateServer.closeAllConnections();
  await Promise.all([server, privateServer].map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('BrowserRenderer', () => {
  it('renders JavaScript-inserted product data without fetching images, fonts, media or CSS', async () => {
    const r = shared();
    expect(chromiumProcesses()).toEqual([]); // lazy: nothing launched before the first render
    hits.length = 0;
    const result = await r.render(`${base}/product`, { ...SHOP, userAgent: 'TrawlTest/2.0' });
    expect(result.status).toBe(200);
    expect(result.finalUrl).toBe(`${base}/product`);
    expect(result.headers['x-shop']).toBe('test');
    expect(result.html).toContain('application/ld+json');
    expect(result.html).toContain('"price":"49.90"');
    expect(result.html).toContain('<h1>Red Kettle</h1>');
    expect(result.html).toContain('49.90 €');
    expect(result.timings.totalMs).toBeGreaterThan(0);
    expect(hits).toContain('/api/product.json');
    expect(hits.filter((h) => /^\/(img|fonts|media|css)\//.test(h))).toEqual([]);
    expect(r.openContexts()).toBe(0);
  });

  it('propagates the status of the main document', async () => {
    const result = await shared().render(`${base}/missing`, SHOP);
    expect(result.status).toBe(404);
    expect(result.html).toContain('Not found');
  });

  it('times out on a page that never loads and closes it', async () => {
    // Long enough for a plain page on a loaded machine (the last render below must succeed),
    // short enough that the hanging page's timeout is what ends its renders.
    const r = renderer({ navigationTimeoutMs: 5000, idleTimeoutMs: 200 });
    const started = Date.now();
    await expect(r.render(`${base}/hang`, SHOP)).rejects.toBeInstanceOf(RenderTimeoutError);
    // The page never answers: any bound proves the timeout ended it. A generous one, since a
    // loaded machine can take seconds to open and close a Chromium context.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.openContexts()).toBe(0);
    // Without the proxy (a site that allows private networks), just the same.
    await expect(r.render(`${localBase}/hang`, { allowPrivateNetwork: true })).rejects.toBeInstanceOf(
      RenderTimeoutError,
    );
    expect(r.openContexts()).toBe(0);
    // Still usable afterwards.
    expect((await r.render(`${base}/missing`, SHOP)).status).toBe(404);
  });

  it('stops a render when its signal aborts', async () => {
    const r = shared();
    const controller = new AbortController();
    const rendering = r.render(`${base}/hang`, { ...SHOP, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('job cancelled')), 500);
    await expect(rendering).rejects.toThrow('job cancelled');
    expect(r.openContexts()).toBe(0);
    // Aborts landing in every phase (context, page, routes, navigation) must all settle and clean up.
    for (const ms of [0, 2, 5, 10, 20, 40, 80]) {
      const c = new AbortController();
      const settled = r
        .render(`${base}/hang`, { ...SHOP, signal: c.signal })
        .catch((error: Error) => error.message);
      setTimeout(() => c.abort(new Error('cancelled')), ms);
      expect(await settled).toBe('cancelled');
      expect(r.openContexts()).toBe(0);
    }
  });

  it('bounds concurrent pages', async () => {
    const r = renderer({ maxPages: 2 });
    maxInFlight = 0;
    let maxOpen = 0;
    const watch = setInterval(() => {
      maxOpen = Math.max(maxOpen, r.openContexts());
    }, 10);
    // Four: two pairs that each wait for the other, so none waits out the 3 s fallback.
    const results = await Promise.all([1, 2, 3, 4].map((n) => r.render(`${base}/slow?n=${n}`, SHOP)));
    clearInterval(watch);
    expect(results.map((x) => x.html.match(/slow (\d)/)?.[1])).toEqual(['1', '2', '3', '4']);
    expect(maxInFlight).toBe(2);
    expect(maxOpen).toBeLessThanOrEqual(2);
  });

  describe('network guard (every request through a proxy that checks the address it connects to)', () => {
    it('refuses a private page, redirects to one, and private subresources, websockets included', async () => {
      const r = shared();
      privateHits.length = 0;
      privateConnections = 0;
      await expect(r.render(`${privateBase}/secret`, SHOP)).rejects.toBeInstanceOf(RenderBlockedError);
      await expect(r.render(`http://intranet.test:${privatePort}/secret`, SHOP)).rejects.toBeInstanceOf(
        RenderBlockedError,
      );
      await expect(r.render(`${base}/redirect-private`, SHOP)).rejects.toThrow(/private network/);
      await expect(r.render(`${base}/hop`, SHOP)).rejects.toThrow(/private network/);
      // rebind.test answers public to a first check (the old guard asked once per origin)...
      await assertPublicUrl(`http://rebind.test:${privatePort}/`);
      expect(dns.calls()).toBe(1);
      // ...and 127.0.0.1 to the proxy's connection, which refuses it.
      const leaky = await r.render(`${base}/leaky`, SHOP);
      expect(leaky.html).toMatch(/<p id="out">(rejected,){6}rejected<\/p>/);
      expect(dns.calls()).toBe(2);
      expect(privateHits).toEqual([]);
      expect(privateConnections).toBe(0);
      expect(r.openContexts()).toBe(0);
    });

    it('follows redirects and still renders', async () => {
      const r = shared();
      hits.length = 0;
      const result = await r.render(`${base}/redirect-public`, SHOP);
      expect(result.finalUrl).toBe(`${base}/product`);
      expect(result.status).toBe(200);
      expect(result.html).toContain('"price":"49.90"');
      expect(hits.filter((h) => /^\/(img|fonts|media|css)\//.test(h))).toEqual([]);
    });

    it("lets only the site's own private hosts through, never by IP literal", async () => {
      const r = shared();
      await expect(r.render(`${base}/product`)).rejects.toBeInstanceOf(RenderBlockedError);
      await expect(r.render(`${base}/product`, { privateHosts: ['intranet.test'] })).rejects.toBeInstanceOf(
        RenderBlockedError,
      );
      await expect(r.render(`${localBase}/product`, { privateHosts: ['127.0.0.1'] })).rejects.toBeInstanceOf(
        RenderBlockedError,
      );
      const allowed = await r.render(`${base}/product`, SHOP);
      expect(allowed.html).toContain('"price":"49.90"');
    });

    it('lets a site that allows private networks through', async () => {
      const r = shared();
      const result = await r.render(`${privateBase}/secret`, { allowPrivateNetwork: true });
      expect(result.html).toContain('secret');
    });
  });

  it('relaunches Chromium after it dies, and close() leaves no process behind', async () => {
    for (const r of renderers.splice(0)) await r.close();
    expect(chromiumProcesses()).toEqual([]);
    const r = renderer();
    await r.render(`${base}/missing`, SHOP);
    const first = chromiumProcesses();
    expect(first.length).toBeGreaterThan(0);
    for (const pid of first) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch (error) {
        // A helper process that ended by itself since it was listed (CI saw one): gone already.
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await r.render(`${base}/missing`, SHOP)).status).toBe(404);
    const second = chromiumProcesses();
    expect(second.length).toBeGreaterThan(0);
    expect(second.some((pid) => first.includes(pid))).toBe(false);
    await r.close();
    expect(chromiumProcesses()).toEqual([]);
    await expect(r.render(`${base}/missing`, SHOP)).rejects.toThrow(/closed/);
  });
});
