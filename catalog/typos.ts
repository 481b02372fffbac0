/**
 * Typo tolerance: which catalog words a misspelt query word may stand for.
 *
 * A word is corrected only when the catalog does not know it. Candidates come from two
 * lookups in the catalog's word list (search_word): its trigram nearest neighbours, which find
 * most substitutions, insertions and deletions, and the exact spellings one transposition or
 * deletion away, which trigrams miss in short words ("lmap" shares one trigram with "lamp").
 * Every candidate is then re-checked with the optimal string alignment distance (a
 * transposition of two adjacent letters is one edit) against a budget that grows with the
 * word's length, and a stop word is never a correction ("ligth" is not "with").
 */

/** Words too common to be what a shopper meant when they misspelt something. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been but by can do does for from had has have he her his how i if in into is it ' +
    'its me my no not of off on or our out over she so than that the their them then there these they this ' +
    'those to too up us was we were what when where which who why will with you your ' +
    // German, French, Spanish and Dutch articles and prepositions shops write in titles.
    'der die das und mit fur von ein eine le la les des du un une et avec pour el los las con para y de en het een'
  ).split(' '),
);

/** Edits allowed for a misspelt word of this length (none below four letters). */
export function typoBudget(length: number): number {
  if (length < 4) return 0;
  return length >= 9 ? 2 : 1;
}

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions as one edit. */
export function osaDistance(a: string, b: string, cap = Number.POSITIVE_INFINITY): number {
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > cap) return cap + 1;
  let prevPrev = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let current = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(prev[j]! + 1, current[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, prevPrev[j - 2]! + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > cap) return cap + 1;
    [prevPrev, prev, current] = [prev, current, prevPrev];
  }
  return prev[n]!;
}

/** Spellings one adjacent transposition or one deletion away (the ones trigrams miss). */
export function nearSpellings(word: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i + 1 < word.length; i++) {
    if (word[i] !== word[i + 1]) out.add(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
  }
  for (let i = 0; i < word.length; i++) out.add(word.slice(0, i) + word.slice(i + 1));
  out.delete(word);
  return [...out].filter((w) => w.length >= 2);
}

/** Whether a query word may be corrected at all: long enough, letters only (not a model number). */
export function correctable(token: string): boolean {
  return typoBudget(token.length) > 0 && /^\p{L}+$/u.test(token) && !STOP_WORDS.has(token);
}

/**
 * The corrections for one unknown word, best first: within its budget, never a stop word,
 * ordered by edits, then by how many letters the two share at the start, then alphabetically.
 */
export function rankCorrections(token: string, candidates: Iterable<string>, max = 4): string[] {
  const budget = typoBudget(token.length);
  const scored: Array<{ word: string; distance: number; prefix: number }> = [];
  for (const word of new Set(candidates)) {
    if (word === token || STOP_WORDS.has(word) || word.length < 3) continue;
    const distance = osaDistance(token, word, budget);
    if (distance > budget) continue;
    let prefix = 0;
    while (prefix < word.length && word[prefix] === token[prefix]) prefix++;
    scored.push({ word, distance, prefix });
  }
  scored.sort(
    (a, b) =>
      a.distance - b.distance || b.prefix - a.prefix || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0),
  );
  return scored.slice(0, max).map((s) => s.word);
}
