import { describe, expect, it } from 'vitest';
import { normaliseGtin } from './gtin.ts';

describe('normaliseGtin', () => {
  it('accepts GTIN-8, 12, 13 and 14 with a valid check digit', () => {
    expect(normaliseGtin('96385074')).toBe('96385074');
    expect(normaliseGtin('036000291452')).toBe('036000291452');
    expect(normaliseGtin('4006381333931')).toBe('4006381333931');
    expect(normaliseGtin('10036000291459')).toBe('10036000291459');
  });

  it('drops separators and labels', () => {
    expect(normaliseGtin(' 4 006381 33393 1 ')).toBe('4006381333931');
    expect(normaliseGtin('0-36000-29145-2')).toBe('036000291452');
    expect(normaliseGtin('EAN: 4006381333931')).toBe('4006381333931');
  });

  it('rejects wrong check digits, lengths, zeros and garbage', () => {
    expect(normaliseGtin('4006381333932')).toBeNull();
    expect(normaliseGtin('400638133393')).toBeNull();
    expect(normaliseGtin('12345')).toBeNull();
    expect(normaliseGtin('0000000000000')).toBeNull();
    expect(normaliseGtin('ABC-123')).toBeNull();
    expect(normaliseGtin('')).toBeNull();
    expect(normaliseGtin(null)).toBeNull();
  });
});
