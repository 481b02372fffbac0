import type { SearchQuery } from '../catalog/types.ts';

// The schema's defaults: left out of URLs to keep them short and canonical.
const defaults = { sort: 'relevance', page: 1, pageSize: 24 } as const;

/**
 * Link to /search for `query` with `changes` applied. Any change of filters goes back to
 * page 1 (the old page may not exist any more) unless the change is the page itself.
 * Brands are written as repeated params so a brand name containing a comma survives.
 */
export function searchHref(query: Partial<SearchQuery>, changes: Partial<SearchQuery> = {}): string {
  const next: Partial<SearchQuery> = { ...query, page: 1, ...changes };
  const params = new URLSearchParams();
  for (const [name, value] of searchParamEntries(next)) params.append(name, value);
  const text = params.toString();
  return text ? `/search?${text}` : '/search';
}

/** The query as name/value pairs without defaults, for links and hidden form fields. */
export function searchParamEntries(query: Partial<SearchQuery>): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  if (query.q) entries.push(['q', query.q]);
  if (query.category) entries.push(['category', query.category]);
  for (const brand of query.brand ?? []) entries.push(['brand', brand]);
  if (query.minPrice !== undefined) entries.push(['minPrice', String(query.minPrice)]);
  if (query.maxPrice !== undefined) entries.push(['maxPrice', String(query.maxPrice)]);
  if (query.inStock) entries.push(['inStock', 'true']);
  if (query.minRating !== undefined) entries.push(['minRating', String(query.minRating)]);
  if (query.currency) entries.push(['currency', query.currency]);
  if (query.site) entries.push(['site', query.site]);
  if (query.sort && query.sort !== defaults.sort) entries.push(['sort', query.sort]);
  if (query.page && query.page !== defaults.page) entries.push(['page', String(query.page)]);
  if (query.pageSize && query.pageSize !== defaults.pageSize)
    entries.push(['pageSize', String(query.pageSize)]);
  return entries;
}

/**
 * URL query → input for searchQuerySchema. Empty form fields are dropped (an empty
 * "minPrice" means "no minimum", not 0); brand is always an array, see searchHref.
 */
export function searchInput(queries: Record<string, string[]>): Record<string, string | string[]> {
  const input: Record<string, string | string[]> = {};
  for (const [name, values] of Object.entries(queries)) {
    const present = values.filter((v) => v.trim() !== '');
    if (present.length === 0) continue;
    input[name] = name === 'brand' ? present : present[0]!;
  }
  return input;
}

export function productHref(id: string): string {
  return `/product/${encodeURIComponent(id)}`;
}
