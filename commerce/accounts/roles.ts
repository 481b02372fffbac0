import { db, Prisma } from '../../core/db/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { authChanged } from './auth-cache.ts';
import {
  ADMIN_ROLE,
  allPermissions,
  builtInRoles,
  defaultPermissionsOf,
  type Permission,
  permissionCatalog,
} from './permissions.ts';
import { roleCreateSchema, rolePermissionsSchema } from './schemas.ts';

export interface RoleView {
  name: string;
  description: string;
  builtIn: boolean;
  permissions: Permission[];
  users: number;
}

/**
 * Keeps the permission table in step with the code: adds new permissions (granting them to
 * the built-in roles that have them by default), updates descriptions, drops retired ones.
 * Grants an admin changed are never reset. Safe to run from many processes at once.
 */
export async function syncPermissions(): Promise<{ added: Permission[] }> {
  const result = await db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('trawl:sync-permissions'))`;
    const names = allPermissions;
    const descriptions = names.map((name) => permissionCatalog[name]);
    const rows = await tx.$queryRaw<Array<{ name: string; is_new: boolean }>>`
      INSERT INTO permission (name, description)
      SELECT * FROM unnest(${names}::text[], ${descriptions}::text[])
      ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description
      RETURNING name, (xmax = 0) AS is_new`;
    const retired = await tx.permission.deleteMany({ where: { name: { notIn: [...names] } } });
    const added = rows.filter((row) => row.is_new).map((row) => row.name as Permission);
    const grants = builtInRoles.flatMap((role) =>
      defaultPermissionsOf(role)
        .filter((permission) => added.includes(permission))
        .map((permission) => ({ roleName: role, permissionName: permission })),
    );
    // Admin holds everything, also what an older version of this code did not grant it.
    for (const permission of allPermissions)
      grants.push({ roleName: ADMIN_ROLE, permissionName: permission });
    const granted = await tx.rolePermission.createMany({ data: grants, skipDuplicates: true });
    return { added, changed: retired.count + granted.count > 0 };
  });
  if (result.changed) await authChanged({ kind: 'all' });
  return { added: result.added };
}

export async function listRoles(): Promise<RoleView[]> {
  const roles = await db().role.findMany({
    orderBy: [{ builtIn: 'desc' }, { createdAt: 'asc' }],
    include: { permissions: true, _count: { select: { users: true } } },
  });
  return roles.map((role) => ({
    name: role.name,
    description: role.description,
    builtIn: role.builtIn,
    permissions: role.permissions.map((p) => p.permissionName as Permission).sort(),
    users: role._count.users,
  }));
}

export async function getRole(name: string): Promise<RoleView> {
  const role = (await listRoles()).find((r) => r.name === name);
  if (!role) throw new NotFoundError(`no role "${name}"`);
  return role;
}

/** The permissions a role holds now (admin: every one, whatever the table says). */
export async function permissionsOfRole(name: string): Promise<Permission[]> {
  if (name === ADMIN_ROLE) return [...allPermissions];
  const rows = await db().rolePermission.findMany({ where: { roleName: name } });
  return rows.map((row) => row.permissionName as Permission);
}

export async function createRole(input: unknown): Promise<RoleView> {
  const data = roleCreateSchema.parse(input);
  try {
    await db().role.create({
      data: {
        name: data.name,
        description: data.description,
        permissions: { create: data.permissions.map((permissionName) => ({ permissionName })) },
      },
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
      throw new ConflictError(`a role named "${data.name}" exists already`);
    throw error;
  }
  return getRole(data.name);
}

/** Replaces a role's permissions (one row of the matrix). The admin role cannot be narrowed. */
export async function setRolePermissions(name: string, input: unknown): Promise<RoleView> {
  const { permissions } = rolePermissionsSchema.parse(input);
  if (name === ADMIN_ROLE)
    throw ValidationError.field('permissions', 'the admin role always has every permission');
  await db().$transaction(async (tx) => {
    const role = await tx.role.findUnique({ where: { name } });
    if (!role) throw new NotFoundError(`no role "${name}"`);
    await tx.rolePermission.deleteMany({ where: { roleName: name } });
    await tx.rolePermission.createMany({
      data: [...new Set(permissions)].map((permissionName) => ({ roleName: name, permissionName })),
    });
  });
  await authChanged({ kind: 'role', role: name });
  return getRole(name);
}

/** Deletes a custom role nobody holds. */
export async function deleteRole(name: string): Promise<void> {
  const role = await getRole(name);
  if (role.builtIn) throw new ConflictError(`"${name}" is a built-in role and cannot be deleted`);
  if (role.users > 0) throw new ConflictError(`${role.users} user(s) hold the role "${name}"`);
  await db().role.delete({ where: { name } });
}

export async function roleExists(name: string): Promise<boolean> {
  return (await db().role.count({ where: { name } })) > 0;
}
