import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { displayValue, maskDeep, maskSecrets, registerSecret } from './secrets.ts';

describe('secrets stay out of errors and logs', () => {
  it('masks passwords inside URLs, whatever the scheme', () => {
    expect(maskSecrets('connect to postgresql://trawl:s3cr%3At@db.internal:5432/trawl failed')).toBe(
      'connect to postgresql://trawl:***@db.internal:5432/trawl failed',
    );
    expect(maskSecrets('rediss://:hunter22@cache:6380/0')).toBe('rediss://:***@cache:6380/0');
    expect(maskSecrets('https://example.com/a:b@c')).toBe('https://example.com/a:b@c');
  });

  it('never prints a bad DATABASE_URL whole, nor a secret-named variable at all', () => {
    let error: unknown;
    try {
      parseConfig({
        DATABASE_URL: 'mysql://admin:topsecretpw@db/x',
        METRICS_TOKEN: 'short-secret',
        PORT: '99999',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as Error).message;
    expect(text).toContain('DATABASE_URL="mysql://admin:***@db/x" is invalid');
    expect(text).toContain('METRICS_TOKEN="***" (hidden) is invalid');
    expect(text).not.toContain('topsecretpw');
    expect(text).not.toContain('short-secret');
    // A secret seen in the environment is masked wherever it turns up later.
    expect(maskSecrets('the driver said: password topsecretpw rejected')).not.toContain('topsecretpw');
  });

  it('masks registered secrets and secret-named fields deep in a record', () => {
    registerSecret('sk_live_abcdef123456');
    expect(
      maskDeep({
        config: { appId: 'wx1', apiKey: 'anything', note: 'key sk_live_abcdef123456 used' },
        list: ['sk_live_abcdef123456'],
      }),
    ).toEqual({ config: { appId: 'wx1', apiKey: '***', note: 'key *** used' }, list: ['***'] });
    expect(displayValue('REDIS_URL', 'redis://:pw123456@r:6379')).toBe('"redis://:***@r:6379"');
  });

  it('keeps them out of the log lines the logger writes', () => {
    const lines: string[] = [];
    const log = createLogger(
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    log.error({ err: new Error('cannot reach postgresql://u:pw-in-url@h/db') }, 'db down');
    log.warn('retrying redis://:pw-in-message@cache:6379');
    log.warn({ err: 'a plain message with postgresql://u:pw-in-string@h/db' }, 'string as err');
    log.warn(
      {
        password: 'plain-password',
        headers: { authorization: 'Bearer trawl_pat_x', cookie: 'trawl_session=abc' },
      },
      'request',
    );
    const text = lines.join('');
    expect(lines).toHaveLength(4);
    // A string logged as err stays a string.
    expect(JSON.parse(lines[2]!).err).toBe('a plain message with postgresql://u:***@h/db');
    for (const secret of [
      'pw-in-url',
      'pw-in-message',
      'pw-in-string',
      'plain-password',
      'trawl_pat_x',
      'trawl_session=abc',
    ])
      expect(text).not.toContain(secret);
    expect(text).toContain('postgresql://u:***@h/db');
  });
});
