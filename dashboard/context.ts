import { createContext, useContext } from 'hono/jsx';

/** What every page needs to know about the request it answers, set once by the router. */
export interface PageInfo {
  /** The CSP nonce every <script> of the page must carry. */
  nonce: string;
  user: { email: string; name: string | null; role: string } | null;
  /** The session's CSRF token, for forms that change something. */
  csrfToken: string | null;
  /** Which back-office areas the header links to. */
  links: { admin: boolean; account: boolean; merchant: boolean; orders: boolean };
  /** The back-office sections this user may open, in menu order (empty: no back office). */
  adminNav: Array<{ href: string; label: string; section: string }>;
  /** Items in the visitor's cart, for the header. */
  cartQuantity: number;
  /** The shop's name (a back-office setting). */
  shopName: string;
}

export const anonymousPage: PageInfo = {
  nonce: '',
  user: null,
  csrfToken: null,
  links: { admin: false, account: false, merchant: false, orders: false },
  adminNav: [],
  cartQuantity: 0,
  shopName: 'Trawl',
};

export const PageContext = createContext<PageInfo>(anonymousPage);

export function usePage(): PageInfo {
  return useContext(PageContext);
}
