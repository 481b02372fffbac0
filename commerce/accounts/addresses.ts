import { db, type Prisma } from '../../core/db/index.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { addressSchema, MAX_ADDRESSES } from './schemas.ts';

export type AddressView = Omit<Prisma.AddressGetPayload<object>, 'latitude' | 'longitude' | 'userId'> & {
  latitude: number | null;
  longitude: number | null;
};

function view(row: Prisma.AddressGetPayload<object>): AddressView {
  const { userId: _owner, latitude, longitude, ...rest } = row;
  return {
    ...rest,
    latitude: latitude === null ? null : latitude.toNumber(),
    longitude: longitude === null ? null : longitude.toNumber(),
  };
}

/** The user's address book, default first. */
export async function listAddresses(userId: string): Promise<AddressView[]> {
  const rows = await db().address.findMany({
    where: { userId },
    orderBy: [{ isDefault: 'desc' }, { createdAt: 'asc' }],
  });
  return rows.map(view);
}

export async function getAddress(userId: string, id: string): Promise<AddressView> {
  const row = await db().address.findFirst({ where: { id, userId } });
  if (!row) throw new NotFoundError('no such address');
  return view(row);
}

/** Adds an address; the first one, or one marked default, becomes the default. */
export async function addAddress(userId: string, input: unknown): Promise<AddressView> {
  const data = addressSchema.parse(input);
  return db().$transaction(async (tx) => {
    // Serialises changes to one user's book, so "one default" and the size cap hold under races.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`address:${userId}`}))`;
    const count = await tx.address.count({ where: { userId } });
    if (count >= MAX_ADDRESSES)
      throw ValidationError.field('(root)', `an address book holds at most ${MAX_ADDRESSES} addresses`);
    const isDefault = count === 0 || data.isDefault === true;
    if (isDefault) await tx.address.updateMany({ where: { userId }, data: { isDefault: false } });
    const row = await tx.address.create({ data: { ...data, userId, isDefault } });
    return view(row);
  });
}

export async function updateAddress(userId: string, id: string, input: unknown): Promise<AddressView> {
  const data = addressSchema.partial().parse(input);
  return db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`address:${userId}`}))`;
    const existing = await tx.address.findFirst({ where: { id, userId } });
    if (!existing) throw new NotFoundError('no such address');
    if (data.isDefault === false && existing.isDefault)
      throw ValidationError.field('isDefault', 'make another address the default instead');
    if (data.isDefault) await tx.address.updateMany({ where: { userId }, data: { isDefault: false } });
    return view(await tx.address.update({ where: { id }, data }));
  });
}

/** Removes an address; when it was the default, the oldest remaining one takes its place. */
export async function deleteAddress(userId: string, id: string): Promise<void> {
  await db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`address:${userId}`}))`;
    const existing = await tx.address.findFirst({ where: { id, userId } });
    if (!existing) throw new NotFoundError('no such address');
    await tx.address.delete({ where: { id } });
    if (existing.isDefault) {
      const next = await tx.address.findFirst({ where: { userId }, orderBy: { createdAt: 'asc' } });
      if (next) await tx.address.update({ where: { id: next.id }, data: { isDefault: true } });
    }
  });
}
