import type { FC } from 'hono/jsx';

const SearchIcon: FC = () => (
  <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
    <path
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      d="M10.5 18a7.5 7.5 0 1 1 0-15 7.5 7.5 0 0 1 0 15zm5.3-2.2L21 21"
    />
  </svg>
);

/** A plain GET form: search works without JavaScript. */
export const SearchBox: FC<{ q?: string; size?: 'lg' | 'md'; label?: string; autofocus?: boolean }> = ({
  q,
  size = 'md',
  label = 'Search products',
  autofocus,
}) => (
  <form class={`searchbox searchbox-${size}`} method="get" action="/search">
    <SearchIcon />
    <input
      type="search"
      name="q"
      value={q ?? ''}
      placeholder="Search products, brands, categories…"
      aria-label={label}
      autocomplete="off"
      maxlength={200}
      autofocus={autofocus}
    />
    <button type="submit">Search</button>
  </form>
);
