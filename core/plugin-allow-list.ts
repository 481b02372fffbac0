/**
 * Which extractor plugins site rules may name. A plugin is code the crawler nodes and the API
 * import and run, so only the installation's owner decides: folders in PLUGIN_DIRS, package
 * names in PLUGIN_PACKAGES (core/config.ts). Site validation refuses anything else, and the
 * loader checks again before importing (rules stored earlier, or changed since).
 */
import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { config } from './config.ts';

export interface PluginAllowList {
  /** Folders (absolute, or relative to the working directory) whose contents may be loaded. */
  dirs: readonly string[];
  /** npm package names that may be loaded. */
  packages: readonly string[];
}

/** The installation's allow-list, from the environment. */
export function configuredPluginAllowList(): PluginAllowList {
  const { PLUGIN_DIRS, PLUGIN_PACKAGES } = config();
  return { dirs: PLUGIN_DIRS, packages: PLUGIN_PACKAGES };
}

export class PluginNotAllowedError extends Error {
  override name = 'PluginNotAllowedError';
}

/** A plugin spec names a path when it starts with "." or "/"; anything else is a package name. */
export const isPluginPath = (spec: string): boolean => spec.startsWith('.') || isAbsolute(spec);

/** The path with symlinks resolved, as far as it exists (a missing path is judged as written). */
function real(path: string): string {
  return existsSync(path) ? realpathSync(path) : path;
}

function inside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Throws PluginNotAllowedError unless `path` (a file or folder, symlinks resolved) lies in one
 * of the allowed folders (theirs resolved too).
 */
export function assertAllowedPluginPath(
  path: string,
  allow: PluginAllowList = configuredPluginAllowList(),
  /** How the error names the path (the spec as the rules wrote it: no server paths in API errors). */
  label = path,
): string {
  const target = real(resolve(path));
  if (allow.dirs.some((dir) => inside(target, real(resolve(dir))))) return target;
  const linked = target !== resolve(path) ? ' once its links are resolved' : '';
  throw new PluginNotAllowedError(
    `${label.slice(0, 200)} is outside the plugin folders this installation allows (PLUGIN_DIRS)${linked}`,
  );
}

/**
 * What to import for a plugin spec: a path (symlinks resolved) inside an allowed folder, or an
 * allowed package name. Throws PluginNotAllowedError saying why not.
 */
export function resolveAllowedPlugin(
  spec: string,
  options: { baseDir?: string; allow?: PluginAllowList } = {},
): { path: string } | { package: string } {
  const allow = options.allow ?? configuredPluginAllowList();
  // data:, file:, http(s):, node: and other URL specifiers would import anything.
  if (/^[a-z][a-z0-9+.-]*:/i.test(spec))
    throw new PluginNotAllowedError(`${spec.slice(0, 60)}: URL specifiers are not plugins`);
  if (isPluginPath(spec)) {
    return { path: assertAllowedPluginPath(resolve(options.baseDir ?? process.cwd(), spec), allow, spec) };
  }
  if (allow.packages.includes(spec)) return { package: spec };
  throw new PluginNotAllowedError(
    `${spec.slice(0, 100)} is not a plugin package this installation allows (PLUGIN_PACKAGES)`,
  );
}

/** Why a site's rules may not name `spec` as a plugin, or null when they may. */
export function pluginProblem(
  spec: string,
  options: { baseDir?: string; allow?: PluginAllowList } = {},
): string | null {
  try {
    resolveAllowedPlugin(spec, options);
    return null;
  } catch (error) {
    if (error instanceof PluginNotAllowedError) return error.message;
    throw error;
  }
}
