/**
 * Patterns that site rules supply (extraction regexes, URL globs) run on RE2 semantics
 * (re2js: pure JavaScript, no native build), whose matching time grows linearly with the
 * input: `(a+)+$` cannot freeze a process the way it does JavaScript's backtracking RegExp.
 * The price is RE2's syntax: no backreferences, no lookaround. Validation refuses those, and
 * execution compiles through here too, so rules stored before this check fail to match
 * instead of running on a backtracking engine.
 */
import { RE2JS } from 're2js';

/**
 * Matching time is linear in the input times the compiled program's size: realistic rule
 * regexes compile to a few dozen instructions; `[a-z]{300}` to about 300.
 */
export const MAX_PROGRAM_SIZE = 300;

export class PatternError extends Error {
  override name = 'PatternError';
}

const regexCache = new Map<string, RE2JS | PatternError>();

/** A rule regex compiled with RE2; throws PatternError saying why it cannot be. */
export function compileRegex(pattern: string): RE2JS {
  let compiled = regexCache.get(pattern);
  if (compiled === undefined) {
    compiled = compile(pattern);
    if (regexCache.size >= 1000) regexCache.clear();
    regexCache.set(pattern, compiled);
  }
  if (compiled instanceof PatternError) throw compiled;
  return compiled;
}

function compile(source: string, what = 'regular expression'): RE2JS | PatternError {
  let re: RE2JS;
  try {
    re = RE2JS.compile(source);
  } catch (error) {
    const reason = String((error as Error).message).replace(/^error parsing regexp: /, '');
    return new PatternError(
      `must be a ${what} RE2 accepts (linear-time matching: no backreferences, no lookaround): ${reason}`,
    );
  }
  if (re.programSize() > MAX_PROGRAM_SIZE) {
    return new PatternError(
      `is too complex: it compiles to ${re.programSize()} RE2 instructions, at most ${MAX_PROGRAM_SIZE}`,
    );
  }
  return re;
}

