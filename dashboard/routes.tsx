import { Hono, type MiddlewareHandler } from 'hono';
import { getProduct, searchProducts, searchQuerySchema } from '../catalog/index.ts';
import { ApiDocsPage } from './pages/ApiDocs.tsx';
import { renderErrorPage } from './pages/Error.tsx';
import { HomePage } from './pages/Home.tsx';
import { ProductPage } from './pages/Product.tsx';
import { SearchPage } from './pages/Search.tsx';
import { favicon, stylesheet } from './style.ts';
import { searchInput } from './urls.ts';

/** Items on the home page: two rows of the widest grid. */
const HOME_ITEMS = 12;

/**
 * Crawled text is hostile: escaping is the first defence, this CSP the second. Images are
 * hot-linked from any shop; the docs page may fetch its document from another origin.
 */
function securityHeaders(openApiUrl: string): MiddlewareHandler {
  let connect = "'self'";
  try {
    const origin = new URL(openApiUrl).origin;
    if (origin.startsWith('http')) connect += ` ${origin}`;
  } catch {
    // A relative URL: same origin, 'self' covers it.
  }
  const csp = [
    "default-src 'self'",
    'img-src * data:',
    "style-src 'self' 'unsafe-inline'",
    "script-src 'self' 'unsafe-inline'",
    `connect-src ${connect}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
  return async (c, next) => {
    await next();
    c.header('content-security-policy', csp);
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'strict-origin-when-cross-origin');
    c.header('x-frame-options', 'DENY');
  };
}

function issueText(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** The server-rendered storefront: home, search, product pages, API docs and the stylesheet. */
export function dashboardRoutes(options: { openApiUrl: string }): Hono {
  const app = new Hono();
  app.use('*', securityHeaders(options.openApiUrl));

  app.get('/', async (c) => {
    const newest = await searchProducts(searchQuerySchema.parse({ sort: 'newest', pageSize: HOME_ITEMS }));
    return c.html(<HomePage newest={newest} />);
  });

  app.get('/search', async (c) => {
    const parsed = searchQuerySchema.safeParse(searchInput(c.req.queries()));
    if (!parsed.success) return c.html(renderErrorPage(400, issueText(parsed.error.issues)), 400);
    const result = await searchProducts(parsed.data);
    return c.html(<SearchPage query={parsed.data} result={result} />);
  });

  app.get('/product/:id', async (c) => {
    const product = await getProduct(c.req.param('id'));
    if (!product) return c.html(renderErrorPage(404), 404);
    return c.html(<ProductPage product={product} />);
  });

  app.get('/api/docs', (c) => c.html(<ApiDocsPage openApiUrl={options.openApiUrl} />));

  const cached = { 'cache-control': 'public, max-age=3600' };
  app.get('/static/trawl.css', (c) =>
    c.body(stylesheet, 200, { ...cached, 'content-type': 'text/css; charset=utf-8' }),
  );
  app.get('/static/favicon.svg', (c) => c.body(favicon, 200, { ...cached, 'content-type': 'image/svg+xml' }));

  return app;
}
