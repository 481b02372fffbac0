import { describe, expect, it } from 'vitest';
import {
  checkChromium,
  checkNode,
  checkPostgres,
  checkPrometheus,
  checkRedis,
  PrerequisiteError,
  searchCacheWarning,
} from './prereqs.ts';

describe('prerequisite checks', () => {
  it('accepts Node 20.19+ and refuses older versions with the fix', () => {
    expect(checkNode('20.19.0').detail).toBe('v20.19.0');
    expect(checkNode('22.1.0').detail).toBe('v22.1.0');
    expect(() => checkNode('20.10.0')).toThrow(/Node 20\.10\.0 is too old: install Node 20\.19 or newer/);
    expect(() => checkNode('18.20.0')).toThrow(PrerequisiteError);
  });

  it('reaches the real Postgres and Redis', async () => {
    expect((await checkPostgres(process.env.DATABASE_URL)).name).toBe('postgres');
    expect((await checkRedis('redis://127.0.0.1:6379')).detail).toMatch(/^pong \(v\d/);
  });

  it('warns when the search documents outgrow shared_buffers, with the fix', () => {
    expect(searchCacheWarning(128 * 2 ** 20, 362 * 2 ** 20)).toMatch(
      /search documents and their indexes \(362 MB\) outgrow shared_buffers \(128 MB\).*set shared_buffers to about a quarter of RAM/,
    );
    expect(searchCacheWarning(2 ** 30, 362 * 2 ** 20)).toBe('');
  });

  it('says how to fix an unreachable Postgres or Redis in one line', async () => {
    const postgres = checkPostgres('postgresql://postgres@127.0.0.1:9/trawl');
    await expect(postgres).rejects.toThrow(PrerequisiteError);
    await expect(postgres).rejects.toThrow(
      /Postgres at 127\.0\.0\.1:9 is not reachable.*start it.*or set DATABASE_URL/,
    );
    const redis = checkRedis('redis://127.0.0.1:9');
    await expect(redis).rejects.toThrow(
      /Redis at 127\.0\.0\.1:9 is not reachable: start it.*or set REDIS_URL/,
    );
  });

  it('finds Chromium, and names CHROMIUM_PATH when it is missing', async () => {
    expect((await checkChromium('/usr/bin/chromium')).detail).toContain('/usr/bin/chromium');
    await expect(checkChromium('/nowhere/chromium')).rejects.toThrow(
      /Chromium not found at \/nowhere\/chromium: install it .* or set CHROMIUM_PATH/,
    );
  });

  it('finds prometheus and promtool on PATH, and says how to install them in one line', async () => {
    const found = await checkPrometheus();
    expect(found.prometheus).toMatch(/\/prometheus$/);
    expect(found.promtool).toMatch(/\/promtool$/);
    const missing = checkPrometheus('/nowhere');
    await expect(missing).rejects.toThrow(PrerequisiteError);
    await expect(missing).rejects.toThrow(
      /^prometheus and promtool not found on PATH .*: install them \(`apt-get install -y prometheus` on Debian\)\.$/,
    );
  });
});
