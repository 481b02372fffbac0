import { createServer, type Server, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertPublicUrl, isPrivateNetworkError, setResolver } from './network-guard.ts';
import { type SitemapOptions, sitemapUrls } from './sitemap.ts';
import { fixedResolver, rebindingResolver } from './test-dns.ts';

/** The test server is on loopback: reached as a site with allowPrivateNetwork would reach it. */
const LOCAL = { network: { allowPrivateNetwork: true } };
let server: Server;
let base: string;
let bigResponse: { bytesSent: number; finished: boolean } = { bytesSent: 0, finished: false };

const urlset = (locs: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">\n${locs
    .map((loc) => `<url><loc>${loc}</loc><lastmod>2025-01-01</lastmod></url>`)
    .join('\n')}\n</urlset>`;
const index = (children: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${children
    .map((loc) => `<sitemap><loc>${loc}</loc></sitemap>`)
    .join('')}</sitemapindex>`;
const pages = (name: string, n: number) =>
  Array.from({ length: n }, (_, i) => `https://shop.example/${name}/${i}`);

async function streamBig(res: ServerResponse): Promise<void> {
  bigResponse = { bytesSent: 0, finished: false };
  res.on('close', () => {
    bigResponse.finished = res.writableFinished;
  });
  res.writeHead(200, { 'content-type': 'application/xml' });
  res.write('<urlset>');
  for (let chunk = 0; chunk < 2000 && !res.destroyed; chunk++) {
    const body = pages(`big${chunk}`, 500)
      .map((loc) => `<url><loc>${loc}</loc></url>`)
      .join('');
    bigResponse.bytesSent += body.length;
    if (!res.write(body)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done).off('close', done);
          resolve();
        };
        res.on('drain', done).on('close', done);
      });
    }
  }
  res.end('</urlset>');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '/';
    const xml = (body: string) => res.writeHead(200, { 'content-type': 'application/xml' }).end(body);
    switch (url) {
      case '/plain.xml':
        return xml(
          urlset([
            'https://shop.example/p/1',
            ' https://shop.example/p/2?a=1&amp;b=2 ',
            '<![CDATA[https://shop.example/p/3]]>',
            '/relative/4',
            'javascript:alert(1)',
          ]).replace(
            '</url>',
            '<image:image><image:loc>https://cdn.example/1.jpg</image:loc></image:image></url>',
          ),
        );
      case '/index.xml':
        return xml(
          index([`${base}/child1.xml`, `${base}/child2.xml.gz`, `${base}/index.xml`, `${base}/missing.xml`]),
        );
      case '/child1.xml':
        return xml(urlset(pages('one', 3)));
      case '/child2.xml.gz':
        return res
          .writeHead(200, { 'content-type': 'application/gzip' })
          .end(gzipSync(urlset(pages('two', 2))));
      case '/encoded.xml':
        return res
          .writeHead(200, { 'content-type': 'application/xml', 'content-encoding': 'gzip' })
          .end(gzipSync(urlset(pages('enc', 2))));
      case '/broken.xml':
        return xml(
          `<urlset><url><loc>https://shop.example/b/1</loc></url><url><loc>https://shop.example/b/2</loc></url><url><<loc>>>&&</urlset><loc`,
        );
      case '/truncated.xml.gz': {
        const full = gzipSync(urlset(pages('trunc', 5000)));
        return res.writeHead(200).end(full.subarray(0, full.length / 2));
      }
      case '/big.xml':
        return void streamBig(res);
      case '/private-index.xml':
        return xml(
          index([
            `${base}/child1.xml`,
            `${named('evil.test')}/child1.xml`,
            `${named('shop.test')}/to-literal.xml`,
            `${named('shop.test')}/child1.xml`,
          ]),
        );
      case '/to-literal.xml':
        return res.writeHead(302, { location: `${base}/child1.xml` }).end();
    }
    const chain = /^\/chain\/(\d+)\.xml$/.exec(url);
    if (chain) {
      const n = Number(chain[1]);
      return xml(index([`${base}/chain/${n + 1}.xml`, `${base}/level/${n}.xml`]));
    }
    const level = /^\/level\/(\d+)\.xml$/.exec(url);
    if (level) return xml(urlset([`https://shop.example/level/${level[1]}`]));
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The test server under another name (which the test's resolver answers). */
const named = (host: string) => base.replace('127.0.0.1', host);

async function collect(path: string, options: Partial<SitemapOptions> = {}) {
  const errors: string[] = [];
  const urls: string[] = [];
  for await (const url of sitemapUrls(`${base}${path}`, {
    userAgent: 'TrawlBot',
    ...LOCAL,
    onError: (file, error) => errors.push(`${file.replace(base, '')}: ${error.message}`),
    ...options,
  })) {
    urls.push(url);
  }
  return { urls, errors };
}

describe('sitemapUrls', () => {
  it('yields page URLs of a plain sitemap', async () => {
    const { urls, errors } = await collect('/plain.xml');
    expect(urls).toEqual([
      'https://shop.example/p/1',
      'https://shop.example/p/2?a=1&b=2',
      'https://shop.example/p/3',
      `${base}/relative/4`,
    ]);
    expect(errors).toEqual([]);
  });

  it('follows an index to its children, gzipped ones too, without loops', async () => {
    const { urls, errors } = await collect('/index.xml');
    expect(urls).toEqual([...pages('one', 3), ...pages('two', 2)]);
    expect(errors).toEqual(['/missing.xml: HTTP 404']);
  });

  it('reads Content-Encoding: gzip', async () => {
    expect((await collect('/encoded.xml')).urls).toEqual(pages('enc', 2));
  });

  it('keeps what was parsed from broken XML or a truncated gzip', async () => {
    const broken = await collect('/broken.xml');
    expect(broken.urls.slice(0, 2)).toEqual(['https://shop.example/b/1', 'https://shop.example/b/2']);
    const truncated = await collect('/truncated.xml.gz');
    expect(truncated.urls.length).toBeGreaterThan(100);
    expect(truncated.urls.length).toBeLessThan(5000);
    expect(truncated.urls[0]).toBe('https://shop.example/trunc/0');
    expect(truncated.errors).toHaveLength(1);
  });

  it('stops at maxUrls without downloading the rest', async () => {
    const { urls } = await collect('/big.xml', { maxUrls: 1000 });
    expect(urls).toHaveLength(1000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bigResponse.finished).toBe(false);
    expect(bigResponse.bytesSent).toBeLessThan(10_000_000);
  });

  it('stops at maxBytes', async () => {
    const { urls, errors } = await collect('/big.xml', { maxBytes: 100_000 });
    expect(urls.length).toBeGreaterThan(1000);
    expect(urls.length).toBeLessThan(100_000 / 40);
    expect(errors).toEqual(['/big.xml: larger than 100000 bytes, read that much']);
  });

  it('follows indexes to maxDepth and at most maxFiles files', async () => {
    const deep = await collect('/chain/0.xml', { maxDepth: 2 });
    expect(deep.urls).toEqual(['https://shop.example/level/0', 'https://shop.example/level/1']);
    const few = await collect('/chain/0.xml', { maxDepth: 10, maxFiles: 4 });
    expect(few.urls).toEqual(['https://shop.example/level/0']);
  });

  it('lets the caller veto sitemap files', async () => {
    const { urls, errors } = await collect('/index.xml', {
      beforeFetch: (url) => {
        if (url.endsWith('.gz')) throw new Error('refused');
      },
    });
    expect(urls).toEqual(pages('one', 3));
    expect(errors).toEqual(['/child2.xml.gz: refused', '/missing.xml: HTTP 404']);
  });

  it('throws when aborted', async () => {
    const controller = new AbortController();
    const run = async () => {
      for await (const _ of sitemapUrls(`${base}/big.xml`, {
        userAgent: 'TrawlBot',
        ...LOCAL,
        signal: controller.signal,
      })) {
        controller.abort(new Error('stopped'));
      }
    };
    await expect(run()).rejects.toThrow('stopped');
  });
});

describe('sitemapUrls network guard', () => {
  afterEach(() => setResolver());

  const collectGuarded = async (url: string, network: SitemapOptions['network']) => {
    const errors: Error[] = [];
    const urls: string[] = [];
    for await (const found of sitemapUrls(url, {
      userAgent: 'TrawlBot',
      ...(network ? { network } : {}),
      onError: (_, error) => errors.push(error),
    }))
      urls.push(found);
    return { urls, errors };
  };

  it('fetches public addresses only by default', async () => {
    const { urls, errors } = await collectGuarded(`${base}/plain.xml`, undefined);
    expect(urls).toEqual([]);
    expect(errors.map((e) => e.message)).toEqual(['127.0.0.1 is a private address, refused']);
  });

  it("checks each file of a private host's index, and each redirect, on the address it connects to", async () => {
    setResolver(fixedResolver({ 'shop.test': '127.0.0.1', 'evil.test': '127.0.0.1' }));
    const { urls, errors } = await collectGuarded(`${named('shop.test')}/private-index.xml`, {
      privateHosts: ['shop.test'],
    });
    // Only the child on the allowed host: not by literal, not by another name, not by redirect.
    expect(urls).toEqual(pages('one', 3));
    expect(errors).toHaveLength(3);
    expect(errors.every(isPrivateNetworkError)).toBe(true);
  });

  it('refuses a name that answered public to a check and 127.0.0.1 to the fetch', async () => {
    const dns = rebindingResolver('rebind.test');
    setResolver(dns.resolve);
    const url = `${named('rebind.test')}/plain.xml`;
    // What the seeding used to ask before fetching each file.
    await expect(assertPublicUrl(url)).resolves.toBeUndefined();
    const { urls, errors } = await collectGuarded(url, {});
    expect(urls).toEqual([]);
    expect(errors.map((e) => e.message)).toEqual([
      'rebind.test resolves to 127.0.0.1, a private address (the site does not allow private networks)',
    ]);
    expect(dns.calls()).toBe(2);
  });
});
