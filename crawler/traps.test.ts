import { describe, expect, it } from 'vitest';
import { trapLimitsSchema, trapReason } from './traps.ts';

const limits = trapLimitsSchema.parse({});

describe('trapReason', () => {
  it('has the documented defaults', () => {
    expect(limits).toEqual({ maxDepth: 25, maxUrlLength: 2000, maxRepeatedSegments: 3, maxQueryParams: 12 });
  });

  it('accepts ordinary shop URLs', () => {
    for (const url of [
      'https://shop.example/',
      'https://shop.example',
      'https://shop.example/p/red-shoe?size=42&colour=red',
      'https://shop.example/2024/01/01/sale',
      'https://shop.example/a/b/a/b/a/b',
      'https://shop.example/x/x/x',
      'https://shop.example/c/shoes#x/x/x/x/x',
    ]) {
      expect(trapReason(url, 3, limits), url).toBeNull();
    }
  });

  it('flags depth beyond the limit', () => {
    expect(trapReason('https://shop.example/', 25, limits)).toBeNull();
    expect(trapReason('https://shop.example/', 26, limits)).toBe('depth');
  });

  it('flags long URLs', () => {
    expect(trapReason(`https://shop.example/${'a'.repeat(2000)}`, 0, limits)).toBe('url-length');
  });

  it('flags a path segment occurring more than maxRepeatedSegments times', () => {
    expect(trapReason('https://shop.example/x/x/x/x', 0, limits)).toBe('repeated-segments');
    expect(trapReason('https://shop.example/a/b/a/b/a/b/a/b', 0, limits)).toBe('repeated-segments');
    expect(trapReason('https://shop.example/a/b/a/b/a/b', 0, { ...limits, maxRepeatedSegments: 2 })).toBe(
      'repeated-segments',
    );
    // Empty segments (//) and the query do not count.
    expect(trapReason('https://shop.example/x//x//x/?x/x/x/x', 0, limits)).toBeNull();
  });

  it('flags too many query parameters', () => {
    const params = (n: number) => Array.from({ length: n }, (_, i) => `p${i}=1`).join('&');
    expect(trapReason(`https://shop.example/s?${params(12)}`, 0, limits)).toBeNull();
    expect(trapReason(`https://shop.example/s?${params(13)}`, 0, limits)).toBe('query-params');
    expect(trapReason(`https://shop.example/s?${params(13)}#frag`, 0, limits)).toBe('query-params');
    expect(trapReason('https://shop.example/s?a=1&&&b=2', 0, { ...limits, maxQueryParams: 2 })).toBeNull();
  });

  it('is fast enough to run on every discovered link', () => {
    const urls = Array.from({ length: 10_000 }, (_, i) => `https://shop.example/c/${i}/p/${i % 7}?page=${i}`);
    const started = performance.now();
    for (let round = 0; round < 10; round++) for (const url of urls) trapReason(url, 5, limits);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
