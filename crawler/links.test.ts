import { describe, expect, it } from 'vitest';
import { parsePage as load } from './extract/dom.ts';
import { pageLinks } from './links.ts';

describe('pageLinks', () => {
  it('resolves hrefs against the page URL and skips what is no URL', () => {
    const $ = load(`<a href="/p/1">one</a><a href=" p/2 ">two</a><a>no href</a><a href="">empty</a>
      <a href="https://other.test/x#top">abs</a><a href="http://[bad">bad</a><a href="mailto:a@b.c">mail</a>`);
    expect(pageLinks($, 'https://shop.test/c/shoes')).toEqual([
      'https://shop.test/p/1',
      'https://shop.test/c/p/2',
      'https://other.test/x#top',
      'mailto:a@b.c',
    ]);
  });

  it('uses <base href> when the page has a valid one', () => {
    const withBase = load('<head><base href="https://cdn.shop.test/store/"></head><a href="item">x</a>');
    expect(pageLinks(withBase, 'https://shop.test/')).toEqual(['https://cdn.shop.test/store/item']);
    const badBase = load('<head><base href="http://[bad"></head><a href="item">x</a>');
    expect(pageLinks(badBase, 'https://shop.test/dir/')).toEqual(['https://shop.test/dir/item']);
  });
});
