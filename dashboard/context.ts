import { createContext, useContext } from 'hono/jsx';

/** What every page needs to know about the request it answers, set once by the router. */
export interface PageInfo {
  /** The CSP nonce every <script> of the page must carry. */
  nonce: string;
  user: { email: string; name: string | null; role: string } | null;
  /** The session's CSRF token, for forms that change something. */
  csrfToken: string | null;
  /** Which back-office areas the header links to. */
  links: { admin: boolean; account: boolean };
}

export const anonymousPage: PageInfo = {
  nonce: '',
  user: null,
  csrfToken: null,
  links: { admin: false, account: false },
};

export const PageContext = createContext<PageInfo>(anonymousPage);

export function usePage(): PageInfo {
  return useContext(PageContext);
}
