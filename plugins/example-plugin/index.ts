/**
 * Example Trawl extractor plugin. Some shops publish product facts only as Twitter card
 * label/data pairs:
 *
 *   <meta name="twitter:label1" content="Price"> <meta name="twitter:data1" content="€ 24,95">
 *
 * This plugin reads them. List it in a site's rules to use it:
 *   "extraction": { "plugins": ["./plugins/example-plugin"] }
 */
import type { Extractor, ExtractorPage, ScoredFields } from '../../crawler/extract/types.ts';

const FIELDS: Record<string, 'price' | 'availability' | 'sku' | 'brand'> = {
  price: 'price',
  preis: 'price',
  prix: 'price',
  precio: 'price',
  availability: 'availability',
  stock: 'availability',
  sku: 'sku',
  brand: 'brand',
};

function metaTags(html: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const match of html.matchAll(/<meta\s[^>]*>/gi)) {
    const tag = match[0];
    const name = /\b(?:name|property)\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1]?.toLowerCase();
    const content = /\bcontent\s*=\s*["']([^"']*)["']/i.exec(tag)?.[1];
    if (name?.startsWith('twitter:') && content !== undefined && !tags.has(name)) tags.set(name, content);
  }
  return tags;
}

const twitterCards: Extractor = {
  name: 'twitter-cards',
  // After the built-in structured data, before page heuristics.
  precedence: 50,
  extract(page: ExtractorPage): ScoredFields | null {
    const tags = metaTags(page.html.slice(0, 200_000));
    const found: ScoredFields = {};
    for (let i = 1; i <= 4; i++) {
      const label = tags.get(`twitter:label${i}`)?.trim().toLowerCase();
      const data = tags.get(`twitter:data${i}`)?.trim();
      const field = label ? FIELDS[label] : undefined;
      // A shop's own card is fairly reliable, but less so than schema.org data (0.9).
      if (field && data) found[field] = { value: data, confidence: 0.7 };
    }
    return Object.keys(found).length > 0 ? found : null;
  },
};

export default twitterCards;
