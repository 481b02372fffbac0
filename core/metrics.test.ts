import { afterAll, describe, expect, it } from 'vitest';
import { pagesFetched, serveMetrics } from './metrics.ts';

let close: (() => Promise<void>) | undefined;
afterAll(() => close?.());

describe('worker /metrics endpoint', () => {
  it('serves the process registry in the Prometheus text format', async () => {
    const { server, port } = await serveMetrics(0, '127.0.0.1');
    close = () => new Promise((resolve) => server.close(() => resolve()));
    pagesFetched.inc({ site: 'metrics-test', host: 'shop.test', status: '200' });
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('# TYPE trawl_pages_fetched_total counter');
    expect(text).toMatch(/trawl_pages_fetched_total\{site="metrics-test",host="shop.test",status="200"\} 1/);
    expect(text).toContain('trawl_process_cpu_seconds_total');
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
  });
});
