import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.ts';

describe('parseConfig', () => {
  it('has defaults that work on a development machine', () => {
    const config = parseConfig({});
    expect(config.DATABASE_URL).toBe('postgresql://postgres@127.0.0.1:5432/trawl');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.PORT).toBe(3000);
  });

  it('coerces numbers from strings', () => {
    expect(parseConfig({ PORT: '8080', CRAWL_CONCURRENCY: '4' })).toMatchObject({
      PORT: 8080,
      CRAWL_CONCURRENCY: 4,
    });
  });

  it('names every bad variable on a line of its own', () => {
    let error: unknown;
    try {
      parseConfig({ PORT: 'eighty', REDIS_URL: 'localhost:6379', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as Error).message.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.startsWith('PORT="eighty"'))).toBeDefined();
    expect(
      lines.find((l) => l.startsWith('REDIS_URL="localhost:6379" is invalid: must be a redis:// URL')),
    ).toBeDefined();
    expect(lines.find((l) => l.startsWith('DATABASE_URL="mysql://x"'))).toBeDefined();
  });
});

describe('plugin allow-list', () => {
  it("defaults to the repository's plugins folder and no packages", () => {
    const config = parseConfig({});
    expect(config.PLUGIN_DIRS).toEqual([new URL('../plugins', import.meta.url).pathname]);
    expect(config.PLUGIN_PACKAGES).toEqual([]);
  });

  it('reads comma-separated lists and refuses what is not a package name', () => {
    expect(
      parseConfig({ PLUGIN_DIRS: '/opt/a, ./b,', PLUGIN_PACKAGES: 'trawl-x, @acme/trawl-y' }),
    ).toMatchObject({
      PLUGIN_DIRS: ['/opt/a', './b'],
      PLUGIN_PACKAGES: ['trawl-x', '@acme/trawl-y'],
    });
    for (const bad of ['data:text/javascript,1', '../x', '/abs', 'node:fs'])
      expect(() => parseConfig({ PLUGIN_PACKAGES: bad }), bad).toThrow(/PLUGIN_PACKAGES=.*npm package names/);
  });
});
