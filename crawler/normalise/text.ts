// \s covers NBSP, narrow NBSP and the other Unicode spaces; zero-width characters are
// added because shops use them as invisible separators that break equality checks.
const WHITESPACE_RUN = /(?:\s|\u200b|\u200c|\u200d|\u2060|\ufeff)+/g;

export function collapseWhitespace(text: string): string {
  return text.replace(WHITESPACE_RUN, ' ').trim();
}

/** Cuts to at most `max` UTF-16 units without leaving half of a surrogate pair behind. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
  return text.slice(0, end);
}

/** Whitespace-collapsed, truncated, or undefined when nothing is left. */
export function cleanText(value: string | null | undefined, max: number): string | undefined {
  if (value == null) return undefined;
  const text = truncate(collapseWhitespace(value), max);
  return text === '' ? undefined : text;
}
