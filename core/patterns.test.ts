import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { compileGlob, compileRegex, globProblem, MAX_PROGRAM_SIZE, regexProblem } from './patterns.ts';

describe('rule regexes (RE2)', () => {
  it('runs a catastrophic pattern in linear time', () => {
    const re = compileRegex('(a+)+$');
    const started = performance.now();
    expect(re.exec(`${'a'.repeat(100_000)}!`)).toBeNull();
    // JavaScript's RegExp takes seconds on 28 characters of this; RE2 a few ms on 100,000.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('keeps the capture groups rules rely on', () => {
    expect(compileRegex('SKU:\\s*(\\S+)').exec('x SKU: K-1 y')?.[1]).toBe('K-1');
    expect(compileRegex('(\\d{8,14})').exec('EAN 4006381333931')?.[1]).toBe('4006381333931');
    expect(compileRegex('(?<amount>[0-9.,]+)').exec('€ 12,50')?.[1]).toBe('12,50');
  });

  it('refuses what RE2 cannot do, and programs too large to run cheaply', () => {
    expect(regexProblem('(a)\\1')).toMatch(/no backreferences, no lookaround.*invalid escape/);
    expect(regexProblem('(?=a)b')).toMatch(/no lookaround.*\(\?=/);
    expect(regexProblem('(?<!a)b')).toMatch(/RE2 accepts/);
    expect(regexProblem('([')).toMatch(/missing closing/);
    expect(regexProblem(`[a-z]{${MAX_PROGRAM_SIZE + 10}}`)).toMatch(
      /too complex: it compiles to \d+ RE2 instructions/,
    );
    expect(regexProblem('([0-9.,]+)')).toBeNull();
  });
});

describe('URL globs (RE2)', () => {
  const urls = [
    '/',
    '/cart',
    '/cart/',
    '/cart/checkout',
    '/cart/a/b',
    '/carts',
    '/account/orders/1',
    '/product/red-kettle',
    '/product/red-kettle/',
    '/c/shoes/',
    '/p/1.html/',
    '/product/',
    '/product/a/b',
    '/p/1.html',
    '/p/.html',
    '/c/shoes?sort=price',
    '/c/shoes?page=2&sort=price',
    '/c/shoes',
    '/a/b',
    '/a/x/b',
    '/a/x/y/b',
    '/a/c/d',
    '/x/abab',
    '/x/a',
    '/files/report.pdf',
    '/img/1.PNG',
    'https://shop.test/p/1',
    'https://shop.test/p/1/2',
    'https://other.test/p/1',
    '/a*',
    '/ab',
  ];
  const globs = [
    '/cart',
    '/cart/**',
    '/account/**',
    '/product/*',
    '/product/**',
    '/p/*.html',
    '**/*?sort=*',
    '/c/*',
    '/a/**/b',
    '/a/{b,c/**}',
    '/x/+(a|b)',
    '/x/@(a|b)',
    '**/*.pdf',
    '/img/*.{png,PNG}',
    '/**',
    'https://shop.test/p/*',
    'https://shop.test/**',
    '/[ac]*',
    '/[a-c]?',
    '/a\\*',
    '!/cart/**',
  ];

  it('matches as picomatch did for the globs Trawl documents', () => {
    const differences: string[] = [];
    for (const glob of globs) {
      const ours = compileGlob(glob);
      const theirs = picomatch(glob, { dot: true, nocase: false });
      for (const url of urls) if (ours(url) !== theirs(url)) differences.push(`${glob} ${url}: ${ours(url)}`);
    }
    expect(differences).toEqual([]);
  });

  it('matches a glob that freezes picomatch in linear time', () => {
    // picomatch took over four minutes on this glob and 60 characters (measured).
    const glob = `${'*a'.repeat(25)}*b`;
    const started = performance.now();
    expect(compileGlob(glob)('a'.repeat(2000))).toBe(false);
    expect(compileGlob(`/${'**/'.repeat(30)}x`)(`${'/a'.repeat(1000)}/y`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses negated extglobs and globs too large to run cheaply', () => {
    expect(globProblem('/x/!(a)')).toMatch(/negated extglob/);
    expect(globProblem('*a'.repeat(200))).toMatch(/too complex/);
    expect(globProblem('/[z-a]')).toMatch(/RE2 accepts/);
    expect(globProblem('/products/**')).toBeNull();
  });
});
