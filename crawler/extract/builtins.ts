import { builtInExtractors as BUILT_IN_NAMES } from '../../core/site.ts';
import { extractCanonical } from './canonical.ts';
import { scoreFields } from './fields.ts';
import { extractHeuristics } from './heuristics.ts';
import { extractJsonLdScored } from './jsonld.ts';
import { extractMicrodataScored } from './microdata.ts';
import { extractOpenGraph } from './opengraph.ts';
import { extractRdfa } from './rdfa.ts';
import { extractSelectors } from './selectors.ts';
import { extractState } from './state.ts';
import type { ExtractionRules, Extractor } from './types.ts';

/**
 * The built-in extractors and how far each is trusted: the operator's selectors most, then
 * schema.org data from the most to the least specific, then application state embedded in
 * scripts, then page heuristics. Heuristics score their own fields (see heuristics.ts).
 */
export const BUILT_IN_EXTRACTORS: Record<(typeof BUILT_IN_NAMES)[number] | 'canonical', Extractor> = {
  selectors: {
    name: 'selectors',
    precedence: 0,
    extract: (page) => scoreFields(extractSelectors(page, page.rules.selectors ?? {}), 1),
  },
  jsonld: {
    name: 'jsonld',
    precedence: 10,
    extract: extractJsonLdScored,
  },
  microdata: {
    name: 'microdata',
    precedence: 20,
    extract: extractMicrodataScored,
  },
  rdfa: {
    name: 'rdfa',
    precedence: 30,
    extract: (page) => scoreFields(extractRdfa(page), 0.85, { sku: 0.8 }),
  },
  opengraph: {
    name: 'opengraph',
    precedence: 40,
    extract: (page) => scoreFields(extractOpenGraph(page), 0.75, { title: 0.7, description: 0.6 }),
  },
  state: { name: 'state', precedence: 60, extract: (page) => extractState(page) },
  heuristics: { name: 'heuristics', precedence: 90, extract: (page) => extractHeuristics(page) },
  canonical: {
    name: 'canonical',
    precedence: 100,
    extract: (page) => scoreFields(extractCanonical(page), 1),
  },
};

/** The built-in extractors a site's rules enable: all in mode "auto", only selectors otherwise. */
export function builtInExtractors(rules: ExtractionRules = {}): Extractor[] {
  const disabled = new Set<string>(rules.disable ?? []);
  const names: (keyof typeof BUILT_IN_EXTRACTORS)[] =
    (rules.mode ?? 'auto') === 'auto' ? [...BUILT_IN_NAMES, 'canonical'] : ['selectors', 'canonical'];
  return names.filter((n) => !disabled.has(n)).map((n) => BUILT_IN_EXTRACTORS[n]);
}
