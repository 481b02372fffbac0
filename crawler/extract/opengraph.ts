import { resolveHttpUrl } from '../normalise/url.ts';
import { baseUrl, indexPage } from './dom.ts';
import { compact } from './fields.ts';
import { structuredPrice, text } from './schema-org.ts';
import type { ExtractInput, Fields } from './types.ts';

/** All meta tags by lower-cased property (or name), in page order. */
function metaValues(input: ExtractInput): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const meta of indexPage(input.document).metas.slice(0, 2000)) {
    // Facebook's spec says property; many shops write name.
    const key = (meta.attribs.property ?? meta.attribs.name ?? '').trim().toLowerCase();
    const content = meta.attribs.content;
    if (!key || content === undefined) continue;
    const list = values.get(key);
    if (list) list.push(content);
    else values.set(key, [content]);
  }
  return values;
}

/** OpenGraph and Facebook product meta tags. */
export function extractOpenGraph(input: ExtractInput): Fields | null {
  const meta = metaValues(input);
  if (meta.size === 0) return null;
  const first = (keys: string[], max = 2000): string | undefined => {
    for (const key of keys) {
      const value = text(meta.get(key), max);
      if (value) return value;
    }
    return undefined;
  };
  const base = baseUrl(input.document, input.url);
  const images = ['og:image', 'og:image:url', 'og:image:secure_url']
    .flatMap((key) => meta.get(key) ?? [])
    .map((url) => resolveHttpUrl(url, base))
    .filter((url): url is string => url !== null);
  const description = meta.get('og:description')?.find((d) => d.trim() !== '');
  return compact({
    title: first(['og:title']),
    description: description?.trim(),
    images: [...new Set(images)],
    price: structuredPrice(
      first(['product:price:amount', 'og:price:amount', 'product:sale_price:amount'], 500),
    ),
    currency: first(['product:price:currency', 'og:price:currency', 'product:sale_price:currency'], 100),
    availability: first(['product:availability', 'og:availability'], 500),
    brand: first(['product:brand', 'og:brand'], 500),
    sku: first(['product:retailer_item_id', 'product:sku'], 500),
    gtin: first(['product:gtin', 'product:ean', 'product:upc', 'product:isbn'], 100),
  });
}
