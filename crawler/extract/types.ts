import type { CheerioAPI } from 'cheerio';
import type { Document } from 'domhandler';
import type { z } from 'zod';
import type { RawProduct } from '../../core/product.ts';
import type { extractionSchema } from '../../core/site.ts';

/** What one extractor found: any subset of the product's fields. */
export type Fields = Partial<RawProduct>;
export type FieldName = Exclude<keyof RawProduct, 'url'>;

/** A site's extraction rules as written (defaults not yet applied). */
export type ExtractionRules = z.input<typeof extractionSchema>;

export interface ExtractInput {
  url: string;
  /** The page, parsed once (domhandler tree from htmlparser2) and shared by every extractor. */
  document: Document;
  html: string;
  /** Problems worth reporting (broken JSON-LD, bad selectors); extractors never throw for them. */
  errors?: string[];
}

/** Everything an extractor (built in or plugin) gets to look at. */
export interface ExtractorPage extends ExtractInput {
  /** Cheerio over `document`, built the first time it is read (the built-in extractors walk `document`). */
  readonly $: CheerioAPI;
  /** The DOM after JavaScript ran (serialised), when the page was rendered in a browser. */
  renderedHtml?: string;
  /** The site's extraction rules (`extraction` of the site definition). */
  rules: ExtractionRules;
  errors: string[];
}

/** One field value with how sure the extractor is of it, from 0 (a guess) to 1 (certain). */
export interface Scored<T> {
  value: T;
  confidence: number;
  /**
   * For a price from structured data: the range of prices it is the lowest of (an
   * AggregateOffer's lowPrice to highPrice). A displayed price inside it is a variant's.
   */
  range?: PriceRange;
}

/** The lowest and highest prices of a range (an AggregateOffer's lowPrice and highPrice). */
export interface PriceRange {
  low: number;
  high: number;
}

/** Fields an extractor found, each with its confidence. */
export type ScoredFields = { [K in FieldName]?: Scored<NonNullable<RawProduct[K]>> };

/**
 * An extractor: built in, or a plugin module listed in the site's `extraction.plugins`.
 * `extract` must be synchronous and should not throw for a page it does not understand (return
 * null); if it throws anyway the error is recorded and the other extractors still run.
 */
export interface Extractor {
  /** Unique name; shown in `sources` and in error messages. */
  name: string;
  /**
   * Tie-breaker when two extractors give a field the same confidence: lower wins. Built-ins use
   * 0 (selectors) to 90 (heuristics); plugins default to 50.
   */
  precedence?: number;
  extract(page: ExtractorPage): ScoredFields | null;
}
