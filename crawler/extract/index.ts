import { type CheerioAPI, load } from 'cheerio/slim';
import type { AnyNode, Document } from 'domhandler';
import { type RawProduct, rawProductSchema } from '../../core/product.ts';
import { parsePrice } from '../normalise/price.ts';
import { cleanText } from '../normalise/text.ts';
import { bound } from './bounds.ts';
import { builtInExtractors } from './builtins.ts';
import { calibrate, isCalibrated } from './calibration.ts';
import { chooseCurrency } from './currency-choice.ts';
import { indexPage, parsePage, textOf } from './dom.ts';
import { type CandidateExplanation, type Explanation, emptyExplanation } from './explain.ts';
import { hasValue, isScored, plainFields } from './fields.ts';
import { heuristicNotes, referencePrices } from './heuristics.ts';
import { urlCorroborates, urlSibling, valueKey } from './merge-keys.ts';
import { type ConfidenceThresholds, thresholdFor } from './threshold.ts';
import type {
  ExtractionRules,
  Extractor,
  ExtractorPage,
  FieldName,
  Fields,
  PriceRange,
  Scored,
  ScoredFields,
} from './types.ts';

export { BUILT_IN_EXTRACTORS, builtInExtractors } from './builtins.ts';
export { extractCanonical } from './canonical.ts';
export { type Explanation, type FieldExplanation, formatExplanation } from './explain.ts';
export { extractHeuristics } from './heuristics.ts';
export { extractJsonLd } from './jsonld.ts';
export { extractMicrodata } from './microdata.ts';
export { extractOpenGraph } from './opengraph.ts';
export { clearPluginCache, loadExtractors } from './plugins.ts';
export { extractRdfa } from './rdfa.ts';
export { extractSelectors, type SelectorRules } from './selectors.ts';
export { extractState } from './state.ts';
export type {
  ExtractInput,
  ExtractionRules,
  Extractor,
  ExtractorPage,
  FieldName,
  Fields,
  Scored,
  ScoredFields,
} from './types.ts';

export interface ExtractRequest {
  url: string;
  html: string;
  /** The page already parsed from `html` (see `parsePage`), when the caller has it; otherwise it is parsed here. */
  document?: Document;
  /** The DOM after scripts ran, when the page was rendered; extractors read it instead of `html`. */
  renderedHtml?: string;
  rules?: ExtractionRules;
  /** Extractors to run (from `loadExtractors(rules)`); the built-in ones for `rules` when absent. */
  extractors?: Extractor[];
  /** Also say, field by field, what was found and why the winner won (costs time; off in crawls). */
  explain?: boolean;
}

export interface ExtractionResult {
  /** The product on the page, or null when the page shows none. */
  product: RawProduct | null;
  /** What each extractor found, by name (selectors, jsonld, …, canonical, fallback). */
  sources: Record<string, Fields>;
  /** The same with each field's confidence. */
  scored: Record<string, ScoredFields>;
  /**
   * For each field of `product`: the extractor it came from and the merged confidence, calibrated
   * for price, currency, SKU, GTIN and availability.
   */
  chosen: Partial<Record<FieldName, { source: string; confidence: number }>>;
  /** The merged confidence of the calibrated fields before calibration (what calibration is fitted on). */
  uncalibrated?: Partial<Record<FieldName, number>>;
  errors: string[];
  /** Per field: candidates, sources, confidences and why the winner won; only when `explain` was asked. */
  explanation?: Explanation;
}

// Parsing time and memory grow with the page; beyond this a page is not a product page anyway.
const MAX_HTML = 10_000_000;

const SCALAR_FIELDS = [
  'title',
  'description',
  'brand',
  'sku',
  'gtin',
  'price',
  'currency',
  'availability',
] as const satisfies FieldName[];
const LIST_FIELDS = ['images', 'categoryPath'] as const satisfies FieldName[];
// Two extractors agreeing on a value make it likelier; bounded so agreement of weak sources
// cannot outvote an operator's selector.
const AGREEMENT_BONUS = 0.03;
const MAX_AGREEMENT_BONUS = 0.06;
// An identifier that also appears in the page's URL is very likely the shop's own.
const URL_BONUS = 0.08;
// The price the page displays as its main price, confirmed by another source (OpenGraph,
// microdata, state), outranks a single disagreeing source: the displayed price is what the buyer
// pays, while structured data may carry a starting bid, a list price or a stale price.
const DISPLAYED_AND_CONFIRMED = 0.92;
// Below an identifier read from the page URL alone (0.3, plus the URL's bonus).
const BARCODE_AS_SKU = 0.25;
// A structured price the page shows crossed out beside its current price is a stale one.
const SHOWN_AS_REFERENCE = 0.4;
// A word ("Montre", "Homme"): letters only, lower case after a first capital.
const WORD = /^\p{Lu}?\p{Ll}{2,}$/u;

