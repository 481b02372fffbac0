import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInExtractors, extractProduct, loadExtractors } from './index.ts';
import { jsonLd } from './test-helpers.ts';
import type { Extractor } from './types.ts';

const url = 'https://shop.example/p/1';
const html = `<html><body><h1>Kettle</h1>${jsonLd({
  '@type': 'Product',
  name: 'Kettle',
  sku: 'K-1',
  offers: { price: '10.00', priceCurrency: 'EUR' },
})}</body></html>`;

describe('extractor plugins', () => {
  it('a throwing plugin is recorded and the others still run', () => {
    const broken: Extractor = {
      name: 'broken',
      extract: () => {
        throw new Error('boom');
      },
    };
    const brand: Extractor = {
      name: 'brand',
      extract: () => ({ brand: { value: 'Boilex', confidence: 0.5 } }),
    };
    const result = extractProduct({ url, html, extractors: [...builtInExtractors(), broken, brand] });
    expect(result.errors).toEqual(['broken: boom']);
    expect(result.product?.brand).toBe('Boilex');
  });

  it('gives plugins the parsed page and Cheerio over that same tree', () => {
    const seen: unknown[] = [];
    const reader: Extractor = {
      name: 'reader',
      extract: (page) => {
        const first = page.$;
        // Built once per page: a second read returns the same instance.
        seen.push(first.root().get(0) === page.document, page.$ === first, first('h1').text());
        return { brand: { value: page.$('h1').text(), confidence: 0.5 } };
      },
    };
    const result = extractProduct({ url, html, extractors: [...builtInExtractors(), reader] });
    expect(seen).toEqual([true, true, 'Kettle']);
    expect(result.product?.brand).toBe('Kettle');
  });

  it('merges by confidence, ties going to the lower precedence', () => {
    const high: Extractor = {
      name: 'high',
      precedence: 80,
      extract: () => ({ price: { value: '12.00', confidence: 0.95 } }),
    };
    const low: Extractor = {
      name: 'low',
      precedence: 5,
      extract: () => ({ price: { value: '13.00', confidence: 0.95 } }),
    };
    const result = extractProduct({ url, html: '<h1>Kettle</h1>', extractors: [high, low] });
    expect(result.product?.price).toBe('13.00');
    expect(result.chosen.price?.source).toBe('low');
  });

  it('ignores malformed plugin output', () => {
    const odd: Extractor = {
      name: 'odd',
      extract: () => ({
        price: '5' as never,
        sku: { value: 'X', confidence: Number.NaN },
        title: { value: 'T', confidence: 2 },
      }),
    };
    const result = extractProduct({ url, html: '', extractors: [odd] });
    expect(result.scored.odd).toEqual({
      sku: { value: 'X', confidence: 0 },
      title: { value: 'T', confidence: 1 },
    });
  });

  it('a plugin that cannot be loaded reports on every page; missing and invalid modules', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trawl-plugin-'));
    writeFileSync(join(dir, 'index.mjs'), 'export default { nope: true };');
    const extractors = await loadExtractors(
      { plugins: [dir, join(dir, 'no/such/plugin'), 'trawl-plugin-does-not-exist'] },
      { allow: { dirs: [dir], packages: ['trawl-plugin-does-not-exist'] } },
    );
    const result = extractProduct({ url, html, extractors });
    expect(result.product?.sku).toBe('K-1');
    expect(result.errors).toHaveLength(3);
    expect(result.errors[0]).toMatch(/does not export an extractor/);
    expect(result.errors[1]).toMatch(/not found/);
  });

  it('loads a plugin package folder with a package.json main', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trawl-plugin-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', main: 'main.mjs' }));
    writeFileSync(
      join(dir, 'main.mjs'),
      'export const extractors = [{ name: "gtin", extract: () => ({ gtin: { value: "4006381333931", confidence: 0.99 } }) }];',
    );
    const extractors = await loadExtractors(
      { mode: 'selectors', plugins: [dir] },
      { allow: { dirs: [dir], packages: [] } },
    );
    expect(extractors.map((e) => e.name)).toEqual(['selectors', 'canonical', 'gtin']);
    const result = extractProduct({ url, html, extractors });
    expect(result.product).toBeNull(); // no title in selectors mode, only a GTIN
    expect(result.sources.gtin).toEqual({ gtin: '4006381333931' });
  });

  describe('allow-list (PLUGIN_DIRS, PLUGIN_PACKAGES)', () => {
    /** A folder of allowed plugins and, beside it, files that must never run. */
    function layout() {
      const root = mkdtempSync(join(tmpdir(), 'trawl-allow-'));
      const allowed = join(root, 'plugins');
      const outside = join(root, 'outside');
      mkdirSync(join(allowed, 'good'), { recursive: true });
      mkdirSync(outside);
      writeFileSync(
        join(allowed, 'good', 'index.mjs'),
        'export default { name: "good", extract: () => ({ brand: { value: "Good", confidence: 0.5 } }) };',
      );
      const marker = join(root, 'pwned');
      // Would leave a file behind if it ever ran.
      writeFileSync(
        join(outside, 'index.mjs'),
        `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'x'); export default { name: 'evil', extract: () => null };`,
      );
      return { root, allowed, outside, marker, allow: { dirs: [allowed], packages: ['picomatch'] } };
    }

    const errorsOf = async (specs: string[], options: Parameters<typeof loadExtractors>[1]) =>
      extractProduct({ url, html, extractors: await loadExtractors({ plugins: specs }, options) }).errors;

    it('loads plugins from the allowed folders and allowed packages only', async () => {
      const { allowed, allow } = layout();
      const extractors = await loadExtractors({ plugins: [join(allowed, 'good'), 'picomatch'] }, { allow });
      const result = extractProduct({ url, html, extractors });
      expect(result.product?.brand).toBe('Good');
      // picomatch was imported (it is allowed) but is not an extractor.
      expect(result.errors).toEqual([
        expect.stringMatching(/picomatch failed to load: .*does not export an extractor/),
      ]);
      expect(await errorsOf(['./good'], { allow, baseDir: allowed })).toEqual([]);
    });

    it('refuses URL specifiers, paths outside the folders, escapes, symlinks and packages not listed', async () => {
      const { root, allowed, outside, marker, allow } = layout();
      symlinkSync(outside, join(allowed, 'linked'));
      mkdirSync(join(allowed, 'pointing'));
      writeFileSync(
        join(allowed, 'pointing', 'package.json'),
        JSON.stringify({ main: '../../outside/index.mjs' }),
      );
      const code = `import('node:fs').then((fs) => fs.writeFileSync(${JSON.stringify(marker)}, 'x'))`;
      const errors = await errorsOf(
        [
          `data:text/javascript,${encodeURIComponent(code)}`,
          `file://${join(outside, 'index.mjs')}`,
          'http://127.0.0.1:9/plugin.mjs',
          join(outside, 'index.mjs'),
          join(allowed, '..', 'outside'),
          './plugins/../outside',
          join(allowed, 'linked'),
          join(allowed, 'pointing'),
          'left-pad',
          'node:fs',
        ],
        { allow, baseDir: root },
      );
      expect(errors).toEqual([
        expect.stringMatching(/data:text\/javascript.*URL specifiers are not plugins/),
        expect.stringMatching(/file:.*URL specifiers are not plugins/),
        expect.stringMatching(/http:.*URL specifiers are not plugins/),
        expect.stringMatching(/outside the plugin folders this installation allows/),
        expect.stringMatching(/outside the plugin folders/),
        expect.stringMatching(/outside the plugin folders/),
        expect.stringMatching(
          /outside the plugin folders this installation allows \(PLUGIN_DIRS\) once its links are resolved/,
        ),
        expect.stringMatching(/pointing \(its entry file\) is outside the plugin folders/),
        expect.stringMatching(/left-pad is not a plugin package this installation allows/),
        expect.stringMatching(/node:fs.*URL specifiers are not plugins/),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(existsSync(marker)).toBe(false);
    });

    it('checks again on every load, so a plugin removed from the allow-list stops loading', async () => {
      const { allowed, allow } = layout();
      const spec = join(allowed, 'good');
      expect(await errorsOf([spec], { allow })).toEqual([]);
      expect(await errorsOf([spec], { allow: { dirs: [], packages: [] } })).toEqual([
        expect.stringMatching(/outside the plugin folders/),
      ]);
    });
  });
});
