import { OpenAPIHono, z } from '@hono/zod-openapi';
import {
  getProduct,
  productDetailSchema,
  searchEngine,
  searchQuerySchema,
  searchResultSchema,
} from '../catalog/index.ts';
import { access, secureRoute } from './access.ts';
import type { AppEnv } from './env.ts';
import { errorSchema, validationHook } from './errors.ts';

/** Shopper routes: catalog search and product details. */
export function storefrontRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    secureRoute({
      access: access.public,
      method: 'get',
      path: '/products',
      tags: ['storefront'],
      summary: 'Search products: full text with typo tolerance, filters, facets, sorting, pages',
      request: { query: searchQuerySchema },
      responses: {
        200: {
          content: { 'application/json': { schema: searchResultSchema } },
          description: 'Results and facets',
        },
        400: { content: { 'application/json': { schema: errorSchema } }, description: 'Invalid query' },
      },
    }),
    async (c) => c.json(await searchEngine().search(c.req.valid('query')), 200),
  );

  app.openapi(
    secureRoute({
      access: access.public,
      method: 'get',
      path: '/products/{id}',
      tags: ['storefront'],
      summary: 'One product with its price history',
      request: { params: z.object({ id: z.string().max(100) }) },
      responses: {
        200: {
          content: {
            'application/json': {
              schema: productDetailSchema.extend({ firstSeenAt: z.string(), lastSeenAt: z.string() }),
            },
          },
          description: 'The product',
        },
        404: { content: { 'application/json': { schema: errorSchema } }, description: 'No such product' },
      },
    }),
    async (c) => {
      const product = await getProduct(c.req.valid('param').id);
      if (!product) return c.json({ error: 'product not found' }, 404);
      return c.json(JSON.parse(JSON.stringify(product)), 200);
    },
  );

  return app;
}
