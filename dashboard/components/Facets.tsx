import type { FC, PropsWithChildren } from 'hono/jsx';
import type { SearchQuery, SearchResult } from '../../catalog/types.ts';
import { formatWhole } from '../format.ts';
import { searchHref, searchParamEntries } from '../urls.ts';

/** Facet values shown before the rest folds into "Show more". */
const VISIBLE = 8;

type FacetValue = { value: string; count: number };

/**
 * Price buckets are half-open ([25, 50)) while maxPrice is inclusive, so the link stops one
 * ten-thousandth (the catalog's price precision) below the next bucket's lower bound.
 */
export function bucketMax(max: number | null): number | undefined {
  return max === null ? undefined : Math.round((max - 0.0001) * 10_000) / 10_000;
}

function bucketLabel(min: number, max: number | null): string {
  if (max === null) return `${formatWhole(min)} and above`;
  if (min === 0) return `Under ${formatWhole(max)}`;
  return `${formatWhole(min)} – ${formatWhole(max)}`;
}

const Section: FC<PropsWithChildren<{ title: string }>> = ({ title, children }) => (
  <section class="facet">
    <h2 class="facet-title">{title}</h2>
    {children}
  </section>
);

/**
 * A filter is a link, not a form control: it works without JS, can be opened in a new tab,
 * and the page it leads to is the filtered result. nofollow keeps crawlers out of the
 * combinatorial space of filter URLs.
 */
const Toggle: FC<{
  href: string;
  label: string;
  count?: number;
  on: boolean;
  kind: 'check' | 'radio';
  approx?: boolean;
}> = ({ href, label, count, on, kind, approx }) => (
  <li>
    <a
      class={`toggle toggle-${kind}${on ? ' on' : ''}`}
      href={href}
      aria-current={on ? 'true' : undefined}
      rel="nofollow"
    >
      <span class="toggle-box" aria-hidden="true" />
      <span class="toggle-label">{label}</span>
      {count === undefined ? null : approx ? (
        <span class="toggle-count" title={`about ${formatWhole(count)}`}>
          ≈{formatWhole(count)}
        </span>
      ) : (
        <span class="toggle-count">{formatWhole(count)}</span>
      )}
    </a>
  </li>
);

/** First values in a list, the rest behind a <details> so long facets work without JS. */
const FoldedList: FC<{ values: FacetValue[]; render: (value: FacetValue) => unknown }> = ({
  values,
  render,
}) => {
  const head = values.slice(0, VISIBLE);
  const tail = values.slice(VISIBLE);
  return (
    <>
      <ul class="facet-list">{head.map(render)}</ul>
      {tail.length > 0 ? (
        <details class="facet-more">
          <summary>Show {tail.length} more</summary>
          <ul class="facet-list">{tail.map(render)}</ul>
        </details>
      ) : null}
    </>
  );
};

