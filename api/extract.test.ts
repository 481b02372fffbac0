import { describe, expect, it } from 'vitest';
import { extractRoutes } from './extract.ts';

const post = (body: unknown) =>
  extractRoutes().request('/extract/preview', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('POST /extract/preview', () => {
  it('returns each extractor with confidences and the normalised product', async () => {
    const html = `<h1>Kettle</h1><script type="application/ld+json">{"@type":"Product","name":"Kettle","sku":"K1","offers":{"price":"9.50","priceCurrency":"EUR"}}</script>`;
    const res = await post({ html, pageUrl: 'https://shop.example/kettle' });
    expect(res.status).toBe(200);
    const json = (await res.json()) as {
      extractors: Record<string, Record<string, unknown>>;
      normalised: Record<string, unknown>;
      chosen: Record<string, { source: string }>;
    };
    expect(json.extractors.jsonld?.price).toEqual({ value: '9.50', confidence: 0.9 });
    expect(json.normalised).toMatchObject({ title: 'Kettle', price: '9.50', currency: 'EUR', sku: 'K1' });
    expect(json.chosen.price?.source).toBe('jsonld');
  });

  it('wants exactly one of url and html, and valid rules', async () => {
    expect((await post({})).status).toBe(400);
    expect((await post({ html: '<p>', url: 'https://a.example/' })).status).toBe(400);
    expect((await post({ html: '<p>', rules: { mode: 'nope' } })).status).toBe(400);
  });

  it('refuses private addresses', async () => {
    const res = await post({ url: 'http://127.0.0.1:8080/' });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: string }).error).toMatch(/private/);
  });
});
