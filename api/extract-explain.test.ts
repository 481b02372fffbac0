import { describe, expect, it } from 'vitest';
import { extractRoutes } from './extract.ts';

describe('POST /extract/preview explains its choices', () => {
  it('returns, per field, the candidates, their sources and why the winner won', async () => {
    const html = `<h1>Kettle</h1><p class="price">€ 9,50</p><button>Add to cart</button>
      <script type="application/ld+json">{"@type":"Product","name":"Kettle","offers":{"price":"9.50","priceCurrency":"EUR"}}</script>`;
    const res = await extractRoutes().request('/extract/preview', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ html, pageUrl: 'https://shop.example/kettle' }),
    });
    expect(res.status).toBe(200);
    const { explanation } = (await res.json()) as {
      explanation: {
        fields: Record<string, { value: unknown; candidates: { sources: string[] }[]; why: string }>;
      };
    };
    expect(explanation.fields.price?.value).toBe('9.50');
    expect(explanation.fields.price?.candidates[0]?.sources).toEqual(['jsonld', 'heuristics']);
    expect(explanation.fields.price?.why).toBeTruthy();
  });
});
