import { describe, expect, it } from 'vitest';
import { execAtWordStart } from './word-start.ts';

const all = (pattern: RegExp, text: string, options?: Parameters<typeof execAtWordStart>[2]) => {
  pattern.lastIndex = 0;
  const found: [number, string][] = [];
  for (let m = execAtWordStart(pattern, text, options); m; m = execAtWordStart(pattern, text, options))
    found.push([m.index, m[0]]);
  return found;
};

describe('execAtWordStart', () => {
  it('finds what the same pattern with a leading lookbehind finds', () => {
    const text = 'sku: 1, ersku 2, 9sku 3, (sku 4) Ésku 5 Жsku 6';
    const withLookbehind = /(?<![\p{L}])sku/gu;
    const expected = [...text.matchAll(withLookbehind)].map((m) => [m.index, m[0]]);
    expect(all(/sku/gu, text)).toEqual(expected);
    expect(expected.map(([i]) => i)).toEqual([0, 18, 26]);
    const noDigits = [...text.matchAll(/(?<![\p{L}\p{N}])sku/gu)].map((m) => [m.index, m[0]]);
    expect(all(/sku/gu, text, { digits: true })).toEqual(noDigits);
  });

  it('retries inside a refused match, so an overlapping word start is not skipped', () => {
    // "xart nr" is refused at "art"; "nr" starts a word inside it.
    expect(all(/art nr|nr/gu, 'xart nr 5')).toEqual([[5, 'nr']]);
  });

  it('treats a letter outside the Basic Multilingual Plane before the match as a letter', () => {
    // U+1D400 MATHEMATICAL BOLD CAPITAL A is a letter written as a surrogate pair.
    expect(all(/sku/gu, '\u{1D400}sku 😀sku')).toEqual([[8, 'sku']]);
  });
});
