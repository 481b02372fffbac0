import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyLimit } from './body-limit.ts';

const LIMIT = 1000;
const app = new Hono();
app.use(bodyLimit((path) => (path === '/large' ? 10 * LIMIT : LIMIT)));
app.onError((error, c) => c.text(error.message, error instanceof HTTPException ? error.status : 500));
app.post('*', async (c) => c.json({ received: (await c.req.text()).length }));
app.get('*', (c) => c.text('read'));

let server: ReturnType<typeof serve>;
let port: number;
beforeAll(async () => {
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** Sends `size` bytes, declared or chunked, over a real socket; the status and body answered. */
function send(path: string, size: number, chunked: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(size) },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    // In pieces, so a chunked body arrives as several chunks.
    for (let sent = 0; sent < size; sent += 100) req.write('x'.repeat(Math.min(100, size - sent)));
    req.end();
  });
}

describe('bodyLimit', () => {
  it('passes a body at the limit whole, declared or chunked', async () => {
    for (const chunked of [false, true]) {
      const answer = await send('/', LIMIT, chunked);
      expect(answer, `chunked=${chunked}`).toEqual({
        status: 200,
        body: JSON.stringify({ received: LIMIT }),
      });
    }
  });

  it('refuses one byte more with 413, declared or chunked', async () => {
    for (const chunked of [false, true]) {
      const answer = await send('/', LIMIT + 1, chunked);
      expect(answer.status, `chunked=${chunked}`).toBe(413);
      expect(answer.body).toBe('the request body is too large');
    }
  });

  it("takes each path's own limit", async () => {
    expect((await send('/large', 5 * LIMIT, false)).status).toBe(200);
    expect((await send('/large', 5 * LIMIT, true)).status).toBe(200);
    expect((await send('/large', 10 * LIMIT + 1, true)).status).toBe(413);
  });

  it('lets requests without a body through, also through app.request (no socket)', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/page`);
    expect(await response.text()).toBe('read');
    expect(await (await app.request('/page')).text()).toBe('read');
    const posted = await app.request('/', { method: 'POST', body: 'x'.repeat(LIMIT + 1) });
    expect(posted.status).toBe(413);
  });
});
