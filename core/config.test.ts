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