/** Why `pattern` cannot be a rule regex, or null when it can. */
export function regexProblem(pattern: string): string | null {
  try {
    compileRegex(pattern);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** A compiled URL glob: whether a URL (or path) matches it. */
export type GlobMatcher = (input: string) => boolean;

const globCache = new Map<string, GlobMatcher | PatternError>();

/**
 * A URL glob compiled to an RE2 regex:
 * - `*` any run of characters but `/` (at least one when it is the whole path segment);
 * - `**` as a whole segment any run of segments, none included (`/a/**` matches `/a`,
 *   `/a/**\/b` matches `/a/b`); elsewhere it is `*`;
 * - `?` one character but `/` (so `?sort=` in a glob also matches `&sort=`);
 * - `[abc]`, `[a-z]`, `[!a]` or `[^a]`, `[[:digit:]]` classes;
 * - `{a,b}` alternatives, `@(a|b)`, `?(a|b)`, `+(a|b)`, `*(a|b)` extglobs;
 * - a leading `!` negates the glob; `\` escapes the next character; everything else is literal;
 * - a glob ending in a star also matches a trailing `/`.
 * These are picomatch's meanings for the globs Trawl documents (it matched them before); a
 * negated extglob `!(…)` needs lookahead and is refused.
 */
export function compileGlob(glob: string): GlobMatcher {
  let compiled = globCache.get(glob);
  if (compiled === undefined) {
    compiled = buildGlob(glob);
    if (globCache.size >= 5000) globCache.clear();
    globCache.set(glob, compiled);
  }
  if (compiled instanceof PatternError) throw compiled;
  return compiled;
}

/** Why `glob` cannot be a URL glob, or null when it can. */
export function globProblem(glob: string): string | null {
  try {
    compileGlob(glob);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

function buildGlob(glob: string): GlobMatcher | PatternError {
  const negated = glob.startsWith('!') && !glob.startsWith('!(');
  let source: string;
  try {
    source = translate(negated ? glob.slice(1) : glob);
  } catch (error) {
    return error as PatternError;
  }
  // Like picomatch, a glob ending in a star also matches a trailing slash ("/c/*" matches "/c/x/").
  if (/(?:^|[^\\])\*$/.test(glob)) source = `${source}/?`;
  const re = compile(`^(?:${source})$`, 'glob that compiles to a regular expression');
  if (re instanceof PatternError) return re;
  return negated ? (input) => !re.test(input) : (input) => re.test(input);
}

const SPECIAL = /[\\^$.|?*+()[\]{}]/g;
const quote = (text: string) => text.replace(SPECIAL, '\\$&');

/** The end of the group opened at `open` (`{`, `(`), skipping escapes and nested groups; -1 if none. */
function closing(glob: string, open: number): number {
  const pairs: Record<string, string> = { '{': '}', '(': ')' };
  const stack: string[] = [];
  for (let i = open; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\') i++;
    else if (c === '[') {
      const end = classEnd(glob, i);
      if (end > 0) i = end;
    } else if (c in pairs) stack.push(pairs[c]!);
    else if (c === stack.at(-1)) {
      stack.pop();
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

/** Splits a group's content on top-level `separator`s. */
function alternatives(body: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\') i++;
    else if (c === '[') {
      const end = classEnd(body, i);
      if (end > 0) i = end;
    } else if (c === '{' || c === '(') depth++;
    else if (c === '}' || c === ')') depth--;
    else if (c === separator && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

/** The index of the `]` closing the class opened at `open`, or -1. */
function classEnd(glob: string, open: number): number {
  let i = open + 1;
  if (glob[i] === '!' || glob[i] === '^') i++;
  if (glob[i] === ']') i++; // a leading ] is a literal member
  for (; i < glob.length; i++) {
    if (glob[i] === '\\') i++;
    else if (glob[i] === '[' && glob[i + 1] === ':') {
      const end = glob.indexOf(':]', i + 2);
      if (end > 0) i = end + 1;
    } else if (glob[i] === ']') return i;
  }
  return -1;
}

/** A glob (or one alternative of a group) as RE2 source; segment boundaries are `/` and its ends. */
function translate(glob: string): string {
  const out: string[] = [];
  const boundary = (i: number) => i < 0 || i >= glob.length || glob[i] === '/';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    const next = glob[i + 1];
    if (c === '\\') {
      if (next !== undefined) out.push(quote(next));
      i++;
    } else if (c === '*' && next === '*') {
      let end = i + 2;
      while (glob[end] === '*') end++;
      if (boundary(i - 1) && boundary(end)) {
        if (end === glob.length) {
          // Trailing `/**`: the segments below, or none (`/a/**` matches `/a`).
          if (out.at(-1) === '/') {
            out.pop();
            out.push('(?:/.*)?');
          } else out.push('.*');
        } else {
          out.push('(?:.*/)?'); // `**/`: any segments, or none
          end++; // the `/`
        }
      } else out.push('[^/]*');
      i = end - 1;
    } else if (c === '*' && next === '(') {
      i = group(glob, i, '*', out);
    } else if (c === '*') {
      out.push(boundary(i - 1) && boundary(i + 1) ? '[^/]+' : '[^/]*');
    } else if (c === '?' && next === '(') {
      i = group(glob, i, '?', out);
    } else if (c === '?') {
      out.push('[^/]');
    } else if ((c === '@' || c === '+') && next === '(') {
      i = group(glob, i, c === '+' ? '+' : '', out);
    } else if (c === '!' && next === '(') {
      throw new PatternError('uses a negated extglob "!(…)", which cannot be matched in linear time');
    } else if (c === '[') {
      const end = classEnd(glob, i);
      if (end < 0) out.push('\\[');
      else {
        let body = glob.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        out.push(`[${body}]`);
        i = end;
      }
    } else if (c === '{') {
      const end = closing(glob, i);
      const parts = end < 0 ? [] : alternatives(glob.slice(i + 1, end), ',');
      if (parts.length < 2) out.push('\\{');
      else {
        out.push(`(?:${parts.map(translate).join('|')})`);
        i = end;
      }
    } else {
      out.push(quote(c));
    }
  }
  return out.join('');
}

/** An extglob `X(a|b)` starting at `at` (X is one character); returns the index of its `)`. */
function group(glob: string, at: number, quantifier: string, out: string[]): number {
  const end = closing(glob, at + 1);
  if (end < 0) {
    out.push(quote(glob[at]!));
    return at;
  }
  out.push(
    `(?:${alternatives(glob.slice(at + 2, end), '|')
      .map(translate)
      .join('|')})${quantifier}`,
  );
  return end;
}
