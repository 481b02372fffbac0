import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RobotsCache } from './robots.ts';

let server: Server;
let base: string;
let fetches = 0;
let mode: 'rules' | '404' | '500' = 'rules';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/robots.txt') {
      fetches++;
      if (mode === '404') return res.writeHead(404).end();
      if (mode === '500') return res.writeHead(500).end();
      return res.end('User-agent: *\nDisallow: /private\n\nUser-agent: TrawlBot\nDisallow: /no-trawl\n');
    }
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('RobotsCache', () => {
  it('matches rules for the crawler user agent and fetches robots.txt once', async () => {
    mode = 'rules';
    fetches = 0;
    const robots = new RobotsCache('TrawlBot/1.0');
    expect(await robots.isAllowed(`${base}/product/1`)).toBe(true);
    expect(await robots.isAllowed(`${base}/no-trawl/x`)).toBe(false);
    const other = new RobotsCache('OtherBot');
    expect(await other.isAllowed(`${base}/private/x`)).toBe(false);
    expect(await other.isAllowed(`${base}/no-trawl/x`)).toBe(true);
    await Promise.all([robots.isAllowed(`${base}/a`), robots.isAllowed(`${base}/b`)]);
    expect(fetches).toBe(2);
  });

  it('allows everything on 404 and nothing on 5xx or no answer', async () => {
    mode = '404';
    expect(await new RobotsCache('TrawlBot').isAllowed(`${base}/private/x`)).toBe(true);
    mode = '500';
    expect(await new RobotsCache('TrawlBot').isAllowed(`${base}/anything`)).toBe(false);
    expect(await new RobotsCache('TrawlBot', { timeoutMs: 500 }).isAllowed('http://127.0.0.1:1/x')).toBe(
      false,
    );
  });
});
