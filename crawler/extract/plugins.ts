/**
 * Extractor plugins: modules named in a site's `extraction.plugins`, a folder path or an npm
 * package name. A module exports an extractor (or a list of them) as its default export, or as
 * `extractor` / `extractors`. Modules are imported once per process and cached.
 *
 * Only plugins on the installation's allow-list (PLUGIN_DIRS, PLUGIN_PACKAGES) are imported:
 * validation refuses others, and this loader checks again, for rules stored before the
 * allow-list changed. URL specifiers (data:, file:, http:), paths outside the allowed folders
 * (absolute, `..`, or through a symlink) and entry files that point outside are refused.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  assertAllowedPluginPath,
  configuredPluginAllowList,
  isPluginPath,
  type PluginAllowList,
  resolveAllowedPlugin,
} from '../../core/plugin-allow-list.ts';
import { builtInExtractors } from './builtins.ts';
import type { ExtractionRules, Extractor } from './types.ts';

export interface LoadOptions {
  /** Folder that relative plugin paths are resolved against (default: the working directory). */
  baseDir?: string;
  /** Which plugins may be loaded (default: PLUGIN_DIRS and PLUGIN_PACKAGES). */
  allow?: PluginAllowList;
}

const cache = new Map<string, Promise<Extractor[]>>();

/** The file to import for a plugin folder: package.json's `exports`/`module`/`main`, else index.*. */
function entryOf(dir: string): string {
  const pkgPath = join(dir, 'package.json');
  if (existsSync(pkgPath)) {
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as Record<string, unknown>;
    const exported = typeof pkg.exports === 'string' ? pkg.exports : undefined;
    const main = exported ?? (typeof pkg.module === 'string' ? pkg.module : undefined) ?? pkg.main;
    if (typeof main === 'string' && existsSync(join(dir, main))) return join(dir, main);
  }
  for (const name of ['index.js', 'index.mjs', 'index.ts', 'index.mts']) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error(`no package.json entry or index file in ${dir}`);
}

/** What to import: an allowed package name, or the file URL of an allowed plugin's entry file. */
function specifierFor(spec: string, baseDir: string, allow: PluginAllowList): string {
  const resolved = resolveAllowedPlugin(spec, { baseDir, allow });
  if ('package' in resolved) return resolved.package;
  const { path } = resolved;
  if (!existsSync(path)) throw new Error(`not found: ${spec}`);
  if (!statSync(path).isDirectory()) return pathToFileURL(path).href;
  // package.json's main may point anywhere ("../../../somewhere"): the entry is checked too.
  return pathToFileURL(assertAllowedPluginPath(entryOf(path), allow, `${spec} (its entry file)`)).href;
}

function isExtractor(value: unknown): value is Extractor {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Extractor).name === 'string' &&
    (value as Extractor).name !== '' &&
    typeof (value as Extractor).extract === 'function'
  );
}

function extractorsOf(module: Record<string, unknown>, spec: string): Extractor[] {
  const exported = module.default ?? module.extractors ?? module.extractor;
  const list = Array.isArray(exported) ? exported : [exported];
  if (list.length === 0 || !list.every(isExtractor))
    throw new Error(`${spec} does not export an extractor ({ name, extract(page) }) or a list of them`);
  return list;
}

/** A stand-in for a plugin that failed to load: every page records why, the rest still runs. */
function failed(spec: string, error: unknown): Extractor {
  const shown = spec.slice(0, 100);
  const message = `plugin ${shown} failed to load: ${String((error as Error)?.message ?? error).slice(0, 300)}`;
  return {
    name: `plugin:${shown}`,
    precedence: 50,
    extract: () => {
      throw new Error(message);
    },
  };
}

/** The extractors of one plugin, imported once per process. */
export function loadPlugin(spec: string, options: LoadOptions = {}): Promise<Extractor[]> {
  const baseDir = options.baseDir ?? process.cwd();
  const allow = options.allow ?? configuredPluginAllowList();
  let specifier: string;
  try {
    // Checked on every call, not once per process: the allow-list and the links on disk may change.
    specifier = specifierFor(spec, baseDir, allow);
  } catch (error) {
    return Promise.resolve([failed(spec, error)]);
  }
  const key = isPluginPath(spec) ? specifier : spec;
  let loaded = cache.get(key);
  if (!loaded) {
    loaded = (async () => {
      try {
        await typeScriptLoaderFor(specifier);
        const module = (await import(specifier)) as Record<string, unknown>;
        return extractorsOf(module, spec);
      } catch (error) {
        return [failed(spec, error)];
      }
    })();
    cache.set(key, loaded);
  }
  return loaded;
}

/**
 * Every extractor a site's rules enable: the built-in ones, then each plugin's, in the order the
 * rules list them. Never rejects: a plugin that cannot be loaded becomes an extractor that
 * reports the failure in each page's `errors`.
 */
export async function loadExtractors(
  rules: ExtractionRules = {},
  options: LoadOptions = {},
): Promise<Extractor[]> {
  const plugins = await Promise.all((rules.plugins ?? []).map((spec) => loadPlugin(spec, options)));
  return [...builtInExtractors(rules), ...plugins.flat()];
}

/** Forgets loaded plugins (tests). Modules stay in Node's own cache. */
export function clearPluginCache(): void {
  cache.clear();
}

let tsLoader: Promise<void> | undefined;

/**
 * Plugins may be TypeScript. Under tsx (tests, development) Node already loads it; the compiled
 * processes (dist/, see scripts/build.mjs) register tsx's loader the first time one is imported.
 */
function typeScriptLoaderFor(specifier: string): Promise<void> {
  if (!/\.[cm]?tsx?$/.test(specifier) || !import.meta.url.endsWith('.js')) return Promise.resolve();
  tsLoader ??= import('tsx/esm/api').then(({ register }) => {
    register();
  });
  return tsLoader;
}