/**
 * An identifier is one token (or digits in groups): a value with words beside its code
 * ("Ca304103-0000 Montre") has picked up text around it, and is read as its one code.
 */
export function cleanIdentifier(value: string): string {
  const tokens = value.trim().split(/\s+/);
  if (tokens.length < 2) return value;
  const codes = tokens.filter((t) => !WORD.test(t));
  return codes.length === 1 && codes.length < tokens.length && /\d/.test(codes[0] as string)
    ? (codes[0] as string)
    : value;
}

/** A decimal amount key ("12.99", "1299") in cents ("1299", "129900"); undefined past two decimals. */
export function inCents(amount: string): string | undefined {
  const [whole = '', fraction = ''] = amount.split('.');
  if (!/^\d+$/.test(whole) || fraction.length > 2 || !/^\d*$/.test(fraction)) return undefined;
  return `${whole}${fraction.padEnd(2, '0')}`.replace(/^0+(?=\d)/, '');
}

function words(title: string): Set<string> {
  return new Set(
    title
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length > 1),
  );
}

/** Loosely the same product name: "Kettle" and "Kettle | Shop" are, "Kettle" and "Mug" are not. */
export function sameProduct(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x.includes(y) || y.includes(x)) return true;
  const wa = words(a);
  const wb = words(b);
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  return shared > 0 && shared / Math.min(wa.size, wb.size) >= 0.5;
}

interface Ran {
  name: string;
  precedence: number;
  order: number;
  fields: ScoredFields;
}

/** Precedence of the extractor, then its position in the list. */
const rank = (a: Ran, b: Ran): number => a.precedence - b.precedence || a.order - b.order;

/** The structured price range (from another source) the displayed price lies inside, above its low end. */
function rangeHolding(usable: Ran[], displayed: unknown): PriceRange | undefined {
  const amount = Number(parsePrice(String(displayed)).amount);
  if (!(amount > 0)) return undefined;
  for (const r of usable) {
    const range = r.name === 'heuristics' ? undefined : r.fields.price?.range;
    if (range && amount > range.low && amount <= range.high) return range;
  }
  return undefined;
}

/**
 * Per field, the value with the highest confidence; a value several extractors agree on gains a
 * little, an identifier found in the page URL gains more, and ties go to the extractor with the
 * lower precedence number. With `explanation`, every candidate and adjustment is recorded there.
 */
