import { describe, expect, it } from 'vitest';
import { correctable, nearSpellings, osaDistance, rankCorrections, typoBudget } from './typos.ts';

describe('typos', () => {
  it('counts an adjacent transposition as one edit', () => {
    expect(osaDistance('lmap', 'lamp')).toBe(1);
    expect(osaDistance('headphnoes', 'headphones')).toBe(1);
    expect(osaDistance('ligth', 'light')).toBe(1);
    expect(osaDistance('ligth', 'with')).toBe(2);
    expect(osaDistance('kitten', 'sitting')).toBe(3);
    expect(osaDistance('abc', 'abc')).toBe(0);
    expect(osaDistance('abcdef', 'a', 1)).toBe(2);
  });

  it('allows more edits for longer words, none for short ones or model numbers', () => {
    expect(typoBudget(3)).toBe(0);
    expect(typoBudget(4)).toBe(1);
    expect(typoBudget(9)).toBe(2);
    expect(correctable('lmap')).toBe(true);
    expect(correctable('s500')).toBe(false);
    expect(correctable('with')).toBe(false);
  });

  it('spells the transpositions and deletions trigrams miss', () => {
    expect(nearSpellings('lmap')).toEqual(expect.arrayContaining(['lamp', 'mlap', 'lmpa', 'map', 'lap']));
  });

  it('ranks corrections by edits, never a stop word', () => {
    expect(rankCorrections('ligth', ['with', 'light', 'tight', 'lights'])).toEqual(['light']);
    expect(rankCorrections('espreso', ['espresso', 'express', 'press'])).toEqual(['espresso']);
    expect(rankCorrections('backpak', ['backpack', 'backpacks'])).toEqual(['backpack']);
  });
});
