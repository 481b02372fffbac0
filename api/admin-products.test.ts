import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, signInSession, userWithRole } from '../test/accounts.ts';
import { closeConnections } from '../test/connections.ts';
import { startApi } from '../test/http.ts';
import { merchantWithListings, type TestMerchant } from '../test/shop-world.ts';

let api: Awaited<ReturnType<typeof startApi>>;
let shop: TestMerchant;
let other: TestMerchant;

beforeAll(async () => {
  api = await startApi();
  shop = await merchantWithListings([
    { title: 'Tarn Wool Blanket', price: '80.00' },
    { title: 'Tarn Wool Scarf', price: '30.00' },
  ]);
  other = await merchantWithListings([{ title: 'Fjell Wool Hat', price: '25.00' }]);
});

afterAll(async () => {
  await api.close();
  await closeConnections();
});

describe('the products API', () => {
  it('changes overrides in bulk and shows crawled and listed values side by side', async () => {
    const call = apiClient(`${api.url}/api/v1`, shop.token);
    const ids = shop.listings.map((l) => l.id);
    const patched = await call('/admin/products/overrides', {
      method: 'PATCH',
      body: JSON.stringify({ ids, change: { price: { mode: 'markup', percent: '-10' } } }),
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toEqual({ changed: 2 });
    const list = await call('/admin/products?status=overridden');
    const body = (await list.json()) as {
      items: Array<{ id: string; crawled: { price: string }; listed: { price: string } }>;
    };
    expect(body.items.map((i) => [i.crawled.price, i.listed.price]).sort()).toEqual([
      ['30.00', '27.00'],
      ['80.00', '72.00'],
    ]);
    const cleared = await call('/admin/products/overrides/clear', {
      method: 'POST',
      body: JSON.stringify({ ids }),
    });
    expect(await cleared.json()).toEqual({ cleared: 2 });
  });

  it('keeps merchants to their own shops', async () => {
    const call = apiClient(`${api.url}/api/v1`, shop.token);
    const foreign = await call('/admin/products/overrides', {
      method: 'PATCH',
      body: JSON.stringify({ ids: [other.listings[0]!.id], change: { hidden: true } }),
    });
    expect(foreign.status).toBe(403);
    expect((await call(`/admin/products/${other.listings[0]!.id}`)).status).toBe(404);
    const created = await call('/admin/products', {
      method: 'POST',
      body: JSON.stringify({ site: other.siteName, title: 'Sneaky', price: '1.00', currency: 'EUR' }),
    });
    expect(created.status).toBe(403);
    const shopper = await userWithRole('shopper');
    expect((await apiClient(`${api.url}/api/v1`, shopper.token)('/admin/products')).status).toBe(403);
  });

  it('creates and edits a merchant product, and refuses to edit a crawled one', async () => {
    const call = apiClient(`${api.url}/api/v1`, shop.token);
    const created = await call('/admin/products', {
      method: 'POST',
      body: JSON.stringify({
        site: shop.siteName,
        title: 'Tarn Wool Mittens',
        price: '19.90',
        currency: 'EUR',
      }),
    });
    expect(created.status).toBe(201);
    const product = (await created.json()) as { id: string; origin: string };
    expect(product.origin).toBe('manual');
    const edited = await call(`/admin/products/${product.id}`, {
      method: 'PUT',
      body: JSON.stringify({
        site: shop.siteName,
        title: 'Tarn Wool Mittens',
        price: '21.00',
        currency: 'EUR',
      }),
    });
    expect(((await edited.json()) as { listed: { price: string } }).listed.price).toBe('21.00');
    const crawled = await call(`/admin/products/${shop.listings[0]!.id}`, {
      method: 'PUT',
      body: JSON.stringify({ site: shop.siteName, title: 'X', price: '1', currency: 'EUR' }),
    });
    expect(crawled.status).toBe(400);
  });
});

describe('the products pages', () => {
  it('lets a merchant hide listings in bulk with a form, and rejects a form without the CSRF token', async () => {
    const { cookie, csrfToken } = await signInSession(api.url, shop.email, shop.password);
    const page = await fetch(`${api.url}/admin/products`, { headers: { cookie } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('Tarn Wool Blanket');
    expect(html).not.toContain('Fjell Wool Hat');

    const form = new URLSearchParams({ action: 'hide', back: '/admin/products?status=all' });
    form.append('ids', shop.listings[0]!.id);
    form.append('ids', shop.listings[1]!.id);
    const noCsrf = await fetch(`${api.url}/admin/products/bulk`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: api.url },
      body: form,
      redirect: 'manual',
    });
    expect(noCsrf.status).toBe(403);

    form.set('_csrf', csrfToken);
    const done = await fetch(`${api.url}/admin/products/bulk`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: api.url },
      body: form,
      redirect: 'manual',
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/admin/products?status=all&done=bulk&count=2');
    const hidden = await (
      await fetch(`${api.url}/admin/products?status=hidden`, { headers: { cookie } })
    ).text();
    expect(hidden).toContain('2 listings');

    // An open redirect through "back" is not possible.
    form.set('back', 'https://evil.example/');
    form.set('action', 'unhide');
    const evil = await fetch(`${api.url}/admin/products/bulk`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: api.url },
      body: form,
      redirect: 'manual',
    });
    expect(evil.headers.get('location')).toBe('/admin/products?done=bulk&count=2');
  });

  it('shows field errors on a bad override and keeps what was typed', async () => {
    const { cookie, csrfToken } = await signInSession(api.url, shop.email, shop.password);
    const id = shop.listings[0]!.id;
    const response = await fetch(`${api.url}/admin/products/${id}/override`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: api.url },
      body: new URLSearchParams({
        _csrf: csrfToken,
        title: 'Kept title',
        priceMode: 'fixed',
        priceValue: '-5',
      }),
      redirect: 'manual',
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('value="Kept title"');
    expect(html).toContain('more than 0');
  });

  it('escapes hostile crawled titles', async () => {
    const hostile = await merchantWithListings([{ title: '<img src=x onerror=alert(1)>', price: '1.00' }]);
    const { cookie } = await signInSession(api.url, hostile.email, hostile.password);
    const html = await (await fetch(`${api.url}/admin/products`, { headers: { cookie } })).text();
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
