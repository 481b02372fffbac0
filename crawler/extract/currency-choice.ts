/**
 * The merged product's currency when the page leaves it open: no structured data names it and
 * the price's symbol is shared by several currencies ("$" is also CAD, AUD, MXN, CLP…) or absent.
 * The page's locale signals (locale.ts) then decide among the symbol's currencies.
 */
import type { AnyNode } from 'domhandler';
import { currencyAlternatives, isIsoCode } from '../normalise/currency.ts';
import { parsePrice } from '../normalise/price.ts';
import { localeCurrencies } from './locale.ts';

export interface CurrencyChoice {
  currency: string;
  confidence: number;
  because: string;
}

// A currency inferred for a price with no symbol at all needs more than the domain's country.
const MIN_WEIGHT_WITH_SYMBOL = 1;
const MIN_WEIGHT_WITHOUT = 2;

/**
 * The ISO code for a product whose currency field is `currency` (as extracted: a code, a symbol,
 * or absent) and whose price text is `price`, or null when the page already says it plainly.
 */
export function chooseCurrency(
  currency: string | undefined,
  price: string | undefined,
  root: AnyNode,
  url: string,
  displayed?: string,
): CurrencyChoice | null {
  const given = currency?.trim();
  if (given && isIsoCode(given.toUpperCase()) && /^[A-Za-z]{3}$/.test(given)) return null;
  // The symbol as written: in the price taken, else in the price the page displays (a bare
  // structured amount "349990" beside a displayed "$349.990").
  const marker =
    given ||
    (price ? parsePrice(price).currencyText?.trim() : undefined) ||
    (displayed ? parsePrice(displayed).currencyText?.trim() : undefined) ||
    undefined;
  const options = marker ? currencyAlternatives(marker) : [];
  // "$49.95 CAD": the price names its currency beside the symbol.
  const named = price ? parsePrice(price).currency : null;
  if (named && options.includes(named) && new RegExp(`(?<![A-Za-z])${named}(?![A-Za-z])`).test(price ?? ''))
    return null;
  // One currency writes this symbol ("€", "zł", "R$"): nothing to decide.
  if (marker && options.length === 0) return null;
  if (!price && !given) return null;
  const votes = localeCurrencies(root, url);
  const best = votes.find((v) => (marker ? options.includes(v.currency) : true));
  if (!best || best.weight < (marker ? MIN_WEIGHT_WITH_SYMBOL : MIN_WEIGHT_WITHOUT)) return null;
  return {
    currency: best.currency,
    confidence: marker ? 0.6 : 0.4,
    because: `${marker ? `"${marker}" is shared by several currencies; ` : 'no currency shown; '}${best.because.join(', ')}`,
  };
}
