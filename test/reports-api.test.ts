import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRole, createToken, permissionsOfRole } from '../commerce/accounts/index.ts';
import { db } from '../core/db/index.ts';
import { apiClient, userWithRole } from './accounts.ts';
import { startApi } from './http.ts';
import { buy, fundWallet, payFromBalance } from './promotion-world.ts';
import { merchantWithListings, shopperWithAddress, type TestMerchant } from './shop-world.ts';
import { closeConnections } from './support.ts';

/**
 * The reports API over HTTP: JSON and the CSV download (headers, BOM, RFC 4180, the formula
 * guard on a merchant's name), refused ranges, and a merchant-like role granted reports:view
 * seeing its own shops only.
 */
let api: Awaited<ReturnType<typeof startApi>>;
let admin: Awaited<ReturnType<typeof userWithRole>>;
let evil: TestMerchant;
let other: TestMerchant;
let scopedToken: string;

beforeAll(async () => {
  api = await startApi();
  admin = await userWithRole('admin');
  evil = await merchantWithListings([{ title: 'Lamp, "deluxe"', price: '80.00', currency: 'EUR' }], {
    name: '=HYPERLINK("http://evil.example","x")',
  });
  other = await merchantWithListings([{ title: 'Chair', price: '120.00', currency: 'EUR' }]);
  const shopper = await shopperWithAddress();
  await fundWallet(shopper.id, '1000.00', 'EUR');
  for (const m of [evil, other]) {
    const [orderId] = await buy(shopper, [{ productId: m.listings[0]!.id }]);
    await payFromBalance(shopper, orderId!);
  }
  // A merchant role an admin granted the reports: it reads its own orders only.
  await createRole({
    name: 'reporting-merchant',
    description: 'A merchant who may see reports',
    permissions: [...(await permissionsOfRole('merchant')), 'reports:view'],
  });
  await db().user.update({ where: { id: evil.id }, data: { roleName: 'reporting-merchant' } });
  const permissions = new Set(await permissionsOfRole('reporting-merchant'));
  scopedToken = (await createToken({ id: evil.id, permissions }, { name: 'reports' })).token;
}, 120_000);

afterAll(async () => {
  await api?.close();
  await closeConnections();
});

const today = new Date().toISOString().slice(0, 10);

describe('GET /api/v1/admin/reports/{report}', () => {
  it('answers JSON with exact amounts per currency, and the same rows as a CSV download', async () => {
    const call = apiClient(api.url, admin.token);
    const json = await call(`/api/v1/admin/reports/sales-by-merchant?from=${today}&to=${today}`);
    expect(json.status).toBe(200);
    const report = (await json.json()) as { rows: Array<Record<string, string>>; timeZone: string };
    expect(report.timeZone).toBe('UTC');
    const row = report.rows.find((r) => r.email === evil.email)!;
    expect(row).toMatchObject({ currency: 'EUR', orders: 1 });
    expect(row.gross).toMatch(/^\d+\.\d{2}$/);

    const csv = await call(`/api/v1/admin/reports/sales-by-merchant?from=${today}&to=${today}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.headers.get('content-disposition')).toBe(
      `attachment; filename="trawl-sales-by-merchant-${today}-to-${today}-day.csv"`,
    );
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('Merchant,E-mail,Currency,Orders,Gross paid,Refunds,Net');
    expect(lines).toContain(
      `"'=HYPERLINK(""http://evil.example"",""x"")",${evil.email},EUR,1,${row.gross},${row.refunds},${row.net}`,
    );
    expect(text.endsWith('\r\n')).toBe(true);

    const top = await call(`/api/v1/admin/reports/top-products?from=${today}&to=${today}&format=csv`);
    expect(await top.text()).toContain('"Lamp, ""deluxe"""');
  });

  it('refuses a range it cannot use, naming the field', async () => {
    const call = apiClient(api.url, admin.token);
    for (const query of [
      'from=2020-01-01&to=2024-01-01',
      'from=2024-05-02&to=2024-05-01',
      'grain=hour',
      'from=2024-13-01',
    ]) {
      const response = await call(`/api/v1/admin/reports/sales?${query}`);
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as { code: string; issues: Array<{ path: string }> };
      expect(body.code).toBe('invalid_input');
      expect(body.issues.length).toBeGreaterThan(0);
    }
    expect((await call('/api/v1/admin/reports/no-such-report')).status).toBe(400);
  });

  it('shows a merchant granted reports:view its own shops only, and no platform-wide members', async () => {
    const call = apiClient(api.url, scopedToken);
    const list = (await (await call('/api/v1/admin/reports')).json()) as { items: Array<{ name: string }> };
    expect(list.items.map((r) => r.name)).not.toContain('members');
    const response = await call(`/api/v1/admin/reports/sales-by-merchant?from=${today}&to=${today}`);
    const report = (await response.json()) as { scope: string; rows: Array<Record<string, string>> };
    expect(report.scope).toBe('own');
    expect(report.rows.map((r) => r.email)).toEqual([evil.email]);
    const crawls = (await (await call(`/api/v1/admin/reports/crawls?from=${today}&to=${today}`)).json()) as {
      rows: Array<{ site: string }>;
    };
    expect(crawls.rows.every((r) => r.site === evil.siteName)).toBe(true);
    expect((await call('/api/v1/admin/reports/members')).status).toBe(403);
    // Staff see every merchant.
    const all = (await (
      await apiClient(
        api.url,
        admin.token,
      )(`/api/v1/admin/reports/sales-by-merchant?from=${today}&to=${today}`)
    ).json()) as { scope: string; rows: Array<Record<string, string>> };
    expect(all.scope).toBe('platform');
    expect(all.rows.map((r) => r.email)).toEqual(expect.arrayContaining([evil.email, other.email]));
  });

  it('is declared in the OpenAPI document with its permission', async () => {
    const doc = (await (await fetch(`${api.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { 'x-permission': string }>>;
    };
    expect(doc.paths['/api/v1/admin/reports/{report}']?.get?.['x-permission']).toBe('reports:view');
    expect(doc.paths['/api/v1/admin/reports']?.get?.['x-permission']).toBe('reports:view');
  });
});
