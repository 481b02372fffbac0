import { OpenAPIHono, z } from '@hono/zod-openapi';
import {
  accountSchemas,
  createRole,
  createStaffUser,
  deleteRole,
  getUser,
  listRoles,
  listUsers,
  permissionCatalog,
  revokeAllSessions,
  setRolePermissions,
  updateUser,
} from '../commerce/accounts/index.ts';
import { access, secureRoute } from './access.ts';
import { userSchema } from './account.ts';
import type { AppEnv } from './env.ts';
import { validationHook } from './errors.ts';
import { errorResponse, idParam, json, jsonBody, plain } from './openapi.ts';

const roleSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    builtIn: z.boolean(),
    permissions: z.array(z.string()),
    users: z.number().int(),
  })
  .openapi('Role');

const listQuery = z.object({
  q: z.string().max(200).optional(),
  role: z.string().max(50).optional(),
  status: z.enum(['active', 'disabled']).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

const manageUsers = access.anyOf('users:manage');
const manageRoles = access.anyOf('roles:manage');
const tags = ['admin: users and roles'];

/** Admin: users, roles and the role → permission matrix. */
export function userRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/users',
      tags,
      summary: 'Users, newest first; search by email or name, filter by role and status',
      access: manageUsers,
      request: { query: listQuery },
      responses: { 200: json(z.object({ items: z.array(userSchema), total: z.number().int() }), 'Users') },
    }),
    async (c) =>
      c.json(
        plain(await listUsers(c.req.valid('query'))) as {
          items: Array<z.infer<typeof userSchema>>;
          total: number;
        },
        200,
      ),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/users',
      tags,
      summary: 'Create an account with a role (staff); without a password one is generated and returned once',
      access: manageUsers,
      request: jsonBody(accountSchemas.staffCreateSchema),
      responses: {
        201: json(z.object({ user: userSchema, password: z.string().optional() }), 'Created'),
        400: errorResponse('Invalid input or unknown role'),
        409: errorResponse('The email is taken'),
      },
    }),
    async (c) =>
      c.json(
        plain(await createStaffUser(c.req.valid('json'))) as {
          user: z.infer<typeof userSchema>;
          password?: string;
        },
        201,
      ),
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/users/{id}',
      tags,
      summary: 'One user',
      access: manageUsers,
      request: { params: idParam },
      responses: { 200: json(userSchema, 'The user'), 404: errorResponse('No such user') },
    }),
    async (c) => c.json(plain(await getUser(c.req.valid('param').id)) as z.infer<typeof userSchema>, 200),
  );

  app.openapi(
    secureRoute({
      method: 'patch',
      path: '/users/{id}',
      tags,
      summary: 'Change a user’s role, status or name (disabling signs them out everywhere)',
      access: manageUsers,
      request: { params: idParam, ...jsonBody(accountSchemas.userUpdateSchema) },
      responses: {
        200: json(userSchema, 'Changed'),
        400: errorResponse('Invalid input or unknown role'),
        404: errorResponse('No such user'),
        409: errorResponse('That would leave no active admin'),
      },
    }),
    async (c) =>
      c.json(
        plain(await updateUser(c.req.valid('param').id, c.req.valid('json'))) as z.infer<typeof userSchema>,
        200,
      ),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/users/{id}/sign-out',
      tags,
      summary: 'Sign a user out of every session',
      access: manageUsers,
      request: { params: idParam },
      responses: {
        200: json(z.object({ ended: z.number().int() }), 'Sessions ended'),
        404: errorResponse('No such user'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await getUser(id);
      return c.json({ ended: await revokeAllSessions(id) }, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/permissions',
      tags,
      summary: 'Every permission the code checks, with what it allows',
      access: access.anyOf('roles:manage', 'users:manage'),
      responses: {
        200: json(
          z.object({ items: z.array(z.object({ name: z.string(), description: z.string() })) }),
          'Permissions',
        ),
      },
    }),
    (c) =>
      c.json(
        { items: Object.entries(permissionCatalog).map(([name, description]) => ({ name, description })) },
        200,
      ),
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/roles',
      tags,
      summary: 'Roles with their permissions: the role → permission matrix',
      access: access.anyOf('roles:manage', 'users:manage'),
      responses: { 200: json(z.object({ items: z.array(roleSchema) }), 'Roles') },
    }),
    async (c) => c.json({ items: await listRoles() }, 200),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/roles',
      tags,
      summary: 'Create a custom role',
      access: manageRoles,
      request: jsonBody(accountSchemas.roleCreateSchema),
      responses: {
        201: json(roleSchema, 'Created'),
        400: errorResponse('Invalid input'),
        409: errorResponse('The name is taken'),
      },
    }),
    async (c) => c.json(await createRole(c.req.valid('json')), 201),
  );

  app.openapi(
    secureRoute({
      method: 'put',
      path: '/roles/{name}/permissions',
      tags,
      summary: 'Set a role’s permissions (one row of the matrix); admin always has all',
      access: manageRoles,
      request: {
        params: z.object({ name: z.string().max(50) }),
        ...jsonBody(accountSchemas.rolePermissionsSchema),
      },
      responses: {
        200: json(roleSchema, 'Changed'),
        400: errorResponse('Unknown permission, or the admin role'),
        404: errorResponse('No such role'),
      },
    }),
    async (c) => c.json(await setRolePermissions(c.req.valid('param').name, c.req.valid('json')), 200),
  );

  app.openapi(
    secureRoute({
      method: 'delete',
      path: '/roles/{name}',
      tags,
      summary: 'Delete a custom role nobody holds',
      access: manageRoles,
      request: { params: z.object({ name: z.string().max(50) }) },
      responses: {
        204: { description: 'Deleted' },
        404: errorResponse('No such role'),
        409: errorResponse('Built in, or still held by users'),
      },
    }),
    async (c) => {
      await deleteRole(c.req.valid('param').name);
      return c.body(null, 204);
    },
  );

  return app;
}
