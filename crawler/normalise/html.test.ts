import { describe, expect, it } from 'vitest';
import { collapseWhitespace, sanitiseDescription, truncate } from './html.ts';

describe('sanitiseDescription', () => {
  it('keeps the allowed tags without attributes and drops the rest', () => {
    const html =
      '<div class="x"><p style="color:red" onclick="x()">Boils <strong>fast</strong> <a href="/x">here</a></p>' +
      '<ul><li>1.7 l</li><li><em>steel</em></li></ul><img src=x onerror=alert(1)><script>alert(1)</script><style>p{}</style></div>';
    expect(sanitiseDescription(html)).toBe(
      '<p>Boils <strong>fast</strong> here</p><ul><li>1.7 l</li><li><em>steel</em></li></ul>',
    );
  });

  it('escapes plain text and collapses whitespace', () => {
    expect(sanitiseDescription('  Tom & Jerry\n\n  <3  ')).toBe('Tom &amp; Jerry &lt;3');
  });

  it('caps the length without leaving broken markup', () => {
    const long = `<p>${'word '.repeat(50_000)}</p>`;
    const out = sanitiseDescription(long, 1000);
    expect(out.length).toBeLessThanOrEqual(1000);
    expect(out.startsWith('<p>word')).toBe(true);
    expect(out.endsWith('</p>')).toBe(true);
  });

  it('returns empty text for nothing', () => {
    expect(sanitiseDescription('')).toBe('');
    expect(sanitiseDescription(null)).toBe('');
    expect(sanitiseDescription('<script>only()</script>')).toBe('');
  });
});

describe('text helpers', () => {
  it('collapses all kinds of whitespace', () => {
    expect(collapseWhitespace(' a\u00a0\u202f b\n\tc\u200b ')).toBe('a b c');
  });

  it('truncates without splitting surrogate pairs', () => {
    expect(truncate('ab😀', 3)).toBe('ab');
    expect(truncate('abc', 5)).toBe('abc');
  });
});
