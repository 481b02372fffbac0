import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync('README.md', 'utf8');

describe('README', () => {
  it('shows the example plugin exactly as it ships', () => {
    const at = readme.indexOf('Complete example (`plugins/example-plugin/index.ts`');
    expect(at).toBeGreaterThan(0);
    const start = readme.indexOf('```ts\n', at) + '```ts\n'.length;
    const shown = readme.slice(start, readme.indexOf('```', start));
    const source = readFileSync('plugins/example-plugin/index.ts', 'utf8');
    expect(shown).toBe(source.slice(source.indexOf('import type')));
  });

  it('shows only images that exist', () => {
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(images.length).toBeGreaterThan(0);
    expect(images.filter((path) => !existsSync(path))).toEqual([]);
  });
});
