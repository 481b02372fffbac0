import { OpenAPIHono, z } from '@hono/zod-openapi';
import {
  accountSchemas,
  addAddress,
  changePassword,
  createToken,
  deleteAddress,
  getUser,
  listAddresses,
  listSessions,
  listTokens,
  revokeAllSessions,
  revokeSession,
  revokeToken,
  updateAddress,
  updateProfile,
} from '../commerce/accounts/index.ts';
import { access, secureRoute } from './access.ts';
import type { AppEnv } from './env.ts';
import { validationHook } from './errors.ts';
import { clearSessionCookie } from './identity.ts';
import { errorResponse, idParam, isoDate, json, jsonBody, plain } from './openapi.ts';

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    phone: z.string().nullable(),
    role: z.string(),
    status: z.enum(['active', 'disabled']),
    createdAt: isoDate,
    lastLoginAt: isoDate.nullable(),
  })
  .openapi('User');

const sessionSchema = z
  .object({
    id: z.string(),
    current: z.boolean(),
    createdAt: isoDate,
    lastSeenAt: isoDate,
    expiresAt: isoDate,
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
  })
  .openapi('Session');

const tokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().describe('the first characters of the token, to tell tokens apart'),
    scopes: z.array(z.string()),
    createdAt: isoDate,
    expiresAt: isoDate,
    lastUsedAt: isoDate.nullable(),
    revokedAt: isoDate.nullable(),
  })
  .openapi('ApiToken');

