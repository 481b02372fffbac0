import { parsePrice } from '../normalise/price.ts';
import type { FieldName } from './types.ts';

/** Alphanumerics only, lower-cased: "466/7999", "4667999" and "002.937.72" vs "00293772" meet. */
export function compactCode(value: string): string {
  return value.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The form two extractors' values are compared in, to count agreement. */
export function valueKey(field: FieldName, value: string): string {
  if (field === 'price') {
    const amount = parsePrice(value).amount;
    if (amount) return amount.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  }
  if (field === 'sku' || field === 'gtin') return compactCode(value);
  if (field === 'availability') return value.toLowerCase().replace(/^https?:\/\/schema\.org\//, '');
  return value.toLowerCase().replace(/\s+/g, ' ').trim();
}

const urlTokenCache = new Map<string, string[]>();

/** A URL's path and query, decoded (the raw text when it is no URL). */
function urlText(url: string): string {
  try {
    const parsed = new URL(url);
    return `${decodeURIComponent(parsed.pathname)} ${decodeURIComponent(parsed.search)}`;
  } catch {
    return url;
  }
}

/** Alphanumeric runs of the URL's path and query (not its host), lower-cased. */
export function urlTokens(url: string): string[] {
  let tokens = urlTokenCache.get(url);
  if (tokens) return tokens;
  tokens = urlText(url)
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  if (urlTokenCache.size > 1000) urlTokenCache.clear();
  urlTokenCache.set(url, tokens);
  return tokens;
}

/**
 * Whether an identifier appears in the URL: as a whole path/query token, as the tokens it is
 * made of ("466/7999" in ".../466/7999"), or — from 6 characters — inside one ("1002710" in
 * "p11002710", "00293772" in "…-00293772").
 */
export function urlCorroborates(value: string, url: string): boolean {
  const code = compactCode(value);
  if (code.length < 4 || !/\d/.test(code)) return false;
  const tokens = urlTokens(url);
  if (tokens.includes(code)) return true;
  if (tokens.join('').includes(code) && code.length >= 6) return true;
  return code.length >= 6 && tokens.some((t) => t.includes(code));
}

/**
 * The variant code the page's URL names when `value` is a sibling of it: the same length, the
 * same beginning, a different end (at most four characters: "HV4418-001" in structured data,
 * ".../HV4418-102" in the URL; "1245678001" and "productpage.1245678003.html"). Structured data
 * often describes a product's default variant while the URL names the one shown. Undefined when
 * the URL holds `value` itself, or no sibling.
 */
export function urlSibling(value: string, url: string): string | undefined {
  const code = compactCode(value);
  if (code.length < 6 || !/\d/.test(code) || urlCorroborates(value, url)) return undefined;
  const shared = Math.max(4, code.length - 4);
  for (const part of urlText(url).split(/[\s/?&=.,;_]+/)) {
    const candidate = compactCode(part);
    if (candidate.length !== code.length || candidate === code || !/\d/.test(candidate)) continue;
    if (candidate.slice(0, shared) === code.slice(0, shared)) return part;
  }
  return undefined;
}
