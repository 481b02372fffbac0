import { OpenAPIHono, z } from '@hono/zod-openapi';
import {
  createShippingMethod,
  deleteShippingMethod,
  getMerchantProfile,
  listShippingMethods,
  methodInputSchema,
  profileInputSchema,
  setMerchantProfile,
  updateShippingMethod,
} from '../commerce/shipping/index.ts';
import { access, secureRoute } from './access.ts';
import type { AppEnv } from './env.ts';
import { validationHook } from './errors.ts';
import { errorResponse, idParam, json, jsonBody } from './openapi.ts';

const methodSchema = z
  .object({
    id: z.string(),
    merchantId: z.string(),
    kind: z.enum(['express', 'logistics', 'same_city']),
    name: z.string(),
    currency: z.string(),
    rules: z
      .unknown()
      .describe(
        'express: {firstWeightG, firstFee, additionalWeightG, additionalFee}; logistics: {tiers: [{upToG, fee}]}; same_city: {radiusKm | cities, country, baseFee, perKmFee}',
      ),
    freeOver: z.string().nullable(),
    enabled: z.boolean(),
    sortOrder: z.number(),
  })
  .openapi('ShippingMethod');

const profileSchema = z
  .object({
    userId: z.string(),
    displayName: z.string(),
    defaultWeightG: z.number().describe('weight of a listing whose page states none'),
    origin: z.object({
      city: z.string().nullable(),
      country: z.string().nullable(),
      latitude: z.number().nullable(),
      longitude: z.number().nullable(),
    }),
  })
  .openapi('MerchantProfile');

const manage = access.anyOf('shipping:manage');
const tags = ['merchant'];

/** A merchant's shipping methods and delivery settings. */
export function merchantRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const me = (c: { get(key: 'principal'): { user: { id: string } | null } }) => c.get('principal').user!.id;

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/merchant/profile',
      tags,
      summary: 'My delivery settings',
      access: manage,
      responses: { 200: json(profileSchema, 'Profile') },
    }),
    async (c) => c.json(await getMerchantProfile(me(c)), 200),
  );
  app.openapi(
    secureRoute({
      method: 'put',
      path: '/merchant/profile',
      tags,
      summary: 'Set my shop name, default listing weight and where parcels leave from',
      access: manage,
      request: jsonBody(profileInputSchema),
      responses: { 200: json(profileSchema, 'Profile'), 400: errorResponse('Invalid input') },
    }),
    async (c) => c.json(await setMerchantProfile(me(c), c.req.valid('json')), 200),
  );
  app.openapi(
    secureRoute({
      method: 'get',
      path: '/merchant/shipping-methods',
      tags,
      summary: 'My shipping methods',
      access: manage,
      responses: { 200: json(z.object({ items: z.array(methodSchema) }), 'Methods') },
    }),
    async (c) => c.json({ items: await listShippingMethods(me(c)) }, 200),
  );
  app.openapi(
    secureRoute({
      method: 'post',
      path: '/merchant/shipping-methods',
      tags,
      summary: 'Add a shipping method with its fee rule',
      access: manage,
      request: jsonBody(methodInputSchema),
      responses: { 201: json(methodSchema, 'Created'), 400: errorResponse('Invalid rule, naming the field') },
    }),
    async (c) => c.json(await createShippingMethod(me(c), c.req.valid('json')), 201),
  );
  app.openapi(
    secureRoute({
      method: 'patch',
      path: '/merchant/shipping-methods/{id}',
      tags,
      summary: 'Change a shipping method',
      access: manage,
      request: { params: idParam, ...jsonBody(methodInputSchema.partial()) },
      responses: { 200: json(methodSchema, 'Changed'), 404: errorResponse('No such method') },
    }),
    async (c) => c.json(await updateShippingMethod(me(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(
    secureRoute({
      method: 'delete',
      path: '/merchant/shipping-methods/{id}',
      tags,
      summary: 'Remove a shipping method',
      access: manage,
      request: { params: idParam },
      responses: { 204: { description: 'Removed' }, 404: errorResponse('No such method') },
    }),
    async (c) => {
      await deleteShippingMethod(me(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
  return app;
}
