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

/** The page's twitter:* meta tags by lower-cased name, first value of each. */
function twitterTags(page: ExtractorPage): Map<string, string> {
  const tags = new Map<string, string>();
  // `page.$` is Cheerio over the parsed page, built on first use.
  page.$('meta').each((_, meta) => {
    const name = (meta.attribs.name ?? meta.attribs.property ?? '').trim().toLowerCase();
    const content = meta.attribs.content;
    if (name.startsWith('twitter:') && content !== undefined && !tags.has(name)) tags.set(name, content);
  });
  return tags;
}

const twitterCards: Extractor = {
  name: 'twitter-cards',
  // After the built-in structured data, before page heuristics.
  precedence: 50,
  extract(page: ExtractorPage): ScoredFields | null {
    const tags = twitterTags(page);
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
