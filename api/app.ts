import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import type { CrawlRuns } from '../catalog/index.ts';
import { logger } from '../core/logger.ts';
import { httpRequestDuration, registry, renderMetrics } from '../core/metrics.ts';
import { dashboardRoutes, renderErrorPage } from '../dashboard/index.ts';
import { extractRoutes } from './extract.ts';
import { operatorRoutes } from './operator.ts';
import { storefrontRoutes } from './storefront.ts';

export const API_PREFIX = '/api/v1';

/** The whole HTTP surface: JSON API under /api/v1, storefront pages at /, /metrics. */
export function createApp(options: { runs: CrawlRuns }) {
  const app = new OpenAPIHono();
  const log = logger().child({ component: 'api' });

  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const route = routePath(c) || 'unmatched';
    httpRequestDuration.observe({ method: c.req.method, route, status: String(c.res.status) }, seconds);
    if (c.res.status >= 500)
      log.error({ method: c.req.method, path: c.req.path, status: c.res.status }, 'request failed');
  });

  app.get('/healthz', (c) => c.text('ok'));
  app.get('/metrics', async (c) =>
    c.body(await renderMetrics(), 200, { 'content-type': registry.contentType }),
  );

  const api = new OpenAPIHono();
  api.route('/', operatorRoutes(options.runs));
  api.route('/', storefrontRoutes());
  api.route('/', extractRoutes());
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    servers: [{ url: API_PREFIX }],
    info: {
      title: 'Trawl API',
      version: '1',
      description: 'Crawl rules and crawl runs for operators; catalog search for shoppers.',
    },
  });
  app.route(API_PREFIX, api);
  app.route('/', dashboardRoutes({ openApiUrl: `${API_PREFIX}/openapi.json` }));

  app.notFound((c) =>
    wantsJson(c) ? c.json({ error: 'not found' }, 404) : c.html(renderErrorPage(404), 404),
  );
  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      const status = error.status;
      return wantsJson(c)
        ? c.json({ error: error.message }, status)
        : c.html(renderErrorPage(status), status);
    }
    log.error({ err: error, path: c.req.path }, 'unhandled error');
    return wantsJson(c) ? c.json({ error: 'internal error' }, 500) : c.html(renderErrorPage(500), 500);
  });
  return app;
}

function wantsJson(c: Context): boolean {
  return c.req.path.startsWith('/api/') || !(c.req.header('accept') ?? '').includes('text/html');
}
