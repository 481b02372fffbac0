import { raw } from 'hono/html';
import type { FC, PropsWithChildren } from 'hono/jsx';
import { CsrfField } from './components/CsrfField.tsx';
import { SearchBox } from './components/SearchBox.tsx';
import { usePage } from './context.ts';
import { scriptHref } from './scripts.ts';
import { stylesheetHref } from './style.ts';

export const Logo: FC = () => {
  const { shopName } = usePage();
  return (
    <a class="logo" href="/" aria-label={`${shopName} home`}>
      <svg viewBox="0 0 32 32" width="30" height="30" aria-hidden="true">
        <rect width="32" height="32" rx="9" fill="var(--accent)" />
        <path d="M6 17c4-6 10-7 15-3l5-4v12l-5-4c-5 4-11 3-15-1z" fill="#fff" />
        <circle cx="11" cy="15.5" r="1.3" fill="var(--accent)" />
      </svg>
      <span>{shopName}</span>
    </a>
  );
};

/** Sign-in links for visitors; account, back office and sign-out for people signed in. */
const CartLink: FC = () => {
  const { cartQuantity } = usePage();
  return (
    <a href="/cart" class="cart-link">
      Cart
      {cartQuantity > 0 ? (
        <span class="cart-count">
          {cartQuantity}
          <span class="sr-only"> items</span>
        </span>
      ) : null}
    </a>
  );
};

const AccountNav: FC = () => {
  const { user, links } = usePage();
  if (!user)
    return (
      <>
        <CartLink />
        <a href="/login">Sign in</a>
        <a href="/register">Register</a>
      </>
    );
  return (
    <>
      {links.orders ? <CartLink /> : null}
      {links.orders ? <a href="/orders">Orders</a> : null}
      {links.admin ? <a href="/admin">Back office</a> : null}
      {links.account ? (
        <a href="/account" title={user.email}>
          {user.name ?? 'Account'}
        </a>
      ) : null}
      <form method="post" action="/logout" class="inline-form">
        <CsrfField />
        <button type="submit" class="link-button">
          Sign out
        </button>
      </form>
    </>
  );
};

export const Layout: FC<PropsWithChildren<{ title?: string; q?: string; hideHeaderSearch?: boolean }>> = ({
  title,
  q,
  hideHeaderSearch,
  children,
}) => {
  const { nonce, shopName } = usePage();
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="strict-origin-when-cross-origin" />
          <title>{title ? `${title} · ${shopName}` : `${shopName} — every shop, one search`}</title>
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
                <AccountNav />
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
                  Products from many shops, one search. Prices and availability are as last seen on each shop
                  — check there before you buy.
                </p>
              </div>
              <nav aria-label="Footer">
                <a href="/">Home</a>
                <a href="/search">All products</a>
                <a href="/api/docs">API documentation</a>
              </nav>
            </div>
          </footer>
          <script src={scriptHref('trawl')} nonce={nonce} defer />
        </body>
      </html>
    </>
  );
};
