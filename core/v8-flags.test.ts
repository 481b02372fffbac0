import { describe, expect, it } from 'vitest';
import { hasV8Flags, V8_FLAGS } from './v8-flags.ts';

describe('hasV8Flags', () => {
  it('finds the flags on the command line or in NODE_OPTIONS, and misses them otherwise', () => {
    expect(hasV8Flags([...V8_FLAGS, '--import', 'tsx'], '')).toBe(true);
    expect(hasV8Flags(['--import', 'tsx'], ` --max-old-space-size=256  ${V8_FLAGS.join(' ')}`)).toBe(true);
    expect(hasV8Flags(['--import', 'tsx'], '--max-old-space-size=256')).toBe(false);
    expect(hasV8Flags(['--max-semi-space-size=16'], '')).toBe(false);
  });
});