function merge(
  ran: Ran[],
  url: string,
  chosen: ExtractionResult['chosen'],
  references: string[] = [],
  explanation?: Explanation,
): Fields {
  const ordered = ran.toSorted(rank);
  // A source naming another product (microdata on related-product cards while JSON-LD describes
  // the page's product) contributes nothing, so its price cannot fill a gap.
  const titled = ordered
    .filter((r) => r.fields.title && r.name !== 'heuristics')
    .toSorted((a, b) => (b.fields.title?.confidence ?? 0) - (a.fields.title?.confidence ?? 0) || rank(a, b));
  const anchor = titled[0]?.fields.title?.value;
  // Heuristics read the page itself (its heading may be a shop banner), so they always count.
  const usable = ordered.filter(
    (r) => !anchor || !r.fields.title || r.name === 'heuristics' || sameProduct(r.fields.title.value, anchor),
  );
  if (explanation)
    for (const r of ordered)
      if (!usable.includes(r))
        explanation.ignored.push({ source: r.name, title: String(r.fields.title?.value) });

  const merged: Fields = {};
  // Barcodes any source found as the GTIN, digits only.
  const barcodes = new Set(
    usable.flatMap((r) => {
      const gtin = r.fields.gtin?.value;
      return typeof gtin === 'string' && /^\d{8,14}$/.test(gtin) ? [gtin] : [];
    }),
  );
  // The price the page displays, and that amount in cents: structured data written in minor
  // units ("price": 129900 beside "₹1,299") is the same price.
  const shown = usable.find((r) => r.name === 'heuristics')?.fields.price;
  const shownKey = shown && hasValue(shown.value) ? valueKey('price', String(shown.value)) : undefined;
  const shownInCents = shownKey ? inCents(shownKey) : undefined;
  for (const field of SCALAR_FIELDS) {
    const groups = new Map<
      string,
      {
        best: Ran;
        entry: Scored<unknown>;
        count: number;
        displayed: boolean;
        key: string;
        sources: string[];
        /** The heuristics' text of this value, when they proposed it and it names a currency. */
        shownText?: string;
      }
    >();
    for (const r of usable) {
      let entry = r.fields[field] as Scored<unknown> | undefined;
      if (!entry || !hasValue(entry.value)) continue;
      let key = valueKey(field, String(entry.value));
      if (field === 'price' && shownInCents !== undefined && key === shownInCents && shown) {
        entry = { ...entry, value: shown.value };
        key = shownKey as string;
      }
      if (field === 'sku' && typeof entry.value === 'string') {
        const code = cleanIdentifier(entry.value);
        if (code !== entry.value) {
          entry = { ...entry, value: code };
          key = valueKey(field, code);
        }
      }
      const group = groups.get(key);
      const displayed = r.name === 'heuristics';
      const shownText =
        displayed && field === 'price' && parsePrice(String(entry.value)).currencyText
          ? String(entry.value)
          : undefined;
      // Which extractors agreed is kept only for explanations.
      if (!group)
        groups.set(key, {
          best: r,
          entry,
          count: 1,
          displayed,
          key,
          sources: explanation ? [r.name] : [],
          ...(shownText ? { shownText } : {}),
        });
      else {
        if (shownText) group.shownText = shownText;
        group.count++;
        group.displayed ||= displayed;
        if (explanation) group.sources.push(r.name);
        if (entry.confidence > group.entry.confidence) Object.assign(group, { best: r, entry });
      }
    }
    const shownPrice = field === 'price' && [...groups.values()].some((g) => g.displayed);
    const stale = new Set(shownPrice ? references.map((r) => valueKey('price', r)) : []);
    let winner: { source: string; value: unknown; confidence: number; ran: Ran } | undefined;
    let tieBroken = false;
    const candidates: CandidateExplanation[] = [];
    for (const group of groups.values()) {
      const notes: string[] = [];
      const agreement = Math.min(MAX_AGREEMENT_BONUS, AGREEMENT_BONUS * (group.count - 1));
      let confidence = group.entry.confidence + agreement;
      if (explanation && agreement > 0)
        notes.push(`${group.count} extractors agree +${agreement.toFixed(2)}`);
      // A "sku" that is the product's barcode (a GTIN another source found as such) is no shop
      // code when the page gives another one (Nykaa's and Tiki's states write the EAN as "sku").
      if (field === 'sku' && groups.size > 1 && barcodes.has(String(group.entry.value))) {
        confidence = Math.min(confidence, BARCODE_AS_SKU);
        if (explanation) notes.push(`the product's barcode (GTIN), not a shop code → ${BARCODE_AS_SKU}`);
      }
      if ((field === 'sku' || field === 'gtin') && urlCorroborates(String(group.entry.value), url)) {
        confidence += URL_BONUS;
        if (explanation) notes.push(`in the page URL +${URL_BONUS}`);
      }
      if (shownPrice && group.displayed && group.count > 1 && confidence < DISPLAYED_AND_CONFIRMED) {
        confidence = DISPLAYED_AND_CONFIRMED;
        if (explanation)
          notes.push(`the displayed price, confirmed by another source → ${DISPLAYED_AND_CONFIRMED}`);
      }
      // A range's low end is a "from" price; the displayed price inside the range is the variant shown.
      const inRange = shownPrice && group.displayed ? rangeHolding(usable, group.entry.value) : undefined;
      if (inRange && confidence < DISPLAYED_AND_CONFIRMED) {
        confidence = DISPLAYED_AND_CONFIRMED;
        if (explanation)
          notes.push(
            `the displayed price, inside the structured range ${inRange.low}–${inRange.high} → ${DISPLAYED_AND_CONFIRMED}`,
          );
      }
      if (shownPrice && !group.displayed && stale.has(group.key)) {
        confidence = Math.min(confidence, SHOWN_AS_REFERENCE);
        if (explanation)
          notes.push(`the page shows it crossed out or as a list price → ${SHOWN_AS_REFERENCE}`);
      }
      confidence = Math.min(1, confidence);
      if (explanation) {
        const sources = [group.best.name, ...group.sources.filter((s) => s !== group.best.name)];
        candidates.push({
          value: group.entry.value,
          sources,
          confidence: group.entry.confidence,
          merged: Math.round(confidence * 1000) / 1000,
          notes,
        });
      }
      const tie = winner !== undefined && Math.abs(confidence - winner.confidence) <= 1e-9;
      if (!winner || confidence > winner.confidence + 1e-9 || (tie && rank(group.best, winner.ran) < 0)) {
        tieBroken = tie;
        // The displayed text of the same amount, when the winning source gave a bare number and
        // no currency ("1450.00" beside "₱1,450.00"): its currency marker is the page's.
        const value =
          field === 'price' &&
          group.shownText !== undefined &&
          !group.best.fields.currency &&
          !parsePrice(String(group.entry.value)).currencyText
            ? group.shownText
            : group.entry.value;
        winner = { source: group.best.name, value, confidence, ran: group.best };
      } else if (tie) tieBroken = true;
    }
    // The URL names the variant shown where structured data describes the default one.
    const sibling = winner && field === 'sku' ? urlSibling(String(winner.value), url) : undefined;
    if (winner && sibling) {
      if (explanation)
        candidates.push({
          value: sibling,
          sources: ['url'],
          confidence: winner.confidence,
          merged: Math.round(winner.confidence * 1000) / 1000,
          notes: [`the variant the page URL names, beside ${winner.source}'s "${String(winner.value)}"`],
        });
      winner = { ...winner, value: sibling };
    }
    if (winner) {
      Object.assign(merged, { [field]: winner.value });
      const rounded = Math.round(winner.confidence * 1000) / 1000;
      chosen[field] = { source: winner.source, confidence: rounded };
      if (explanation) {
        candidates.sort((a, b) => b.merged - a.merged);
        explanation.fields[field] = {
          value: winner.value,
          source: winner.source,
          confidence: rounded,
          candidates,
          why:
            candidates.length === 1
              ? `the only value found (${candidates[0]?.sources.join(' + ') ?? winner.source})`
              : tieBroken
                ? `tied at ${rounded}; ${winner.source} ranks first among the tied extractors`
                : `highest confidence after adjustments (${rounded})`,
        };
      }
    }
  }
  for (const field of LIST_FIELDS) {
    const best = usable
      .filter((r) => hasValue(r.fields[field]?.value))
      .toSorted(
        (a, b) => (b.fields[field]?.confidence ?? 0) - (a.fields[field]?.confidence ?? 0) || rank(a, b),
      )[0];
    const entry = best?.fields[field];
    if (best && entry) {
      Object.assign(merged, { [field]: entry.value });
      chosen[field] = { source: best.name, confidence: entry.confidence };
    }
  }
  const attributes: Record<string, string> = {};
  for (const r of usable.toReversed()) Object.assign(attributes, r.fields.attributes?.value);
  merged.attributes = attributes;
  const canonical = ordered.find((r) => r.fields.canonicalUrl)?.fields.canonicalUrl?.value;
  if (canonical) merged.canonicalUrl = canonical;
  return merged;
}

