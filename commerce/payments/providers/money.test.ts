import { describe, expect, it } from 'vitest';
import { fromMinorUnits, minorDigits, normaliseAmount, toMinorUnits } from './money.ts';

describe('amounts in minor units', () => {
  it('knows each currency’s minor unit', () => {
    expect([minorDigits('CNY'), minorDigits('EUR'), minorDigits('JPY'), minorDigits('KWD')]).toEqual([
      2, 2, 0, 3,
    ]);
    expect(() => minorDigits('yuan')).toThrow(RangeError);
  });

  it('converts exactly, where floats would not', () => {
    expect(toMinorUnits('12.30', 'CNY')).toBe(1230);
    expect(toMinorUnits('0.29', 'CNY')).toBe(29); // 0.29 * 100 is 28.999999999999996 in floating point
    expect(toMinorUnits('1.1', 'EUR')).toBe(110);
    expect(toMinorUnits('19.990', 'EUR')).toBe(1999);
    expect(toMinorUnits('1500', 'JPY')).toBe(1500);
    expect(toMinorUnits('1.234', 'KWD')).toBe(1234);
    expect(toMinorUnits('90071992547409.91', 'CNY')).toBe(9007199254740991);
  });

  it('refuses what is not an amount of that currency', () => {
    for (const bad of ['', '-1.00', '1,00', '1e3', ' 1.00', '1.', '.5', '0x10']) {
      expect(() => toMinorUnits(bad, 'CNY'), bad).toThrow(RangeError);
    }
    expect(() => toMinorUnits('1.005', 'CNY')).toThrow(/more decimals/);
    expect(() => toMinorUnits('1.5', 'JPY')).toThrow(/more decimals/);
    expect(() => toMinorUnits('90071992547409.92', 'CNY')).toThrow(/too large/);
  });

  it('writes minor units back with the currency’s decimals', () => {
    expect(fromMinorUnits(1230, 'CNY')).toBe('12.30');
    expect(fromMinorUnits(5, 'CNY')).toBe('0.05');
    expect(fromMinorUnits(0, 'EUR')).toBe('0.00');
    expect(fromMinorUnits(1500, 'JPY')).toBe('1500');
    expect(fromMinorUnits(1234, 'KWD')).toBe('1.234');
    expect(() => fromMinorUnits(1.5, 'CNY')).toThrow(RangeError);
    expect(normaliseAmount('99.9', 'EUR')).toBe('99.90');
  });
});
