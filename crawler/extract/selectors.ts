import { select } from 'cheerio-select';
import { compile as compileSelector } from 'css-select';
import type { AnyNode, Element } from 'domhandler';
import type { RE2JS } from 're2js';
import type { z } from 'zod';
import { compileRegex, regexProblem } from '../../core/patterns.ts';
import type { ExtractedField, FieldRule, selectorRulesSchema } from '../../core/site.ts';
import { collapseWhitespace } from '../normalise/text.ts';
import { resolveHttpUrl } from '../normalise/url.ts';
import { baseUrl, imageSource, isElement, textOf, walk } from './dom.ts';
import { compact } from './fields.ts';
import type { ExtractInput, Fields } from './types.ts';

export type SelectorRules = z.output<typeof selectorRulesSchema>;

const LIST_FIELDS = new Set<ExtractedField>(['images', 'categoryPath']);
const MAX_MATCHES = 500;
// Operator regexes run on page text with RE2 (linear time in the input, see core/patterns.ts);
// bounds on the input per value and per page bound what even the largest allowed pattern costs.
const MAX_REGEX_INPUT = 10_000;
const MAX_REGEX_INPUT_PER_PAGE = 200_000;

/** The rule's regex on RE2, or null when it cannot compile there (stored before validation refused it). */
function compile(pattern: string): RE2JS | null {
  try {
    return compileRegex(pattern);
  } catch {
    return null;
  }
}

/** A compiled selector: whether an element matches it. */
type ElementQuery = (element: Element) => boolean;
// A site's rules are applied to every product page: each selector is compiled once, and all of a
// page's rules are matched in one walk of its tree instead of one walk per rule.
const queryCache = new Map<string, ElementQuery | null>();

/** The selector compiled by css-select, or null for one it does not know (cheerio's `:first`…). */
function compiledQuery(selector: string): ElementQuery | null {
  let query = queryCache.get(selector);
  if (query === undefined) {
    try {
      query = compileSelector<AnyNode, Element>(selector, { xmlMode: false });
    } catch {
      query = null;
    }
    if (queryCache.size > 1000) queryCache.clear();
    queryCache.set(selector, query);
  }
  return query;
}

/**
 * Elements matching each query, in document order, at most MAX_MATCHES each, in one walk; no
 * list (undefined) where there is no query.
 */
function matchAll(root: AnyNode, queries: (ElementQuery | null)[]): (Element[] | undefined)[] {
  const found = queries.map((query) => (query ? ([] as Element[]) : undefined));
  walk(root, (element) => {
    for (let i = 0; i < queries.length; i++) {
      const list = found[i];
      if (list && list.length < MAX_MATCHES && (queries[i] as ElementQuery)(element)) list.push(element);
    }
    return true;
  });
  return found;
}

function elementValue(element: Element, field: ExtractedField, rule: FieldRule): string | undefined {
  if (rule.attribute) return element.attribs[rule.attribute.toLowerCase()];
  // Without an attribute, read what the element obviously holds.
  if (element.name === 'meta') return element.attribs.content;
  if (field === 'images' && element.name === 'img') return imageSource(element);
  if (field === 'images' && element.name === 'a') return element.attribs.href;
  return textOf(element);
}

function applyRegex(value: string, rule: FieldRule, budget: { chars: number }): string | undefined {
  if (!rule.regex) return value;
  const regex = compile(rule.regex);
  if (!regex) return undefined;
  const input = value.slice(0, Math.min(MAX_REGEX_INPUT, budget.chars));
  budget.chars -= input.length;
  const match = regex.exec(input);
  if (!match) return undefined;
  return match[1] ?? match[0];
}

/** The elements a rule selects: from the shared walk, or through cheerio for its own pseudo-classes. */
function ruleElements(
  input: ExtractInput,
  field: ExtractedField,
  rule: FieldRule,
  walked?: Element[],
): Element[] {
  if (walked) return walked;
  try {
    return select(rule.selector, input.document).filter(isElement);
  } catch (error) {
    input.errors?.push(
      `selectors: ${field}: bad selector ${JSON.stringify(rule.selector)}: ${(error as Error).message.slice(0, 200)}`,
    );
    return [];
  }
}

/** Values of one rule: text trimmed and whitespace-collapsed; image URLs made absolute. */
function ruleValues(
  input: ExtractInput,
  field: ExtractedField,
  rule: FieldRule,
  base: string,
  elements: Element[],
  budget: { chars: number },
): string[] {
  if (rule.regex && !compile(rule.regex)) {
    input.errors?.push(
      `selectors: ${field}: bad regex ${JSON.stringify(rule.regex)}: ${regexProblem(rule.regex)}`,
    );
    return [];
  }
  const values: string[] = [];
  for (const element of elements.slice(0, MAX_MATCHES)) {
    const raw = elementValue(element, field, rule);
    if (raw == null) continue;
    const matched = applyRegex(raw, rule, budget);
    let value = matched == null ? '' : collapseWhitespace(matched);
    if (field === 'images' && value) value = resolveHttpUrl(value, base) ?? '';
    if (value) {
      values.push(value);
      if (!rule.all) break;
    }
  }
  return values;
}

/** The site's own CSS rules, one per field. */
export function extractSelectors(input: ExtractInput, rules: SelectorRules): Fields | null {
  const entries = Object.entries(rules) as [ExtractedField, string | FieldRule | undefined][];
  if (entries.length === 0) return null;
  const base = baseUrl(input.document, input.url);
  const fieldRules = entries.flatMap(([field, spec]) =>
    spec ? [{ field, rule: typeof spec === 'string' ? { selector: spec } : spec }] : [],
  );
  const queries = fieldRules.map(({ rule }) => compiledQuery(rule.selector));
  const walked = queries.some(Boolean) ? matchAll(input.document, queries) : [];
  const fields: Record<string, unknown> = {};
  const budget = { chars: MAX_REGEX_INPUT_PER_PAGE };
  for (const [i, { field, rule }] of fieldRules.entries()) {
    const elements = ruleElements(input, field, rule, walked[i]);
    const values = ruleValues(input, field, rule, base, elements, budget);
    if (values.length === 0) continue;
    fields[field] = LIST_FIELDS.has(field) ? values : values.join(' ');
  }
  return compact(fields as Fields);
}
