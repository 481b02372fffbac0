/**
 * Why extraction chose what it chose, field by field: every value an extractor proposed, which
 * extractors agreed on it, its confidence before and after the merge's adjustments, and why the
 * winner won. Built only when asked (`trawl extract --explain`, the rule preview), so the crawl's
 * hot path allocates none of it.
 */
import type { FieldName } from './types.ts';

export interface CandidateExplanation {
  value: unknown;
  /** Extractors that found this value, the most confident first. */
  sources: string[];
  /** The most confident extractor's own confidence. */
  confidence: number;
  /** After agreement, URL and displayed-price adjustments. */
  merged: number;
  notes: string[];
}

export interface FieldExplanation {
  /** The value taken; absent when the field was left empty. */
  value?: unknown;
  source?: string;
  confidence?: number;
  candidates: CandidateExplanation[];
  why: string;
  /** What the winning extractor itself weighed (heuristics: other prices, stock evidence). */
  details?: string[];
}

export interface Explanation {
  fields: Partial<Record<FieldName, FieldExplanation>>;
  /** Extractors left out because they name another product than the page's. */
  ignored: { source: string; title: string }[];
}

export function emptyExplanation(): Explanation {
  return { fields: {}, ignored: [] };
}

const show = (value: unknown): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
};

/** The explanation as text for a terminal: one block per field. */
export function formatExplanation(explanation: Explanation): string {
  const lines: string[] = [];
  for (const [field, e] of Object.entries(explanation.fields)) {
    if (!e) continue;
    const head =
      e.value === undefined
        ? `${field}: (empty)`
        : `${field}: ${show(e.value)}  ← ${e.source} ${e.confidence?.toFixed(2)}`;
    lines.push(head, `  why: ${e.why}`);
    for (const c of e.candidates)
      lines.push(
        `  - ${show(c.value)}  ${c.sources.join(' + ')}  ${c.confidence.toFixed(2)} → ${c.merged.toFixed(2)}${c.notes.length > 0 ? `  (${c.notes.join('; ')})` : ''}`,
      );
    for (const d of e.details ?? []) lines.push(`    · ${d}`);
  }
  for (const i of explanation.ignored)
    lines.push(`ignored: ${i.source}, which names another product ("${show(i.title)}")`);
  return lines.join('\n');
}
