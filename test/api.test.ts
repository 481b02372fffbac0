import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, userWithRole } from './accounts.ts';
import { startApi } from './http.ts';
import { closeConnections } from './support.ts';

let api: { url: string; close(): Promise<void> };
let call: ReturnType<typeof apiClient>;

beforeAll(async () => {
  api = await startApi();
  call = apiClient(api.url, (await userWithRole('operator')).token);
});

afterAll(async () => {
  await api.close();
  await closeConnections();
});

const validSite = {
  name: 'api-shop',
  startUrls: ['https://shop.example/'],
  productUrls: ['/p/**'],
  extraction: { selectors: { price: { selector: '.price', regex: '([0-9.,]+)' } } },
};

describe('operator API: sites', () => {
  it('rejects an invalid site definition with 400 and the failing fields', async () => {
    const response = await call('/api/v1/sites', {
      method: 'POST',
      body: JSON.stringify({
        name: 'Bad Name!',
        startUrls: ['ftp://x'],
        maxPages: -1,
        extraction: { selectors: { price: { selector: '.p', regex: '([' } } },
        surprise: true,
      }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: string;
      issues: Array<{ path: string; message: string }>;
    };
    const paths = body.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'name',
        'startUrls.0',
        'maxPages',
        'extraction.selectors.price.regex',
        '(root)',
      ]),
    );
  });

  it('rejects a body that is not JSON', async () => {
    const response = await call('/api/v1/sites', { method: 'POST', body: '{nope' });
    expect(response.status).toBe(400);
  });

  it('creates, reads, lists and updates a site', async () => {
    const created = await call('/api/v1/sites', { method: 'POST', body: JSON.stringify(validSite) });
    expect(created.status).toBe(201);
    const site = (await created.json()) as {
      id: string;
      rules: { maxPages: number; allowPrivateNetwork: boolean };
    };
    expect(site.rules.maxPages).toBe(10_000);
    expect(site.rules.allowPrivateNetwork).toBe(false);

    const again = await call('/api/v1/sites', { method: 'POST', body: JSON.stringify(validSite) });
    expect(again.status).toBe(409);

    const read = await call('/api/v1/sites/api-shop');
    expect(read.status).toBe(200);
    expect(((await read.json()) as { id: string }).id).toBe(site.id);

    const badPatch = await call('/api/v1/sites/api-shop', {
      method: 'PATCH',
      body: JSON.stringify({ maxPages: 0 }),
    });
    expect(badPatch.status).toBe(400);
    expect(((await badPatch.json()) as { issues: Array<{ path: string }> }).issues[0]?.path).toBe('maxPages');

    const patched = await call('/api/v1/sites/api-shop', {
      method: 'PATCH',
      body: JSON.stringify({ maxPages: 50 }),
    });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { rules: { maxPages: number } }).rules.maxPages).toBe(50);

    const list = (await (await call('/api/v1/sites')).json()) as { items: Array<{ name: string }> };
    expect(list.items.map((s) => s.name)).toContain('api-shop');

    expect((await call('/api/v1/sites/missing')).status).toBe(404);
  });

  it('publishes the site format as JSON Schema', async () => {
    const schema = (await (await call('/api/v1/schema/site')).json()) as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        'name',
        'startUrls',
        'include',
        'exclude',
        'productUrls',
        'extraction',
        'maxPages',
      ]),
    );
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'startUrls']));
  });
});

describe('operator API: crawls', () => {
  it('answers 404 for a crawl of an unknown site or an unknown run', async () => {
    expect((await call('/api/v1/sites/nope/crawls', { method: 'POST' })).status).toBe(404);
    expect((await call('/api/v1/crawls/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await call('/api/v1/crawls/not-a-uuid')).status).toBe(400);
  });
});

describe('storefront API and documents', () => {
  it('validates search parameters', async () => {
    const response = await call('/api/v1/products?minPrice=abc&sort=cheapest');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { issues: Array<{ path: string }> };
    expect(body.issues.map((i) => i.path).sort()).toEqual(['minPrice', 'sort']);
    expect((await call('/api/v1/products/not-a-product')).status).toBe(404);
  });

  it('serves an OpenAPI document that lists every route with its security and permission', async () => {
    const doc = (await (await call('/api/v1/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown[]; 'x-permission'?: string }>>;
      components: { securitySchemes: Record<string, { type: string }> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/sites',
        '/api/v1/sites/{name}',
        '/api/v1/sites/{name}/crawls',
        '/api/v1/crawls/{id}',
        '/api/v1/products',
        '/api/v1/products/{id}',
        '/api/v1/auth/login',
        '/api/v1/account/tokens',
        '/readyz',
      ]),
    );
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'session']);
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation['x-permission'], `${method} ${path}`).toBeTruthy();
        if (operation['x-permission'] !== 'public')
          expect(operation.security, `${method} ${path}`).toEqual([{ session: [] }, { bearer: [] }]);
      }
    }
    expect(doc.paths['/api/v1/sites']?.post?.['x-permission']).toBe('sites:write');
  });

  it('exposes Prometheus metrics', async () => {
    const text = await (await call('/metrics')).text();
    expect(text).toContain('# TYPE trawl_http_request_duration_seconds histogram');
    expect(text).toContain('trawl_pages_fetched_total');
  });
});