const addressSchema = z
  .object({
    id: z.string(),
    recipient: z.string(),
    phone: z.string(),
    line1: z.string(),
    line2: z.string().nullable(),
    city: z.string(),
    region: z.string().nullable(),
    postalCode: z.string().nullable(),
    country: z.string(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    isDefault: z.boolean(),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .openapi('Address');

const own = access.anyOf('account:manage');
const tags = ['account'];

/** A signed-in user's own account: profile, password, sessions, API tokens, address book. */
export function accountRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const me = (c: { get(key: 'principal'): { user: { id: string; email: string } | null } }) =>
    c.get('principal').user!;

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/account',
      tags,
      summary: 'My profile',
      access: own,
      responses: { 200: json(userSchema, 'The profile') },
    }),
    async (c) => c.json(plain(await getUser(me(c).id)) as z.infer<typeof userSchema>, 200),
  );

  app.openapi(
    secureRoute({
      method: 'patch',
      path: '/account',
      tags,
      summary: 'Change my name or phone',
      access: own,
      request: jsonBody(accountSchemas.profileSchema),
      responses: { 200: json(userSchema, 'The profile'), 400: errorResponse('Invalid input') },
    }),
    async (c) =>
      c.json(plain(await updateProfile(me(c).id, c.req.valid('json'))) as z.infer<typeof userSchema>, 200),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/account/password',
      tags,
      summary: 'Change my password; every other session of mine ends',
      access: own,
      request: jsonBody(accountSchemas.passwordChangeSchema),
      responses: {
        200: json(z.object({ otherSessionsEnded: z.number().int() }), 'Changed'),
        400: errorResponse('The new password is too weak'),
        403: errorResponse('The current password is wrong'),
        429: errorResponse('Too many wrong passwords'),
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      const result = await changePassword(
        principal.user!,
        c.req.valid('json'),
        { ip: c.get('clientIp'), userAgent: c.req.header('user-agent') ?? null },
        principal.session?.id,
      );
      return c.json(result, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/account/sessions',
      tags,
      summary: 'My active sessions (devices signed in)',
      access: own,
      responses: { 200: json(z.object({ items: z.array(sessionSchema) }), 'Sessions') },
    }),
    async (c) => {
      const current = c.get('principal').session?.id;
      const items = (await listSessions(me(c).id)).map((s) => ({
        ...(plain(s) as object),
        current: s.id === current,
      }));
      return c.json({ items } as { items: Array<z.infer<typeof sessionSchema>> }, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'delete',
      path: '/account/sessions/{id}',
      tags,
      summary: 'Sign one of my sessions out',
      access: own,
      request: { params: idParam },
      responses: { 204: { description: 'Signed out' }, 404: errorResponse('No such session') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await revokeSession(me(c).id, id);
      if (c.get('principal').session?.id === id) clearSessionCookie(c);
      return c.body(null, 204);
    },
  );

  app.openapi(
    secureRoute({
      method: 'delete',
      path: '/account/sessions',
      tags,
      summary: 'Sign out everywhere (keepCurrent=true: everywhere else)',
      access: own,
      request: { query: z.object({ keepCurrent: z.enum(['true', 'false']).optional() }) },
      responses: { 200: json(z.object({ ended: z.number().int() }), 'Sessions ended') },
    }),
    async (c) => {
      const keep = c.req.valid('query').keepCurrent === 'true' ? c.get('principal').session?.id : undefined;
      const ended = await revokeAllSessions(me(c).id, keep);
      if (!keep) clearSessionCookie(c);
      return c.json({ ended }, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/account/tokens',
      tags,
      summary: 'My API tokens (never the tokens themselves)',
      access: own,
      responses: { 200: json(z.object({ items: z.array(tokenSchema) }), 'Tokens') },
    }),
    async (c) =>
      c.json(
        plain({ items: await listTokens(me(c).id) }) as { items: Array<z.infer<typeof tokenSchema>> },
        200,
      ),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/account/tokens',
      tags,
      summary: 'Create an API token: shown once, stored hashed, scoped and expiring',
      access: own,
      request: jsonBody(accountSchemas.tokenCreateSchema),
      responses: {
        201: json(z.object({ token: z.string().describe('shown only now'), record: tokenSchema }), 'Created'),
        400: errorResponse('Invalid input'),
        403: errorResponse('A scope the role does not grant'),
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      const created = await createToken(
        { id: principal.user!.id, permissions: principal.permissions },
        c.req.valid('json'),
      );
      return c.json(plain(created) as { token: string; record: z.infer<typeof tokenSchema> }, 201);
    },
  );

  app.openapi(
    secureRoute({
      method: 'delete',
      path: '/account/tokens/{id}',
      tags,
      summary: 'Revoke one of my API tokens',
      access: own,
      request: { params: idParam },
      responses: { 204: { description: 'Revoked' }, 404: errorResponse('No such active token') },
    }),
    async (c) => {
      await revokeToken(me(c).id, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/account/addresses',
      tags,
      summary: 'My address book, default first',
      access: own,
      responses: { 200: json(z.object({ items: z.array(addressSchema) }), 'Addresses') },
    }),
    async (c) =>
      c.json(
        plain({ items: await listAddresses(me(c).id) }) as { items: Array<z.infer<typeof addressSchema>> },
        200,
      ),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/account/addresses',
      tags,
      summary: 'Add an address (the first becomes the default)',
      access: own,
      request: jsonBody(accountSchemas.addressSchema),
      responses: {
        201: json(addressSchema, 'Added'),
        400: errorResponse('Invalid address, or the book is full'),
      },
    }),
    async (c) =>
      c.json(plain(await addAddress(me(c).id, c.req.valid('json'))) as z.infer<typeof addressSchema>, 201),
  );

  app.openapi(
    secureRoute({
      method: 'patch',
      path: '/account/addresses/{id}',
      tags,
      summary: 'Change an address, or make it the default',
      access: own,
      request: { params: idParam, ...jsonBody(accountSchemas.addressSchema.partial()) },
      responses: {
        200: json(addressSchema, 'Changed'),
        400: errorResponse('Invalid input'),
        404: errorResponse('No such address'),
      },
    }),
    async (c) =>
      c.json(
        plain(await updateAddress(me(c).id, c.req.valid('param').id, c.req.valid('json'))) as z.infer<
          typeof addressSchema
        >,
        200,
      ),
  );

  app.openapi(
    secureRoute({
      method: 'delete',
      path: '/account/addresses/{id}',
      tags,
      summary: 'Remove an address',
      access: own,
      request: { params: idParam },
      responses: { 204: { description: 'Removed' }, 404: errorResponse('No such address') },
    }),
    async (c) => {
      await deleteAddress(me(c).id, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  return app;
}
