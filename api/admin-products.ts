import { OpenAPIHono, z } from '@hono/zod-openapi';
import {
  adminProductQuerySchema,
  clearOverrides,
  createManualProduct,
  getAdminProduct,
  listAdminProducts,
  MAX_BULK,
  manualProductSchema,
  overridePatchSchema,
  setOverrides,
  updateManualProduct,
} from '../catalog/index.ts';
import { access, secureRoute } from './access.ts';
import type { AppEnv } from './env.ts';
import { validationHook } from './errors.ts';
import { errorResponse, idParam, isoDate, json, jsonBody, plain } from './openapi.ts';

const priceSchema = z.object({
  title: z.string(),
  category: z.array(z.string()),
  price: z.string().nullable(),
});

const overrideSchema = z
  .object({
    hidden: z.boolean(),
    title: z.string().nullable(),
    categoryPath: z.array(z.string()).nullable(),
    price: z
      .union([
        z.object({ mode: z.literal('markup'), percent: z.string() }),
        z.object({ mode: z.literal('fixed'), amount: z.string() }),
      ])
      .nullable(),
    weightG: z.number().nullable(),
    updatedAt: isoDate,
  })
  .openapi('ListingOverride');

const adminProductSchema = z
  .object({
    id: z.string(),
    site: z.string(),
    origin: z.enum(['crawled', 'manual']),
    url: z.string(),
    sku: z.string().nullable(),
    image: z.string().nullable(),
    availability: z.string(),
    crawled: priceSchema.describe('as the last crawl (or the merchant) stated it'),
    listed: priceSchema.describe('what shoppers see: the override applied'),
    currency: z.string().nullable(),
    override: overrideSchema.nullable(),
    goneAt: isoDate.nullable(),
    lastSeenAt: isoDate,
  })
  .openapi('AdminProduct');

const bulkSchema = z
  .object({
    ids: z.array(z.uuid()).min(1).max(MAX_BULK),
    change: overridePatchSchema,
  })
  .strict()
  .openapi('OverrideChange');

const idsSchema = z.object({ ids: z.array(z.uuid()).min(1).max(MAX_BULK) }).strict();

const manage = access.anyOf('products:manage', 'products:manage:own');
const tags = ['admin'];

/** Listings in the back office: search, overrides (one or many at once) and merchant-created products. */
export function adminProductRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/admin/products',
      tags,
      summary: 'Listings with their crawled and listed values (merchants: their own shops’)',
      access: manage,
      request: { query: adminProductQuerySchema },
      responses: {
        200: json(
          z.object({
            items: z.array(adminProductSchema),
            total: z.number(),
            page: z.number(),
            pageSize: z.number(),
            sites: z.array(z.string()),
          }),
          'A page of listings',
        ),
        400: errorResponse('Invalid query'),
      },
    }),
    async (c) =>
      c.json(plain(await listAdminProducts(c.req.valid('query'), c.get('principal'))) as never, 200),
  );
  app.openapi(
    secureRoute({
      method: 'get',
      path: '/admin/products/{id}',
      tags,
      summary: 'One listing with its override',
      access: manage,
      request: { params: idParam },
      responses: { 200: json(adminProductSchema, 'The listing'), 404: errorResponse('No such listing') },
    }),
    async (c) =>
      c.json(plain(await getAdminProduct(c.req.valid('param').id, c.get('principal'))) as never, 200),
  );
  app.openapi(
    secureRoute({
      method: 'patch',
      path: '/admin/products/overrides',
      tags,
      summary: 'Change the overrides of up to 500 listings at once (null clears a field)',
      access: manage,
      request: jsonBody(bulkSchema),
      responses: {
        200: json(z.object({ changed: z.number() }), 'How many listings changed'),
        400: errorResponse('Invalid change'),
        403: errorResponse('A listing of a shop you do not manage'),
        404: errorResponse('An unknown listing'),
      },
    }),
    async (c) => {
      const { ids, change } = c.req.valid('json');
      return c.json({ changed: await setOverrides(ids, change, c.get('principal')) }, 200);
    },
  );
  app.openapi(
    secureRoute({
      method: 'post',
      path: '/admin/products/overrides/clear',
      tags,
      summary: 'Remove every override of these listings: they show their crawled values again',
      access: manage,
      request: jsonBody(idsSchema),
      responses: {
        200: json(z.object({ cleared: z.number() }), 'How many overrides were removed'),
        403: errorResponse('A listing of a shop you do not manage'),
        404: errorResponse('An unknown listing'),
      },
    }),
    async (c) => c.json({ cleared: await clearOverrides(c.req.valid('json').ids, c.get('principal')) }, 200),
  );
  app.openapi(
    secureRoute({
      method: 'post',
      path: '/admin/products',
      tags,
      summary: 'Create a product no crawl touches, in one of your shops',
      access: manage,
      request: jsonBody(manualProductSchema),
      responses: {
        201: json(adminProductSchema, 'The product'),
        400: errorResponse('Invalid product'),
        403: errorResponse('Not your shop'),
      },
    }),
    async (c) =>
      c.json(plain(await createManualProduct(c.req.valid('json'), c.get('principal'))) as never, 201),
  );
  app.openapi(
    secureRoute({
      method: 'put',
      path: '/admin/products/{id}',
      tags,
      summary: 'Replace a merchant-created product (crawled listings change through overrides)',
      access: manage,
      request: { params: idParam, ...jsonBody(manualProductSchema) },
      responses: {
        200: json(adminProductSchema, 'The product'),
        400: errorResponse('Invalid product, or a crawled listing'),
        404: errorResponse('No such product'),
      },
    }),
    async (c) =>
      c.json(
        plain(
          await updateManualProduct(c.req.valid('param').id, c.req.valid('json'), c.get('principal')),
        ) as never,
        200,
      ),
  );
  return app;
}