/** Calibrated confidences for the fields a threshold may drop (calibration.ts). */
function calibrateChosen(
  chosen: ExtractionResult['chosen'],
  uncalibrated: Partial<Record<FieldName, number>>,
  explanation?: Explanation,
): void {
  for (const field of Object.keys(chosen) as FieldName[]) {
    const choice = chosen[field];
    if (!choice || !isCalibrated(field)) continue;
    const raw = choice.confidence;
    uncalibrated[field] = raw;
    choice.confidence = calibrate(field, choice.source, raw);
    const e = explanation?.fields[field];
    if (e && choice.confidence !== raw) {
      e.confidence = choice.confidence;
      e.why += `; calibrated ${raw} → ${choice.confidence} for ${choice.source} on the development sets`;
    }
  }
}

/**
 * Fields whose merged confidence is below the site's threshold are left empty: a wrong price is
 * worse than none. Returns the fields dropped.
 */
function applyThresholds(
  merged: Fields,
  chosen: ExtractionResult['chosen'],
  thresholds: ConfidenceThresholds | undefined,
  explanation?: Explanation,
): void {
  if (thresholds === undefined) return;
  for (const field of SCALAR_FIELDS) {
    const min = thresholdFor(thresholds, field);
    const choice = chosen[field];
    if (min === undefined || !choice || choice.confidence >= min) continue;
    delete merged[field];
    delete chosen[field];
    const e = explanation?.fields[field];
    if (e) {
      e.why = `left empty: ${e.source}'s ${e.confidence} is below the site's threshold ${min} (${e.why})`;
      delete e.value;
      delete e.source;
      delete e.confidence;
    }
  }
}

