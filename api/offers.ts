import { OpenAPIHono, z } from '@hono/zod-openapi';
import {
  explainGrouping,
  getCatalogProduct,
  listAlerts,
  listWatches,
  markAlertsRead,
  mergeProducts,
  NotFoundError,
  splitOffer,
  unwatchProduct,
  watchInputSchema,
  watchProduct,
} from '../catalog/index.ts';
import { ValidationError } from '../core/errors.ts';
import { assertPublicUrl } from '../crawler/index.ts';
import { access, secureRoute } from './access.ts';
import type { AppEnv } from './env.ts';
import { validationHook } from './errors.ts';
import { errorResponse, idParam, isoDate, json, jsonBody, plain } from './openapi.ts';

const offerSchema = z
  .object({
    id: z.string().describe('the listing: what a cart takes'),
    site: z.string(),
    url: z.string(),
    title: z.string(),
    price: z.string().nullable(),
    currency: z.string().nullable(),
    availability: z.string(),
    lastSeenAt: isoDate.describe('when a crawl last saw it'),
    priceHistory: z.array(
      z.object({
        price: z.string().nullable(),
        currency: z.string().nullable(),
        availability: z.string(),
        observedAt: isoDate,
      }),
    ),
  })
  .openapi('Offer');

const catalogProductSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    brand: z.string().nullable(),
    description: z.string().nullable(),
    images: z.array(z.string()),
    categoryPath: z.array(z.string()),
    gtin: z.string().nullable(),
    offers: z.array(offerSchema),
  })
  .openapi('CatalogProduct');

const watchSchema = z
  .object({
    id: z.string(),
    catalogProductId: z.string(),
    title: z.string().nullable(),
    maxPrice: z.string(),
    currency: z.string(),
    webhookUrl: z.string().nullable(),
    createdAt: isoDate,
  })
  .openapi('Watch');

const alertSchema = z
  .object({
    id: z.string(),
    catalogProductId: z.string(),
    productId: z.string(),
    title: z.string(),
    site: z.string(),
    price: z.string(),
    currency: z.string(),
    createdAt: isoDate,
    readAt: isoDate.nullable(),
    webhookStatus: z.string().nullable(),
  })
  .openapi('PriceAlert');

const groupingSchema = z
  .object({
    id: z.string(),
    createdAt: isoDate,
    keys: z.array(z.object({ key: z.string(), explanation: z.string() })),
    offers: z.array(
      z.object({
        id: z.string(),
        site: z.string(),
        title: z.string(),
        reason: z.string().nullable(),
        explanation: z.string(),
        locked: z.boolean(),
      }),
    ),
  })
  .openapi('Grouping');

/** The webhook's host must be public now (delivery checks every connection again). */
export async function assertPublicWebhook(url: string): Promise<void> {
  try {
    await assertPublicUrl(url);
  } catch (error) {
    throw ValidationError.field(
      'webhookUrl',
      error instanceof Error && /private/i.test(error.message)
        ? 'must be a public address (not this machine or a private network)'
        : 'its host does not resolve',
    );
  }
}

const manageCatalog = access.anyOf('products:manage');

