import { describe, expect, it } from 'vitest';
import type { SearchQuery } from '../../catalog/types.ts';
import { Facets } from './Facets.tsx';

const facets = {
  category: [{ value: 'Lighting', count: 4700 }],
  brand: [{ value: 'Sundby', count: 1200 }],
  availability: [{ value: 'InStock', count: 4100 }],
  price: [{ min: 25, max: 50, count: 930 }],
};

const query: SearchQuery = { q: 'light', sort: 'relevance', page: 1, pageSize: 24 };
const render = (estimated?: boolean) =>
  String(<Facets query={query} facets={facets} estimated={estimated} />);

describe('facet counts', () => {
  it('are marked as estimates when the search counted a sample', () => {
    const html = render(true);
    expect(html).toContain('≈4,700');
    expect(html).toContain('title="about 1,200"');
    expect(render(false)).not.toContain('≈');
    expect(render(false)).toContain('>4,700<');
  });
});
