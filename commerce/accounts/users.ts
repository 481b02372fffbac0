import { randomBytes } from 'node:crypto';
import { db, Prisma } from '../../core/db/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { authChanged } from './auth-cache.ts';
import { hashPassword } from './passwords.ts';
import { ADMIN_ROLE } from './permissions.ts';
import { roleExists } from './roles.ts';
import { profileSchema, staffCreateSchema, userUpdateSchema } from './schemas.ts';

export interface UserView {
  id: string;
  email: string;
  name: string | null;
  phone: string | null;
  role: string;
  status: 'active' | 'disabled';
  createdAt: Date;
  lastLoginAt: Date | null;
}

const select = {
  id: true,
  email: true,
  name: true,
  phone: true,
  roleName: true,
  status: true,
  createdAt: true,
  lastLoginAt: true,
} as const;

type Row = Prisma.UserGetPayload<{ select: typeof select }>;

function view(row: Row): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    phone: row.phone,
    role: row.roleName,
    status: row.status,
    createdAt: row.createdAt,
    lastLoginAt: row.lastLoginAt,
  };
}

/** A random password for accounts made by an admin or `npm start`: 20 characters, about 119 bits. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url').replace(/[-_]/g, 'x');
}

/** Stores a new user; the email must be free and the role must exist. */
export async function insertUser(data: {
  email: string;
  password: string;
  role: string;
  name?: string | null | undefined;
}): Promise<UserView> {
  if (!(await roleExists(data.role))) throw ValidationError.field('role', `no role "${data.role}"`);
  const passwordHash = await hashPassword(data.password);
  try {
    const row = await db().user.create({
      data: { email: data.email, passwordHash, roleName: data.role, name: data.name ?? null },
      select,
    });
    return view(row);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
      throw new ConflictError('an account with this email exists already');
    throw error;
  }
}

/** A staff (or any) account made by an admin: returns the password when one was generated. */
export async function createStaffUser(input: unknown): Promise<{ user: UserView; password?: string }> {
  const data = staffCreateSchema.parse(input);
  const generated = data.password === undefined ? generatePassword() : undefined;
  const user = await insertUser({ ...data, password: data.password ?? generated! });
  return generated ? { user, password: generated } : { user };
}

export async function getUser(id: string): Promise<UserView> {
  const row = await db().user.findUnique({ where: { id }, select });
  if (!row) throw new NotFoundError('no such user');
  return view(row);
}

export async function findUserByEmail(email: string): Promise<UserView | null> {
  const row = await db().user.findUnique({ where: { email }, select });
  return row ? view(row) : null;
}

export async function listUsers(
  filter: {
    q?: string;
    role?: string;
    status?: 'active' | 'disabled';
    page?: number;
    pageSize?: number;
  } = {},
): Promise<{ items: UserView[]; total: number }> {
  const pageSize = Math.min(Math.max(filter.pageSize ?? 50, 1), 200);
  const page = Math.max(filter.page ?? 1, 1);
  const where: Prisma.UserWhereInput = {
    ...(filter.role ? { roleName: filter.role } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.q
      ? {
          OR: [
            { email: { contains: filter.q, mode: 'insensitive' } },
            { name: { contains: filter.q, mode: 'insensitive' } },
          ],
        }
      : {}),
  };
  const [rows, total] = await Promise.all([
    db().user.findMany({
      where,
      select,
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
    db().user.count({ where }),
  ]);
  return { items: rows.map(view), total };
}

export async function updateProfile(userId: string, input: unknown): Promise<UserView> {
  const data = profileSchema.parse(input);
  const row = await db().user.update({ where: { id: userId }, data, select });
  await authChanged({ kind: 'user', userId });
  return view(row);
}

/**
 * An admin changes a user's role, status or name. The last active admin cannot be demoted or
 * disabled (nobody could manage the platform any more). Disabling signs the user out everywhere.
 */
export async function updateUser(userId: string, input: unknown): Promise<UserView> {
  const data = userUpdateSchema.parse(input);
  if (data.role !== undefined && !(await roleExists(data.role)))
    throw ValidationError.field('role', `no role "${data.role}"`);
  const updated = await db().$transaction(async (tx) => {
    // Serialises admin changes so two admins demoting each other cannot both succeed.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('trawl:admins'))`;
    const current = await tx.user.findUnique({ where: { id: userId }, select });
    if (!current) throw new NotFoundError('no such user');
    const losesAdmin =
      current.roleName === ADMIN_ROLE &&
      current.status === 'active' &&
      ((data.role !== undefined && data.role !== ADMIN_ROLE) || data.status === 'disabled');
    if (losesAdmin) {
      const admins = await tx.user.count({ where: { roleName: ADMIN_ROLE, status: 'active' } });
      if (admins <= 1) throw new ConflictError('this is the last active admin: make another admin first');
    }
    const row = await tx.user.update({ where: { id: userId }, data: renameRole(data), select });
    if (data.status === 'disabled') await tx.session.deleteMany({ where: { userId } });
    return view(row);
  });
  await authChanged({ kind: 'user', userId });
  return updated;
}

function renameRole(data: { role?: string; status?: 'active' | 'disabled'; name?: string | null }) {
  const { role, ...rest } = data;
  return role === undefined ? rest : { ...rest, roleName: role };
}

/** Sets a new password (CLI reset); signs the user out everywhere. */
export async function resetPassword(userId: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await db().$transaction([
    db().user.update({ where: { id: userId }, data: { passwordHash, passwordChangedAt: new Date() } }),
    db().session.deleteMany({ where: { userId } }),
  ]);
  await authChanged({ kind: 'user', userId });
}

/** The e-mail address of each of these users (absent ids are left out): for "by whom" columns. */
export async function emailsOf(ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db().user.findMany({
    where: { id: { in: [...new Set(ids)] } },
    select: { id: true, email: true },
  });
  return new Map(rows.map((r) => [r.id, r.email]));
}
