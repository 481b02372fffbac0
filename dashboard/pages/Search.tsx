import type { FC } from 'hono/jsx';
import type { SearchQuery, SearchResult } from '../../catalog/types.ts';
import { Facets, HiddenFields } from '../components/Facets.tsx';
import { Pagination } from '../components/Pagination.tsx';
import { ProductGrid } from '../components/ProductCard.tsx';
import { formatPrice, formatWhole } from '../format.ts';
import { Layout } from '../layout.tsx';
import { searchHref } from '../urls.ts';

const sortOptions: Array<[SearchQuery['sort'], string]> = [
  ['relevance', 'Best match'],
  ['price_asc', 'Price: low to high'],
  ['price_desc', 'Price: high to low'],
  ['newest', 'Newest'],
  ['rating', 'Best rated'],
];

/**
 * The search already matched the corrected words; this line says so, and offers the other
 * candidates for a misspelt word as one-click searches.
 */
const Corrections: FC<{ query: SearchQuery; tokens: string[]; corrections: SearchResult['corrections'] }> = ({
  query,
  tokens,
  corrections,
}) => {
  const misspelt = tokens.filter((t) => (corrections[t]?.length ?? 0) > 0);
  if (misspelt.length === 0) return null;
  const corrected = tokens.map((t) => corrections[t]?.[0] ?? t).join(' ');
  const alternatives = misspelt.flatMap((t) =>
    (corrections[t] ?? [])
      .slice(1)
      .map((word) => tokens.map((u) => (u === t ? word : (corrections[u]?.[0] ?? u))).join(' ')),
  );
  return (
    <p class="did-you-mean" role="status">
      Showing results for{' '}
      <a href={searchHref(query, { q: corrected })}>
        <strong>{corrected}</strong>
      </a>{' '}
      — nothing matched “{misspelt.join(' ')}” exactly.
      {alternatives.length > 0 ? (
        <>
          {' '}
          Did you mean{' '}
          {alternatives.slice(0, 3).map((alt, i) => (
            <>
              {i > 0 ? ', ' : ''}
              <a href={searchHref(query, { q: alt })}>{alt}</a>
            </>
          ))}
          ?
        </>
      ) : null}
    </p>
  );
};

/** Removable chips for every active filter. */
const ActiveFilters: FC<{ query: SearchQuery }> = ({ query }) => {
  const chips: Array<{ label: string; href: string }> = [];
  if (query.category) chips.push({ label: query.category, href: searchHref(query, { category: undefined }) });
  for (const brand of query.brand ?? []) {
    const rest = (query.brand ?? []).filter((b) => b !== brand);
    chips.push({ label: brand, href: searchHref(query, { brand: rest.length ? rest : undefined }) });
  }
  if (query.minPrice !== undefined || query.maxPrice !== undefined) {
    const min = query.minPrice === undefined ? null : formatPrice(query.minPrice, query.currency ?? null);
    const max =
      query.maxPrice === undefined
        ? null
        : formatPrice(Math.ceil(query.maxPrice * 100) / 100, query.currency ?? null);
    const label = min && max ? `${min} – ${max}` : min ? `From ${min}` : `Up to ${max}`;
    chips.push({ label, href: searchHref(query, { minPrice: undefined, maxPrice: undefined }) });
  }
  if (query.inStock) chips.push({ label: 'In stock', href: searchHref(query, { inStock: undefined }) });
  if (chips.length === 0) return null;
  return (
    <div class="active-filters">
      {chips.map((chip) => (
        <a class="chip chip-active" href={chip.href} title="Remove filter">
          {chip.label}
          <span aria-hidden="true" class="chip-x">
            ×
          </span>
        </a>
      ))}
      <a class="clear-all" href={searchHref({ q: query.q })}>
        Clear all
      </a>
    </div>
  );
};

const SortForm: FC<{ query: SearchQuery }> = ({ query }) => (
  <form class="sort" method="get" action="/search">
    <HiddenFields query={query} omit={['sort', 'page']} />
    <label for="sort">Sort by</label>
    <select id="sort" name="sort" data-autosubmit>
      {sortOptions.map(([value, label]) => (
        <option value={value} selected={query.sort === value}>
          {label}
        </option>
      ))}
    </select>
    <button type="submit" class="button button-small" data-autosubmit-button>
      Apply
    </button>
  </form>
);

function heading(query: SearchQuery): string {
  if (query.q) return `Results for “${query.q}”`;
  if (query.category) return query.category;
  return 'All products';
}

/** `tokens` are the query's words as search read them (for "did you mean"). */
export const SearchPage: FC<{ query: SearchQuery; result: SearchResult; tokens: string[] }> = ({
  query,
  result,
  tokens,
}) => {
  const from = (result.page - 1) * result.pageSize + 1;
  const to = from + result.items.length - 1;
  // Past the cap the engine stops counting: "10,000+", as the big engines say.
  const totalText = `${formatWhole(result.total)}${result.totalExact ? '' : '+'}`;
  const hasFilters =
    Boolean(query.category || query.brand?.length || query.inStock) ||
    query.minPrice !== undefined ||
    query.maxPrice !== undefined;
  return (
    <Layout title={query.q ? `${query.q} — search` : heading(query)} q={query.q}>
      <div class="search-head">
        <h1>{heading(query)}</h1>
        <p class="result-count" data-total={result.total}>
          {result.items.length > 0
            ? `Showing ${formatWhole(from)}–${formatWhole(to)} of ${totalText} ${result.total === 1 && result.totalExact ? 'result' : 'results'}`
            : `${totalText} results`}
        </p>
        <Corrections query={query} tokens={tokens} corrections={result.corrections} />
      </div>
      <div class="search-layout">
        <Facets query={query} facets={result.facets} estimated={!result.facetsExhaustive} />
        <section class="results" aria-label="Results">
          <div class="toolbar">
            <ActiveFilters query={query} />
            <SortForm query={query} />
          </div>
          {result.items.length > 0 ? (
            <>
              <ProductGrid products={result.items} />
              <Pagination query={query} total={result.total} />
            </>
          ) : (
            <div class="empty">
              <h2>{query.q ? `No products match “${query.q}”` : 'No products match these filters'}</h2>
              <p>
                {result.total > 0
                  ? 'This page is past the last result.'
                  : hasFilters
                    ? 'Try removing a filter or widening the price range.'
                    : 'Check the spelling or try a more general word.'}
              </p>
              <p>
                {result.total > 0 ? (
                  <a class="button" href={searchHref(query, { page: 1 })}>
                    Back to the first page
                  </a>
                ) : hasFilters ? (
                  <a class="button" href={searchHref({ q: query.q })}>
                    Clear all filters
                  </a>
                ) : (
                  <a class="button" href="/search">
                    Browse all products
                  </a>
                )}
              </p>
            </div>
          )}
        </section>
      </div>
    </Layout>
  );
};
