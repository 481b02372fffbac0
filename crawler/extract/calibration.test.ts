import { describe, expect, it } from 'vitest';
import { calibrate, fitCalibration } from './calibration.ts';

describe('confidence calibration', () => {
  it('moves a source that is right more often than it claims up, and one that is wrong down', () => {
    const right = Array.from({ length: 30 }, () => ({
      field: 'price',
      source: 'heuristics',
      raw: 0.55,
      correct: true,
    }));
    const wrong = Array.from({ length: 30 }, (_, i) => ({
      field: 'sku',
      source: 'opengraph',
      raw: 0.75,
      correct: i < 15,
    }));
    const table = fitCalibration([...right, ...wrong]);
    expect(table['price:heuristics']).toBeGreaterThan(0.2);
    expect(table['sku:opengraph']).toBeLessThan(-0.1);
    expect(calibrate('price', 'heuristics', 0.55, table)).toBeGreaterThan(0.75);
    expect(calibrate('sku', 'opengraph', 0.75, table)).toBeLessThan(0.65);
  });

  it('moves a source seen on few pages little, and leaves unknown sources and the bounds alone', () => {
    const table = fitCalibration([{ field: 'price', source: 'state', raw: 0.4, correct: true }]);
    expect(table['price:state']).toBeLessThan(0.05);
    expect(calibrate('price', 'my-plugin', 0.7, table)).toBe(0.7);
    expect(calibrate('price', 'state', 1, { 'price:state': 0.5 })).toBe(0.99);
    expect(calibrate('price', 'state', 0, { 'price:state': -0.5 })).toBe(0.01);
  });
});
