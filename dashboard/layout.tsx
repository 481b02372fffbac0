import { raw } from 'hono/html';
import type { FC, PropsWithChildren } from 'hono/jsx';
import { clientScript } from './client.ts';
import { SearchBox } from './components/SearchBox.tsx';
import { stylesheetHref } from './style.ts';

export const Logo: FC = () => (
  <a class="logo" href="/" aria-label="Trawl home">
    <svg viewBox="0 0 32 32" width="30" height="30" aria-hidden="true">
      <rect width="32" height="32" rx="9" fill="var(--accent)" />
      <path d="M6 17c4-6 10-7 15-3l5-4v12l-5-4c-5 4-11 3-15-1z" fill="#fff" />
      <circle cx="11" cy="15.5" r="1.3" fill="var(--accent)" />
    </svg>
    <span>Trawl</span>
  </a>
);

export const Layout: FC<PropsWithChildren<{ title?: string; q?: string; hideHeaderSearch?: boolean }>> = ({
  title,
  q,
  hideHeaderSearch,
  children,
}) => (
  <>
    {raw('<!DOCTYPE html>')}
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="strict-origin-when-cross-origin" />
        <title>{title ? `${title} · Trawl` : 'Trawl — every shop, one search'}</title>
        <link rel="stylesheet" href={stylesheetHref} />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <div class="container header-inner">
            <Logo />
            {hideHeaderSearch ? (
              <span class="header-spacer" />
            ) : (
              <SearchBox q={q} label="Search the catalog" />
            )}
            <nav class="header-nav" aria-label="Site">
              <a href="/search">Browse</a>
              <a href="/api/docs">API</a>
            </nav>
          </div>
        </header>
        <main id="main" class="container">
          {children}
        </main>
        <footer class="site-footer">
          <div class="container footer-inner">
            <div>
              <Logo />
              <p class="muted">
                Products from many shops, one search. Prices and availability are as last seen on each shop —
                check there before you buy.
              </p>
            </div>
            <nav aria-label="Footer">
              <a href="/">Home</a>
              <a href="/search">All products</a>
              <a href="/api/docs">API documentation</a>
            </nav>
          </div>
        </footer>
        <script>{raw(clientScript)}</script>
      </body>
    </html>
  </>
);
