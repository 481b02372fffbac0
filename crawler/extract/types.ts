import type { AnyNode } from 'domhandler';
import type { RawProduct } from '../../core/product.ts';

/** What one extractor found: any subset of the product's fields. */
export type Fields = Partial<RawProduct>;

/**
 * The part of a loaded Cheerio document the extractors use. Structural, so both cheerio 1.x and
 * the older copy Crawlee hands to its request handlers fit.
 */
export interface Query {
  (selector: string): Selection;
  root(): Selection;
}

export interface Selection {
  readonly length: number;
  get(index: number): AnyNode | undefined;
  toArray(): AnyNode[];
}

export interface ExtractInput {
  url: string;
  /** The page, parsed once and shared by every extractor. */
  $: Query;
  html: string;
  /** Problems worth reporting (broken JSON-LD, bad selectors); extractors never throw for them. */
  errors?: string[];
}
