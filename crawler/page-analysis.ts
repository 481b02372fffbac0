import type { RawProduct } from '../core/product.ts';
import { parsePage } from './extract/dom.ts';
import { type ExtractionRules, type Extractor, extractProduct } from './extract/index.ts';
import { pageLinks } from './links.ts';

/** A fetched page to read: its links always, its product when it is a product page. */
export interface PageTask {
  url: string;
  html: string;
  rules: ExtractionRules;
  /** The site's extractors (built-ins and plugins); absent on pages that are not product pages. */
  extractors?: Extractor[];
}

export interface PageAnalysis {
  links: string[];
  product: RawProduct | null;
}

/**
 * Parses the page once, with the same htmlparser2 as `trawl extract` (so a crawled
 * page and a saved one give the same product), and reads its links and product from that tree.
 */
export function analysePage(task: PageTask): PageAnalysis {
  const document = parsePage(task.html);
  const links = pageLinks(document, task.url);
  if (!task.extractors) return { links, product: null };
  const { product } = extractProduct({
    url: task.url,
    html: task.html,
    document,
    rules: task.rules,
    extractors: task.extractors,
  });
  return { links, product };
}
