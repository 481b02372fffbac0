import { describe, expect, it } from 'vitest';
import { normaliseUrl, urlId } from './url.ts';

describe('normaliseUrl', () => {
  it('lower-cases scheme and host, drops default port, fragment and dot segments', () => {
    expect(normaliseUrl('HTTP://Shop.Example.COM:80/a/./b/../c#reviews')).toBe('http://shop.example.com/a/c');
    expect(normaliseUrl('https://example.com:443/')).toBe('https://example.com/');
  });

  it('removes tracking parameters and sorts the rest', () => {
    expect(normaliseUrl('https://x.test/p?utm_source=a&b=2&a=1&gclid=z')).toBe('https://x.test/p?a=1&b=2');
    expect(normaliseUrl('https://x.test/p?utm_medium=x')).toBe('https://x.test/p');
  });

  it('resolves relative links against a base and rejects non-http schemes', () => {
    expect(normaliseUrl('../q?x=1', 'https://x.test/a/b/c')).toBe('https://x.test/a/q?x=1');
    expect(normaliseUrl('javascript:alert(1)')).toBeNull();
    expect(normaliseUrl('mailto:a@b.c')).toBeNull();
    expect(normaliseUrl('http://')).toBeNull();
  });

  it('gives job ids without colons that are not integers', () => {
    const id = urlId('https://x.test/');
    expect(id).not.toContain(':');
    expect(Number.isInteger(Number(id))).toBe(false);
    expect(urlId('https://x.test/')).toBe(id);
    expect(urlId('https://x.test/a')).not.toBe(id);
  });
});
