import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import {
  addLineSchema,
  addToCart,
  type CartOwner,
  mergeAnonymousCart,
  newCartToken,
  quantitySchema,
  removeFromCart,
  setCartQuantity,
  viewCart,
} from '../commerce/cart/index.ts';
import { access, secureRoute } from './access.ts';
import type { AppEnv } from './env.ts';
import { validationHook } from './errors.ts';
import { secureCookies } from './identity.ts';
import { errorResponse, json, jsonBody } from './openapi.ts';

const cartCookie = () => (secureCookies() ? '__Host-trawl_cart' : 'trawl_cart');

/** Whose cart this request works on: the signed-in user's, or the visitor's (made on first use). */
export function cartOwner(c: Context<AppEnv>, options: { create: boolean }): CartOwner | null {
  const principal = c.get('principal');
  if (principal.user && principal.can('orders:place')) return { userId: principal.user.id };
  const token = getCookie(c, cartCookie());
  if (token && /^[A-Za-z0-9_-]{43}$/.test(token)) return { anonymousToken: token };
  if (!options.create) return null;
  const fresh = newCartToken();
  setCookie(c, cartCookie(), fresh, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: secureCookies(),
    path: '/',
    maxAge: 30 * 86_400,
  });
  return { anonymousToken: fresh };
}

/** After sign-in: the visitor's cart joins the account's, and its cookie goes. */
export async function mergeCartAfterSignIn(c: Context<AppEnv>, userId: string): Promise<void> {
  const token = getCookie(c, cartCookie());
  if (!token) return;
  await mergeAnonymousCart(token, userId);
  deleteCookie(c, cartCookie(), { path: '/', secure: secureCookies() });
}

const lineSchema = z.object({
  productId: z.string(),
  title: z.string(),
  url: z.string(),
  image: z.string().nullable(),
  siteName: z.string(),
  merchantId: z.string().nullable(),
  quantity: z.number().int(),
  unitPrice: z.string().nullable(),
  currency: z.string().nullable(),
  previousPrice: z
    .string()
    .nullable()
    .describe('the price when the line was added, when it has changed since'),
  priceChange: z.enum(['up', 'down']).nullable(),
  lineTotal: z.string().nullable(),
  problem: z.string().nullable().describe('why the line cannot be checked out: gone, out_of_stock, stale, …'),
  problemText: z.string().nullable(),
  weightG: z.number().nullable(),
});
export const cartSchema = z
  .object({
    lines: z.array(lineSchema),
    groups: z.array(
      z.object({
        merchantId: z.string(),
        currency: z.string(),
        lines: z.array(lineSchema),
        itemsTotal: z.string(),
      }),
    ),
    blocked: z.number().int(),
    quantity: z.number().int(),
  })
  .openapi('Cart');

const empty = { lines: [], groups: [], blocked: 0, quantity: 0 };
const tags = ['cart'];

/** The cart: anyone may keep one (visitors by cookie); signing in merges it into the account's. */
export function cartRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/cart',
      tags,
      summary:
        'The cart with current prices, what changed since each line was added, and what cannot be bought',
      access: access.public,
      responses: { 200: json(cartSchema, 'The cart') },
    }),
    async (c) => {
      const owner = cartOwner(c, { create: false });
      return c.json(owner ? await viewCart(owner) : empty, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/cart/lines',
      tags,
      summary: 'Add a listing (or more of it)',
      access: access.public,
      request: jsonBody(addLineSchema),
      responses: {
        200: json(cartSchema, 'The cart'),
        400: errorResponse('Invalid input'),
        404: errorResponse('No such product'),
      },
    }),
    async (c) => c.json(await addToCart(cartOwner(c, { create: true })!, c.req.valid('json')), 200),
  );

  app.openapi(
    secureRoute({
      method: 'patch',
      path: '/cart/lines/{productId}',
      tags,
      summary: 'Change a line’s quantity (0 removes it)',
      access: access.public,
      request: { params: z.object({ productId: z.uuid() }), ...jsonBody(quantitySchema) },
      responses: { 200: json(cartSchema, 'The cart'), 404: errorResponse('Not in the cart') },
    }),
    async (c) => {
      const owner = cartOwner(c, { create: false });
      if (!owner) return c.json({ error: 'that product is not in the cart', code: 'not_found' }, 404);
      return c.json(await setCartQuantity(owner, c.req.valid('param').productId, c.req.valid('json')), 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'delete',
      path: '/cart/lines/{productId}',
      tags,
      summary: 'Remove a line',
      access: access.public,
      request: { params: z.object({ productId: z.uuid() }) },
      responses: { 200: json(cartSchema, 'The cart'), 404: errorResponse('Not in the cart') },
    }),
    async (c) => {
      const owner = cartOwner(c, { create: false });
      if (!owner) return c.json({ error: 'that product is not in the cart', code: 'not_found' }, 404);
      return c.json(await removeFromCart(owner, c.req.valid('param').productId), 200);
    },
  );
  return app;
}
