import { OpenAPIHono, z } from '@hono/zod-openapi';
import {
  accountSchemas,
  createToken,
  endSession,
  permissionsOfRole,
  register,
  signIn,
  verifyCredentials,
} from '../commerce/accounts/index.ts';
import { access, secureRoute } from './access.ts';
import { mergeCartAfterSignIn } from './cart.ts';
import type { AppEnv } from './env.ts';
import { validationHook } from './errors.ts';
import { clearSessionCookie, sessionToken, setSessionCookie } from './identity.ts';
import { errorResponse, isoDate, json, jsonBody } from './openapi.ts';

export const meSchema = z
  .object({
    signedIn: z.boolean(),
    via: z.enum(['session', 'token', 'anonymous']),
    user: z
      .object({ id: z.string(), email: z.string(), name: z.string().nullable(), role: z.string() })
      .nullable(),
    permissions: z.array(z.string()),
    csrfToken: z
      .string()
      .nullable()
      .describe('send it as X-CSRF-Token (or form field _csrf) with every cookie-authenticated write'),
  })
  .openapi('Me');

const signedInSchema = z.object({
  user: z.object({ id: z.string(), email: z.string(), role: z.string() }),
  csrfToken: z.string(),
  expiresAt: isoDate,
});

const tokenRequestSchema = accountSchemas.loginSchema
  .extend({
    name: z.string().trim().min(1).max(100).default('trawl CLI'),
    scopes: accountSchemas.tokenCreateSchema.shape.scopes,
    expiresInDays: accountSchemas.tokenCreateSchema.shape.expiresInDays,
  })
  .strict();

/** Registration, sign-in and sign-out with session cookies; API tokens from a password (the CLI's login). */
export function authRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const client = (c: {
    get(key: 'clientIp'): string;
    req: { header(name: string): string | undefined };
  }) => ({
    ip: c.get('clientIp'),
    userAgent: c.req.header('user-agent') ?? null,
  });

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/auth/register',
      tags: ['accounts'],
      summary: 'Create a shopper account and sign in (sets the session cookie)',
      access: access.public,
      request: jsonBody(accountSchemas.registerSchema),
      responses: {
        201: json(signedInSchema, 'Registered and signed in'),
        400: errorResponse('Invalid email, or a weak password'),
        409: errorResponse('An account with this email exists'),
        429: errorResponse('Too many registrations from this address'),
      },
    }),
    async (c) => {
      const result = await register(c.req.valid('json'), client(c));
      setSessionCookie(c, result.token);
      await mergeCartAfterSignIn(c, result.user.id);
      return c.json(
        { user: result.user, csrfToken: result.csrfToken, expiresAt: result.session.expiresAt.toISOString() },
        201,
      );
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/auth/login',
      tags: ['accounts'],
      summary: 'Sign in with email and password (sets the session cookie)',
      description:
        'Throttled per account and per address: after repeated failures the account or address is locked for a while (429 with Retry-After).',
      access: access.public,
      request: jsonBody(accountSchemas.loginSchema),
      responses: {
        200: json(signedInSchema, 'Signed in'),
        400: errorResponse('Malformed input'),
        429: errorResponse('Locked after too many failed sign-ins'),
      },
    }),
    async (c) => {
      const result = await signIn(c.req.valid('json'), client(c));
      setSessionCookie(c, result.token);
      await mergeCartAfterSignIn(c, result.user.id);
      return c.json(
        { user: result.user, csrfToken: result.csrfToken, expiresAt: result.session.expiresAt.toISOString() },
        200,
      );
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/auth/logout',
      tags: ['accounts'],
      summary: 'Sign out of this session (the cookie is cleared)',
      access: access.public,
      responses: { 204: { description: 'Signed out' } },
    }),
    async (c) => {
      const token = sessionToken(c);
      if (token) await endSession(token);
      clearSessionCookie(c);
      return c.body(null, 204);
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/auth/session',
      tags: ['accounts'],
      summary: 'Who is signed in, with their permissions and the CSRF token of the session',
      access: access.public,
      responses: { 200: json(meSchema, 'The caller') },
    }),
    (c) => {
      const principal = c.get('principal');
      return c.json(
        {
          signedIn: principal.signedIn,
          via: principal.via,
          user: principal.user,
          permissions: [...principal.permissions].sort(),
          csrfToken: principal.session?.csrfToken ?? null,
        },
        200,
      );
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/auth/token',
      tags: ['accounts'],
      summary: 'Create a personal API token from email and password (what `trawl login` does)',
      description:
        'The token is shown once. Scopes default to every permission of the account; the token never has more than the account’s role grants when it is used. Throttled like a sign-in.',
      access: access.public,
      request: jsonBody(tokenRequestSchema),
      responses: {
        201: json(
          z.object({ token: z.string(), id: z.string(), expiresAt: isoDate, scopes: z.array(z.string()) }),
          'The new token (shown once)',
        ),
        400: errorResponse('Malformed input'),
        429: errorResponse('Locked after too many failed sign-ins'),
      },
    }),
    async (c) => {
      const { email, password, ...tokenInput } = c.req.valid('json');
      const user = await verifyCredentials({ email, password }, client(c));
      const permissions = new Set(await permissionsOfRole(user.role));
      const { token, record } = await createToken({ id: user.id, permissions }, tokenInput);
      return c.json(
        { token, id: record.id, expiresAt: record.expiresAt.toISOString(), scopes: record.scopes },
        201,
      );
    },
  );

  return app;
}