/** One product, many offers: the comparison, price watches and alerts, and grouping by hand. */
export function offerRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    secureRoute({
      access: access.public,
      method: 'get',
      path: '/catalog-products/{id}',
      tags: ['storefront'],
      summary: 'A product with every shop’s offer: price, availability, last crawl, price history',
      request: { params: idParam },
      responses: { 200: json(catalogProductSchema, 'The product'), 404: errorResponse('No such product') },
    }),
    async (c) => {
      const product = await getCatalogProduct(c.req.valid('param').id);
      if (!product) throw new NotFoundError('product not found');
      return c.json(plain(product) as never, 200);
    },
  );

  app.openapi(
    secureRoute({
      access: access.signedIn,
      method: 'put',
      path: '/catalog-products/{id}/watch',
      tags: ['account'],
      summary:
        'Watch a product: an alert (and a POST to your https webhook) when an offer falls below your price',
      request: { params: idParam, ...jsonBody(watchInputSchema) },
      responses: {
        200: json(watchSchema, 'The watch'),
        400: errorResponse('Invalid watch (a webhook must be https and public)'),
        404: errorResponse('No such product'),
      },
    }),
    async (c) => {
      const watch = await watchProduct(
        c.get('principal').user!.id,
        c.req.valid('param').id,
        c.req.valid('json'),
        assertPublicWebhook,
      );
      return c.json(plain(watch) as never, 200);
    },
  );

  app.openapi(
    secureRoute({
      access: access.signedIn,
      method: 'delete',
      path: '/catalog-products/{id}/watch',
      tags: ['account'],
      summary: 'Stop watching a product',
      request: { params: idParam },
      responses: { 204: { description: 'Not watched any more' } },
    }),
    async (c) => {
      await unwatchProduct(c.get('principal').user!.id, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    secureRoute({
      access: access.signedIn,
      method: 'get',
      path: '/account/watches',
      tags: ['account'],
      summary: 'Your price watches',
      responses: { 200: json(z.object({ items: z.array(watchSchema) }), 'Watches') },
    }),
    async (c) => c.json(plain({ items: await listWatches(c.get('principal').user!.id) }) as never, 200),
  );

  app.openapi(
    secureRoute({
      access: access.signedIn,
      method: 'get',
      path: '/account/alerts',
      tags: ['account'],
      summary: 'Your price alerts, newest first',
      responses: { 200: json(z.object({ items: z.array(alertSchema) }), 'Alerts') },
    }),
    async (c) => c.json(plain({ items: await listAlerts(c.get('principal').user!.id) }) as never, 200),
  );

  app.openapi(
    secureRoute({
      access: access.signedIn,
      method: 'post',
      path: '/account/alerts/read',
      tags: ['account'],
      summary: 'Mark every alert read',
      responses: { 200: json(z.object({ read: z.number() }), 'How many were unread') },
    }),
    async (c) => c.json({ read: await markAlertsRead(c.get('principal').user!.id) }, 200),
  );

  app.openapi(
    secureRoute({
      access: manageCatalog,
      method: 'get',
      path: '/admin/catalog-products/{id}',
      tags: ['admin'],
      summary: 'Why these listings are one product: each offer’s grouping reason and the product’s keys',
      request: { params: idParam },
      responses: { 200: json(groupingSchema, 'The grouping'), 404: errorResponse('No such product') },
    }),
    async (c) => {
      const grouping = await explainGrouping(c.req.valid('param').id);
      if (!grouping) throw new NotFoundError('product not found');
      return c.json(plain(grouping) as never, 200);
    },
  );

  app.openapi(
    secureRoute({
      access: manageCatalog,
      method: 'post',
      path: '/admin/offers/{id}/split',
      tags: ['admin'],
      summary: 'Move an offer (listing) out into a product of its own; crawls leave it there',
      request: { params: idParam },
      responses: {
        200: json(z.object({ catalogProductId: z.string() }), 'The new product'),
        404: errorResponse('No such listing'),
        409: errorResponse('It is the only offer of its product'),
      },
    }),
    async (c) => c.json({ catalogProductId: await splitOffer(c.req.valid('param').id) }, 200),
  );

  app.openapi(
    secureRoute({
      access: manageCatalog,
      method: 'post',
      path: '/admin/catalog-products/{id}/merge',
      tags: ['admin'],
      summary: 'Merge another product into this one: its offers and keys move here',
      request: { params: idParam, ...jsonBody(z.object({ from: z.uuid() }).strict()) },
      responses: {
        204: { description: 'Merged' },
        404: errorResponse('No such product'),
        409: errorResponse('A product cannot be merged into itself'),
      },
    }),
    async (c) => {
      await mergeProducts(c.req.valid('param').id, c.req.valid('json').from);
      return c.body(null, 204);
    },
  );

  return app;
}