/** The result object; `explanation` only when one was asked for. */
function resultOf(
  product: RawProduct | null,
  parts: Omit<ExtractionResult, 'product' | 'explanation'> & { explanation: Explanation | undefined },
): ExtractionResult {
  const { sources, scored, chosen, uncalibrated, errors, explanation } = parts;
  return explanation
    ? { product, sources, scored, chosen, uncalibrated, errors, explanation }
    : { product, sources, scored, chosen, uncalibrated, errors };
}

/** What the heuristics weighed, under the fields they won or lost. */
function attachHeuristicNotes(explanation: Explanation, page: ExtractorPage): void {
  const notes = heuristicNotes(page);
  if (!notes) return;
  for (const [field, details] of Object.entries(notes.why)) {
    const e = explanation.fields[field as FieldName];
    if (e && details && details.length > 0) e.details = details.map((d) => `heuristics: ${d}`);
  }
}

/** The page's own name for itself, for pages whose product data carries no name. */
function fallbackTitle(document: AnyNode): string | undefined {
  const { h1, title } = indexPage(document);
  const heading = h1 ? cleanText(textOf(h1, 4000), 2000) : undefined;
  if (heading) return heading;
  return title ? cleanText(textOf(title, 4000), 2000) : undefined;
}

/** A plugin's answer cut to what the pipeline accepts: known fields, well-formed, bounded. */
function sanitiseFound(found: unknown): ScoredFields | null {
  if (typeof found !== 'object' || found === null) return null;
  const plain: Record<string, unknown> = {};
  const confidence: Record<string, number> = {};
  for (const [key, entry] of Object.entries(found)) {
    if (!isScored(entry)) continue;
    plain[key] = entry.value;
    confidence[key] = Math.min(1, Math.max(0, Number.isFinite(entry.confidence) ? entry.confidence : 0));
  }
  const bounded = bound(plain as Fields) as Record<string, unknown>;
  const out: Record<string, Scored<unknown>> = {};
  for (const [key, value] of Object.entries(bounded))
    if (hasValue(value)) out[key] = { value, confidence: confidence[key] ?? 0 };
  // A price's range, when it is one: two finite amounts, the first below the second.
  const range = (found as { price?: { range?: { low?: unknown; high?: unknown } } }).price?.range;
  if (
    out.price &&
    range &&
    typeof range.low === 'number' &&
    typeof range.high === 'number' &&
    Number.isFinite(range.high) &&
    range.low > 0 &&
    range.low < range.high
  )
    out.price.range = { low: range.low, high: range.high };
  return Object.keys(out).length > 0 ? (out as ScoredFields) : null;
}

/**
 * The page as extractors see it. Cheerio is built only when an extractor reads `$` (the built-in
 * ones walk `document`). A class rather than an object literal with a getter: a closure created
 * per page kept every page's tree alive through V8's young-generation collections, which added
 * half to the time per page in bench/extract.ts.
 */
class LoadedPage implements ExtractorPage {
  #cheerio: CheerioAPI | undefined;
  renderedHtml?: string;
  /** Extractors that can say why they chose a value do so when this is set (heuristics.ts). */
  explain?: boolean;