/** `estimated`: the counts are a sample's scaled to the estimated matches (facetsExhaustive false). */
export const Facets: FC<{ query: SearchQuery; facets: SearchResult['facets']; estimated?: boolean }> = ({
  query,
  facets,
  estimated = false,
}) => {
  const brands = query.brand ?? [];
  // Selected values stay visible even when the other filters leave them with no hits.
  const brandValues = [
    ...brands.filter((b) => !facets.brand.some((f) => f.value === b)).map((value) => ({ value, count: 0 })),
    ...facets.brand,
  ];
  const categoryValues =
    query.category && !facets.category.some((f) => f.value === query.category)
      ? [{ value: query.category, count: 0 }, ...facets.category]
      : facets.category;
  const inStockCount = facets.availability.find((f) => f.value === 'InStock')?.count ?? 0;
  const active =
    (query.category ? 1 : 0) +
    brands.length +
    (query.inStock ? 1 : 0) +
    (query.minRating !== undefined ? 1 : 0) +
    (query.minPrice !== undefined || query.maxPrice !== undefined ? 1 : 0);

  // Open by default: on narrow screens the page script folds it so results come first.
  return (
    <aside class="facets" aria-label="Filters">
      <details open data-collapse-narrow>
        <summary class="facets-summary">Filters{active > 0 ? ` (${active})` : ''}</summary>
        <Section title="Availability">
          <ul class="facet-list">
            <Toggle
              approx={estimated}
              kind="check"
              href={searchHref(query, { inStock: query.inStock ? undefined : true })}
              label="In stock only"
              count={inStockCount}
              on={Boolean(query.inStock)}
            />
          </ul>
        </Section>

        <Section title="Rating">
          <ul class="facet-list">
            {[4, 3].map((stars) => (
              <Toggle
                kind="radio"
                href={searchHref(query, { minRating: query.minRating === stars ? undefined : stars })}
                label={`${stars} stars and up`}
                on={query.minRating === stars}
              />
            ))}
          </ul>
        </Section>

        {categoryValues.length > 0 ? (
          <Section title="Category">
            <FoldedList
              values={categoryValues}
              render={(f) => (
                <Toggle
                  approx={estimated}
                  kind="radio"
                  href={searchHref(query, { category: query.category === f.value ? undefined : f.value })}
                  label={f.value}
                  count={f.count}
                  on={query.category === f.value}
                />
              )}
            />
          </Section>
        ) : null}

        {brandValues.length > 0 ? (
          <Section title="Brand">
            <FoldedList
              values={brandValues}
              render={(f) => {
                const on = brands.includes(f.value);
                const next = on ? brands.filter((b) => b !== f.value) : [...brands, f.value];
                return (
                  <Toggle
                    approx={estimated}
                    kind="check"
                    href={searchHref(query, { brand: next.length ? next : undefined })}
                    label={f.value}
                    count={f.count}
                    on={on}
                  />
                );
              }}
            />
          </Section>
        ) : null}

        <Section title="Price">
          {facets.price.length > 0 ? (
            <ul class="facet-list">
              {facets.price.map((bucket) => {
                const min = bucket.min === 0 ? undefined : bucket.min;
                const max = bucketMax(bucket.max);
                const on = query.minPrice === min && query.maxPrice === max;
                return (
                  <Toggle
                    approx={estimated}
                    kind="radio"
                    href={searchHref(
                      query,
                      on ? { minPrice: undefined, maxPrice: undefined } : { minPrice: min, maxPrice: max },
                    )}
                    label={bucketLabel(bucket.min, bucket.max)}
                    count={bucket.count}
                    on={on}
                  />
                );
              })}
            </ul>
          ) : null}
          <PriceRangeForm query={query} />
        </Section>
      </details>
    </aside>
  );
};

/** Custom min/max: a GET form carrying the other filters as hidden fields. */
const PriceRangeForm: FC<{ query: SearchQuery }> = ({ query }) => (
  <form class="price-range" method="get" action="/search">
    <HiddenFields query={query} omit={['minPrice', 'maxPrice', 'page']} />
    <label>
      <span class="sr-only">Minimum price</span>
      <input
        type="number"
        name="minPrice"
        min="0"
        step="any"
        placeholder="Min"
        value={query.minPrice ?? ''}
      />
    </label>
    <span aria-hidden="true">–</span>
    <label>
      <span class="sr-only">Maximum price</span>
      <input
        type="number"
        name="maxPrice"
        min="0"
        step="any"
        placeholder="Max"
        value={query.maxPrice ?? ''}
      />
    </label>
    <button type="submit" class="button button-small">
      Go
    </button>
  </form>
);

export const HiddenFields: FC<{ query: SearchQuery; omit: Array<keyof SearchQuery> }> = ({ query, omit }) => {
  const kept: Partial<SearchQuery> = { ...query };
  for (const name of omit) delete kept[name];
  return (
    <>
      {searchParamEntries(kept).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
    </>
  );
};
