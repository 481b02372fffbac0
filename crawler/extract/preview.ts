import type { NormalisedProduct } from '../../core/product.ts';
import { normaliseProduct } from '../normalise/index.ts';
import { type ExtractionResult, type ExtractRequest, extractProduct } from './index.ts';

export interface Preview extends ExtractionResult {
  /** The product as it would be stored (normalised), or null. */
  normalised: NormalisedProduct | null;
}

/**
 * Extraction plus normalisation of one page, as the CLI and the rule preview show it. It explains
 * its choices unless told not to (`explain: false`), since people read it to decide on rules.
 */
export function previewExtraction(request: ExtractRequest): Preview {
  const result = extractProduct({ ...request, explain: request.explain ?? true });
  const currency = request.rules?.currency;
  const normalised = result.product ? normaliseProduct(result.product, currency ? { currency } : {}) : null;
  return { ...result, normalised };
}