  constructor(
    readonly url: string,
    readonly html: string,
    readonly document: Document,
    readonly rules: ExtractionRules,
    readonly errors: string[],
  ) {}

  get $(): CheerioAPI {
    this.#cheerio ??= load(this.document);
    return this.#cheerio;
  }
}

/**
 * Extracts the product a page shows. Every enabled extractor runs (built-in ones, then
 * plugins); each field of the result comes from the extractor most confident of it (see
 * `merge`). In mode "selectors" only the selectors (and plugins) count. A page is a product page
 * only with a title and a price, SKU or availability. Never throws: problems go to `errors`.
 */
export function extractProduct(request: ExtractRequest): ExtractionResult {
  const errors: string[] = [];
  const sources: Record<string, Fields> = {};
  const scored: Record<string, ScoredFields> = {};
  const chosen: ExtractionResult['chosen'] = {};
  const rules = request.rules ?? {};
  try {
    let html = request.renderedHtml ?? request.html ?? '';
    if (html.length > MAX_HTML) {
      errors.push(`page truncated to ${MAX_HTML} characters from ${html.length}`);
      html = html.slice(0, MAX_HTML);
    }
    // The caller's tree serves only if it was parsed from the HTML the extractors see: not when a
    // rendered page replaces the served one, nor when the page was cut to MAX_HTML.
    const document = (html === request.html ? request.document : undefined) ?? parsePage(html);
    const page = new LoadedPage(request.url, html, document, rules, errors);
    if (request.renderedHtml !== undefined) page.renderedHtml = request.renderedHtml;
    if (request.explain) page.explain = true;
    const extractors = request.extractors ?? builtInExtractors(rules);
    const ran: Ran[] = [];
    extractors.forEach((extractor, order) => {
      try {
        const found = sanitiseFound(extractor.extract(page));
        if (!found) return;
        scored[extractor.name] = found;
        sources[extractor.name] = plainFields(found);
        ran.push({ name: extractor.name, precedence: extractor.precedence ?? 50, order, fields: found });
      } catch (error) {
        errors.push(`${extractor.name}: ${String((error as Error)?.message ?? error).slice(0, 300)}`);
      }
    });

    const explanation = request.explain ? emptyExplanation() : undefined;
    const merged = merge(ran, request.url, chosen, referencePrices(page), explanation);
    if (explanation) attachHeuristicNotes(explanation, page);
    // A "$" on a Chilean shop is a peso: the page's locale decides a shared or missing symbol.
    if (!rules.currency && (rules.mode ?? 'auto') === 'auto' && merged.price) {
      const displayed = scored.heuristics?.price?.value;
      const currency = chooseCurrency(merged.currency, merged.price, document, request.url, displayed);
      if (currency) {
        const from = merged.currency;
        merged.currency = currency.currency;
        chosen.currency = { source: 'locale', confidence: currency.confidence };
        if (explanation)
          explanation.fields.currency = {
            value: currency.currency,
            source: 'locale',
            confidence: currency.confidence,
            candidates: explanation.fields.currency?.candidates ?? [],
            why: `${from ? `"${from}" ` : ''}${currency.because}`,
          };
      }
    }
    const uncalibrated: Partial<Record<FieldName, number>> = {};
    calibrateChosen(chosen, uncalibrated, explanation);
    applyThresholds(merged, chosen, rules.minConfidence, explanation);
    const done = { sources, scored, chosen, uncalibrated, errors, explanation };
    const evidence = Boolean(merged.price || merged.sku || merged.availability);
    if (!evidence) return resultOf(null, done);
    if (!merged.title) {
      const title = fallbackTitle(document);
      if (title) {
        sources.fallback = { title };
        merged.title = title;
        chosen.title = { source: 'fallback', confidence: 0.3 };
      }
    }
    if (!merged.title) return resultOf(null, done);

    const parsed = rawProductSchema.safeParse({ ...merged, url: request.url });
    if (!parsed.success) {
      errors.push(
        `product rejected: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
      return resultOf(null, done);
    }
    return resultOf(parsed.data, done);
  } catch (error) {
    errors.push(`extraction failed: ${(error as Error).message.slice(0, 300)}`);
    return { product: null, sources, scored, chosen, errors };
  }
}
