import { diffLines } from 'diff';

export interface DiffLine {
  kind: 'add' | 'remove' | 'same' | 'gap';
  text: string;
}

/** Unchanged lines kept around each change; longer unchanged runs fold into one "gap" line. */
const CONTEXT = 3;

/** A line diff of two texts (two versions' rules as JSON), with unchanged stretches folded. */
export function ruleDiff(before: string, after: string): DiffLine[] {
  const lines: DiffLine[] = [];
  for (const part of diffLines(before, after)) {
    const kind = part.added ? 'add' : part.removed ? 'remove' : 'same';
    for (const text of part.value.replace(/\n$/, '').split('\n')) lines.push({ kind, text });
  }
  if (!lines.some((l) => l.kind !== 'same')) return [];
  const keep = lines.map(
    (l, i) =>
      lines.slice(Math.max(0, i - CONTEXT), i + CONTEXT + 1).some((near) => near.kind !== 'same') ||
      l.kind !== 'same',
  );
  const folded: DiffLine[] = [];
  let skipped = 0;
  lines.forEach((line, i) => {
    if (keep[i]) {
      if (skipped)
        folded.push({ kind: 'gap', text: `… ${skipped} unchanged line${skipped === 1 ? '' : 's'}` });
      skipped = 0;
      folded.push(line);
    } else skipped++;
  });
  if (skipped) folded.push({ kind: 'gap', text: `… ${skipped} unchanged line${skipped === 1 ? '' : 's'}` });
  return folded;
}
