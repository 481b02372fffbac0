import type { FC } from 'hono/jsx';
import type { SearchQuery } from '../../catalog/types.ts';
import { searchHref } from '../urls.ts';

/** The schema caps `page` at 1000; links beyond it would only produce 400 pages. */
const MAX_PAGE = 1000;

/** Page numbers to show: first, last, and two either side of the current one; null is a gap. */
export function pageWindow(current: number, last: number): Array<number | null> {
  const pages: Array<number | null> = [];
  for (let p = 1; p <= last; p++) {
    if (p === 1 || p === last || Math.abs(p - current) <= 2) pages.push(p);
    else if (pages[pages.length - 1] !== null) pages.push(null);
  }
  return pages;
}

export const Pagination: FC<{ query: SearchQuery; total: number }> = ({ query, total }) => {
  const last = Math.min(Math.ceil(total / query.pageSize), MAX_PAGE);
  if (last <= 1) return null;
  const current = Math.min(query.page, last);
  const href = (page: number) => searchHref(query, { page });
  return (
    <nav class="pagination" aria-label="Pages">
      {current > 1 ? (
        <a class="page page-step" href={href(current - 1)} rel="prev">
          ‹ Previous
        </a>
      ) : (
        <span class="page page-step disabled">‹ Previous</span>
      )}
      {pageWindow(current, last).map((page) =>
        page === null ? (
          <span class="page page-gap">…</span>
        ) : page === current ? (
          <span class="page current" aria-current="page">
            {page}
          </span>
        ) : (
          <a class="page" href={href(page)}>
            {page}
          </a>
        ),
      )}
      {current < last ? (
        <a class="page page-step" href={href(current + 1)} rel="next">
          Next ›
        </a>
      ) : (
        <span class="page page-step disabled">Next ›</span>
      )}
    </nav>
  );
};
