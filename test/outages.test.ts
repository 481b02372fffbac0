import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '../core/config.ts';
import { db } from '../core/db/index.ts';
import { apiClient, type TestUser, userWithRole } from './accounts.ts';
import { startApi } from './http.ts';
import { closeConnections } from './support.ts';
import { TcpProxy } from './tcp-proxy.ts';

// Postgres and Redis are reached through proxies the tests cut, to simulate outages.
const realDatabase = new URL(process.env.DATABASE_URL!);
const postgresProxy = new TcpProxy(realDatabase.hostname, Number(realDatabase.port || 5432));
const database = new URL(realDatabase);
database.port = String(await postgresProxy.start());
process.env.DATABASE_URL = database.href;
const realRedis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const redisProxy = new TcpProxy(realRedis.hostname, Number(realRedis.port || 6379));
const redisUrl = new URL(realRedis);
redisUrl.port = String(await redisProxy.start());
process.env.REDIS_URL = redisUrl.href;
resetConfig();

let api: Awaited<ReturnType<typeof startApi>>;
let admin: TestUser;

beforeAll(async () => {
  api = await startApi();
  admin = await userWithRole('admin');
  const created = await apiClient(api.url, admin.token)('/api/v1/sites', {
    method: 'POST',
    body: JSON.stringify({
      name: 'outage-shop',
      startUrls: ['http://127.0.0.1:9/'],
      allowPrivateNetwork: true,
      respectRobotsTxt: false,
    }),
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await postgresProxy.restore();
  await redisProxy.restore();
  await api.close();
  await closeConnections();
  await postgresProxy.close();
  await redisProxy.close();
});

async function timed(path: string, init?: RequestInit) {
  const started = performance.now();
  const response = await apiClient(api.url, admin.token)(path, init);
  const body = await response.text();
  return { status: response.status, body, ms: performance.now() - started };
}

describe('outages', () => {
  it('/healthz stays up while /readyz fails within a second when Postgres is unreachable', async () => {
    expect((await timed('/readyz')).status).toBe(200);
    await postgresProxy.cut();
    try {
      const ready = await timed('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.ms).toBeLessThan(1000);
      expect(JSON.parse(ready.body)).toMatchObject({
        ready: false,
        checks: [
          { name: 'postgres', ok: false },
          { name: 'redis', ok: true },
        ],
      });
      expect((await timed('/healthz')).status).toBe(200);
    } finally {
      await postgresProxy.restore();
    }
  });

  it('/readyz fails within a second when Redis is unreachable', async () => {
    await redisProxy.cut();
    try {
      const ready = await timed('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.ms).toBeLessThan(1000);
      expect(JSON.parse(ready.body).checks).toContainEqual({
        name: 'redis',
        ok: false,
        error: expect.any(String),
      });
    } finally {
      await redisProxy.restore();
    }
  });

  it('answers a crawl start 503 quickly while Redis is down, leaves no run behind, and starts once it is back', async () => {
    await redisProxy.cut();
    try {
      const refused = await timed('/api/v1/sites/outage-shop/crawls', { method: 'POST' });
      expect(refused.status).toBe(503);
      expect(refused.ms).toBeLessThan(3000);
      expect(JSON.parse(refused.body).error).toContain('Redis');
      // Other files' runs may be active in this database: only this site's count.
      const site = await db().site.findUniqueOrThrow({ where: { name: 'outage-shop' } });
      const active = await db().crawlRun.count({
        where: { siteId: site.id, status: { in: ['queued', 'running', 'paused'] } },
      });
      expect(active).toBe(0);
    } finally {
      await redisProxy.restore();
    }
    const started = await timed('/api/v1/sites/outage-shop/crawls', { method: 'POST' });
    expect(started.status, started.body).toBe(202);
  });

  it('answers 503, not a hang or a 500, when Postgres goes away under a request', async () => {
    await postgresProxy.cut();
    try {
      const sites = await timed('/api/v1/sites');
      expect(sites.status).toBe(503);
      expect(sites.ms).toBeLessThan(7000);
    } finally {
      await postgresProxy.restore();
    }
  });
});
