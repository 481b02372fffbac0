import { describe, expect, it } from 'vitest';
import { ruleDiff } from './rule-diff.ts';

describe('ruleDiff', () => {
  it('shows changed lines with context and folds long unchanged stretches', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    const after = before.replace('line 10', 'line ten');
    const diff = ruleDiff(before, after);
    expect(diff.filter((l) => l.kind === 'remove')).toEqual([{ kind: 'remove', text: 'line 10' }]);
    expect(diff.filter((l) => l.kind === 'add')).toEqual([{ kind: 'add', text: 'line ten' }]);
    expect(diff[0]).toEqual({ kind: 'gap', text: '… 7 unchanged lines' });
    expect(diff.at(-1)).toEqual({ kind: 'gap', text: '… 6 unchanged lines' });
    expect(diff.filter((l) => l.kind === 'same')).toHaveLength(6);
  });

  it('is empty when nothing changed', () => {
    expect(ruleDiff('{\n  "a": 1\n}', '{\n  "a": 1\n}')).toEqual([]);
  });
});
