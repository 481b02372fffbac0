import { describe, expect, it } from 'vitest';
import {
  bucketFromHash,
  downsample,
  emptyBucket,
  LATENCY_BUCKETS,
  latencyBucket,
  mergeBuckets,
  quantile,
} from './model.ts';

describe('latency histogram', () => {
  it('puts a latency in the bucket whose bounds hold it, the extremes at the ends', () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(Number.NaN)).toBe(0);
    expect(latencyBucket(1)).toBe(0);
    for (const ms of [1.5, 7, 100, 333, 2500, 60_000]) {
      const i = latencyBucket(ms);
      expect(2 ** ((i - 1) / 2)).toBeLessThan(ms);
      expect(2 ** (i / 2)).toBeGreaterThanOrEqual(ms);
    }
    expect(latencyBucket(10 ** 9)).toBe(LATENCY_BUCKETS - 1);
  });

  it('gives percentiles within the bucket width (±19%) of the exact ones', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 5 + ((i * 7919) % 1000) * 0.8);
    const histogram: Record<string, number> = {};
    for (const v of values) histogram[latencyBucket(v)] = (histogram[latencyBucket(v)] ?? 0) + 1;
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.5, 0.95]) {
      const exact = sorted[Math.floor(q * sorted.length)]!;
      expect(Math.abs(quantile(histogram, q)! - exact) / exact).toBeLessThan(0.19);
    }
    expect(quantile({}, 0.5)).toBeNull();
  });
});

describe('buckets', () => {
  it('reads the fields the recorder writes, host names with ports included', () => {
    const bucket = bucketFromHash(100, 1, {
      p: '3',
      's:200': '2',
      's:404': '1',
      'e:http_4xx': '1',
      f: '2',
      n: '1',
      c: '1',
      w: '30',
      wn: '3',
      q: '17',
      'h:shop.example:8080:n': '3',
      'h:shop.example:8080:l12': '2',
      'h:shop.example:8080:l14': '1',
      'np:node-a': '3',
      'g:node-a': '4',
      'm:node-a': '310.5',
      'hp:node-a': '120.2',
      'junk:field': 'x',
    });
    expect(bucket).toMatchObject({
      t: 100,
      pages: 3,
      statuses: { 200: 2, 404: 1 },
      errors: { http_4xx: 1 },
      found: 2,
      new: 1,
      changed: 1,
      waitMs: 30,
      waits: 3,
      queue: 17,
      inFlight: 4,
      hosts: { 'shop.example:8080': { pages: 3, latency: { 12: 2, 14: 1 } } },
      nodes: { 'node-a': { pages: 3, inFlight: 4, rssMb: 310.5, heapMb: 120.2 } },
    });
  });

  it('merges counters and histograms, keeps the last gauges, and downsamples to at most N', () => {
    const a = bucketFromHash(10, 1, { p: '2', q: '5', 'h:x:l3': '2', 'g:n': '2', 'np:n': '2' });
    const b = bucketFromHash(11, 1, { p: '1', 'h:x:l3': '1', 'h:x:l5': '1' });
    const c = bucketFromHash(12, 1, { p: '4', q: '1', 'g:n': '1', 'np:n': '4' });
    const merged = mergeBuckets([a, b, c]);
    expect(merged).toMatchObject({ t: 10, width: 3, pages: 7, queue: 1, inFlight: 1 });
    expect(merged.hosts.x?.latency).toEqual({ 3: 3, 5: 1 });
    expect(merged.nodes.n).toMatchObject({ pages: 6, inFlight: 1 });
    const many = Array.from({ length: 2500 }, (_, i) => ({ ...emptyBucket(i, 1), pages: 1 }));
    const down = downsample(many, 1000);
    expect(down.length).toBeLessThanOrEqual(1000);
    expect(down.reduce((n, x) => n + x.pages, 0)).toBe(2500);
    expect(down.reduce((n, x) => n + x.width, 0)).toBe(2500);
  });
});
