import type { FC } from 'hono/jsx';
import type { SearchResult } from '../../catalog/types.ts';
import { ProductGrid } from '../components/ProductCard.tsx';
import { SearchBox } from '../components/SearchBox.tsx';
import { formatWhole } from '../format.ts';
import { Layout } from '../layout.tsx';
import { searchHref } from '../urls.ts';

/** `newest` is an empty-query search sorted by newest: its category facet covers the whole catalog. */
export const HomePage: FC<{ newest: SearchResult }> = ({ newest }) => (
  <Layout hideHeaderSearch>
    <section class="hero">
      <h1>Find it in every shop at once</h1>
      <p class="hero-sub">
        Search {formatWhole(newest.total)} {newest.total === 1 ? 'product' : 'products'} — compare prices,
        brands and availability.
      </p>
      <SearchBox size="lg" autofocus />
      {newest.facets.category.length > 0 ? (
        <nav class="chips" aria-label="Categories">
          {newest.facets.category.slice(0, 16).map((c) => (
            <a class="chip" href={searchHref({}, { category: c.value })}>
              {c.value}
              <span class="chip-count">{formatWhole(c.count)}</span>
            </a>
          ))}
        </nav>
      ) : null}
    </section>

    {newest.items.length > 0 ? (
      <section class="section">
        <div class="section-head">
          <h2>New arrivals</h2>
          <a href={searchHref({}, { sort: 'newest' })}>See all →</a>
        </div>
        <ProductGrid products={newest.items} />
      </section>
    ) : (
      <div class="empty">
        <h2>The catalog is empty</h2>
        <p>Add a shop and start a crawl; products appear here as soon as they are ingested.</p>
      </div>
    )}
  </Layout>
);
