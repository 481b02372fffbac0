import type { Principal } from '../commerce/accounts/index.ts';

/** What middleware puts on the request context for routes to read. */
export interface AppEnv {
  Variables: {
    principal: Principal;
    /** Set by secureHeaders; every <script> of a page carries it (CSP). */
    secureHeadersNonce?: string;
    /** The client's address (the socket's, or X-Forwarded-For's behind TRUST_PROXY proxies). */
    clientIp: string;
    /** Origins a page's forms may lead to besides its own (the pay page: Alipay's cashier). */
    formActionOrigins?: string[];
  };
}
