// htmlparser2 rather than parse5: several times faster, linear on deeply nested pages, and the
// parser Crawlee hands its handlers, so both paths see the same tree.
import { load } from 'cheerio/slim';
import type { z } from 'zod';
import { type RawProduct, rawProductSchema } from '../../core/product.ts';
import type { extractionSchema } from '../../core/site.ts';
import { cleanText } from '../normalise/text.ts';
import { bound } from './bounds.ts';
import { extractCanonical } from './canonical.ts';
import { indexPage, textOf } from './dom.ts';
import { hasValue } from './fields.ts';
import { extractJsonLd } from './jsonld.ts';
import { extractMicrodata } from './microdata.ts';
import { extractOpenGraph } from './opengraph.ts';
import { extractSelectors } from './selectors.ts';
import type { ExtractInput, Fields, Query } from './types.ts';

export { extractCanonical } from './canonical.ts';
export { extractJsonLd } from './jsonld.ts';
export { extractMicrodata } from './microdata.ts';
export { extractOpenGraph } from './opengraph.ts';
export { extractSelectors, type SelectorRules } from './selectors.ts';
export type { ExtractInput, Fields, Query } from './types.ts';

/** A site's extraction rules; defaults (mode "auto", no selectors) apply to missing keys. */
export type ExtractionRules = z.input<typeof extractionSchema>;

export interface ExtractRequest {
  url: string;
  html: string;
  /** The page already parsed from `html`, when the caller has it; otherwise it is parsed here. */
  $?: Query;
  rules?: ExtractionRules;
}

export interface ExtractionResult {
  /** The product on the page, or null when the page shows none. */
  product: RawProduct | null;
  /** What each extractor found, by name: selectors, jsonld, microdata, opengraph, canonical, fallback. */
  sources: Record<string, Fields>;
  errors: string[];
}

// Parsing time and memory grow with the page; beyond this a page is not a product page anyway.
const MAX_HTML = 10_000_000;

/** Operator rules first, then structured data from the most to the least specific. */
const PRECEDENCE = ['selectors', 'jsonld', 'microdata', 'opengraph'] as const;
const SCALAR_FIELDS = [
  'title',
  'description',
  'brand',
  'sku',
  'gtin',
  'price',
  'currency',
  'availability',
] as const;
const LIST_FIELDS = ['images', 'categoryPath'] as const;

function words(title: string): Set<string> {
  return new Set(
    title
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length > 1),
  );
}

/** Loosely the same product name: "Kettle" and "Kettle | Shop" are, "Kettle" and "Mug" are not. */
export function sameProduct(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x.includes(y) || y.includes(x)) return true;
  const wa = words(a);
  const wb = words(b);
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  return shared > 0 && shared / Math.min(wa.size, wb.size) >= 0.5;
}

function merge(sources: Record<string, Fields>): Fields {
  const present = PRECEDENCE.map((name) => sources[name]).filter((f): f is Fields => f !== undefined);
  // A source naming another product (microdata on related-product cards while JSON-LD describes
  // the page's product) contributes nothing, so its price cannot fill a gap.
  const anchor = present.find((f) => f.title)?.title;
  const ordered = present.filter((f) => !anchor || !f.title || sameProduct(f.title, anchor));
  const merged: Fields = {};
  for (const field of [...SCALAR_FIELDS, ...LIST_FIELDS]) {
    const from = ordered.find((fields) => hasValue(fields[field]));
    if (from) Object.assign(merged, { [field]: from[field] });
  }
  const attributes: Record<string, string> = {};
  for (const fields of ordered.toReversed()) Object.assign(attributes, fields.attributes);
  merged.attributes = attributes;
  if (sources.canonical?.canonicalUrl) merged.canonicalUrl = sources.canonical.canonicalUrl;
  return merged;
}

/** The page's own name for itself, for pages whose product data carries no name. */
function fallbackTitle($: Query): string | undefined {
  const { h1, title } = indexPage($);
  const heading = h1 ? cleanText(textOf(h1, 4000), 2000) : undefined;
  if (heading) return heading;
  return title ? cleanText(textOf(title, 4000), 2000) : undefined;
}

/**
 * Extracts the product a page shows. In mode "auto" each field comes from the first of the
 * site's selectors, JSON-LD, microdata and OpenGraph that has it; in mode "selectors" only the
 * selectors count. A page is a product page only with a title and a price, SKU or
 * availability. Never throws: problems go to `errors`.
 */
export function extractProduct(request: ExtractRequest): ExtractionResult {
  const errors: string[] = [];
  const sources: Record<string, Fields> = {};
  const rules = request.rules ?? {};
  try {
    let $ = request.$;
    let html = request.html ?? '';
    if (html.length > MAX_HTML) {
      errors.push(`page truncated to ${MAX_HTML} characters from ${html.length}`);
      html = html.slice(0, MAX_HTML);
    }
    $ ??= load(html);
    const input: ExtractInput = { url: request.url, $, html, errors };
    const run = (name: string, extract: () => Fields | null): void => {
      try {
        const found = extract();
        if (found) sources[name] = bound(found);
      } catch (error) {
        errors.push(`${name}: ${(error as Error).message.slice(0, 300)}`);
      }
    };
    run('selectors', () => extractSelectors(input, rules.selectors ?? {}));
    if ((rules.mode ?? 'auto') === 'auto') {
      run('jsonld', () => extractJsonLd(input));
      run('microdata', () => extractMicrodata(input));
      run('opengraph', () => extractOpenGraph(input));
    }
    run('canonical', () => extractCanonical(input));

    const merged = merge(sources);
    const evidence = Boolean(merged.price || merged.sku || merged.availability);
    if (!evidence) return { product: null, sources, errors };
    if (!merged.title) {
      const title = fallbackTitle($);
      if (title) {
        sources.fallback = { title };
        merged.title = title;
      }
    }
    if (!merged.title) return { product: null, sources, errors };

    const parsed = rawProductSchema.safeParse({ ...merged, url: request.url });
    if (!parsed.success) {
      errors.push(
        `product rejected: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
      return { product: null, sources, errors };
    }
    return { product: parsed.data, sources, errors };
  } catch (error) {
    errors.push(`extraction failed: ${(error as Error).message.slice(0, 300)}`);
    return { product: null, sources, errors };
  }
}
