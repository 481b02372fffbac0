import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cruise } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const layers = [
  'core',
  'crawler',
  'catalog',
  'commerce',
  'api',
  'dashboard',
  'workers',
  'bin',
  'demo',
  'plugins',
];

/**
 * Every source file of the layers, named one by one: without TypeScript's JavaScript API (TS 7
 * has none), dependency-cruiser scans folders for .js files only, but parses what it is given.
 */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === join('core', 'db', 'generated') ? [] : sources(path);
    return /\.(ts|tsx|mjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('architecture', () => {
  it('keeps the layer rules of DESIGN.md (.dependency-cruiser.cjs)', async () => {
    const rules = createRequire(import.meta.url)('../.dependency-cruiser.cjs') as {
      forbidden: unknown[];
      options: Record<string, unknown> & { enhancedResolveOptions: object };
    };
    // TypeScript 7 has no JavaScript API, so Babel strips the types first (type-only imports too):
    // the graph holds the imports that exist at run time, dynamic import() included.
    const babelConfig = JSON.parse(readFileSync('babel.depcruise.json', 'utf8')) as object;
    const result = await cruise(
      layers.flatMap(sources),
      { ...rules.options, validate: true, ruleSet: { forbidden: rules.forbidden } } as never,
      rules.options.enhancedResolveOptions as never,
      { babelConfig } as never,
    );
    const output = result.output as {
      summary: {
        violations: Array<{ rule: { name: string }; from: string; to: string }>;
        totalCruised: number;
      };
    };
    expect(output.summary.totalCruised).toBeGreaterThan(150);
    expect(output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
    // The parser sees dynamic imports in TypeScript: the renderer's lazy import of Playwright is in the graph.
    const modules = (
      result.output as { modules: Array<{ source: string; dependencies: Array<{ module: string }> }> }
    ).modules;
    const browser = modules.find((m) => m.source === 'crawler/render/browser.ts');
    expect(browser?.dependencies.map((d) => d.module)).toContain('playwright-core');
  });

  it('lets views import only type re-exports from the contexts', () => {
    // The rule above allows dashboard/ to import catalog/types.ts: it must stay free of run-time code.
    for (const file of [
      'catalog/types.ts',
      'commerce/accounts/types.ts',
      'commerce/cart/types.ts',
      'commerce/orders/types.ts',
      'commerce/overview/types.ts',
      'commerce/payments/types.ts',
      'commerce/shipping/types.ts',
      'commerce/promotions/types.ts',
      'commerce/membership/types.ts',
      'commerce/reviews/types.ts',
      'commerce/reports/types.ts',
    ]) {
      const source = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => !line.trim().startsWith('//'))
        .join('\n');
      // Every statement (a formatter may spread one over several lines) is `export type { … } from …`.
      const statements = source
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean);
      for (const statement of statements)
        expect(statement, file).toMatch(/^export type \{[\s\w,]+\} from '[^']+'$/);
    }
  });
});
