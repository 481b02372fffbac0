import { db } from '../../core/db/index.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { type AuthCache, authChanged } from './auth-cache.ts';
import { digest, newSecret, principalFromToken } from './credentials.ts';
import type { Permission } from './permissions.ts';
import type { Principal } from './principal.ts';
import { tokenCreateSchema } from './schemas.ts';

/** Recognisable in logs and by secret scanners; the rest is 256 random bits. */
export const TOKEN_PREFIX = 'trawl_pat_';
const MAX_TOKENS_PER_USER = 50;

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

function view(row: TokenView): TokenView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}

/**
 * A personal API token for the owner. Its scopes must be permissions the owner holds now (the
 * token never gets more than its owner's role grants at the time it is used, either). The
 * token itself is returned once and never stored.
 */
export async function createToken(
  owner: { id: string; permissions: ReadonlySet<Permission> },
  input: unknown,
): Promise<{ token: string; record: TokenView }> {
  const data = tokenCreateSchema.parse(input);
  const scopes = data.scopes ?? [...owner.permissions];
  const missing = scopes.find((scope) => !owner.permissions.has(scope));
  if (missing)
    throw new ForbiddenError(
      `a token cannot have "${missing}": your role does not grant it`,
      missing,
      'scopes',
    );
  const active = await db().apiToken.count({
    where: { userId: owner.id, revokedAt: null, expiresAt: { gt: new Date() } },
  });
  if (active >= MAX_TOKENS_PER_USER)
    throw ValidationError.field('name', `at most ${MAX_TOKENS_PER_USER} active tokens: revoke one first`);
  const token = `${TOKEN_PREFIX}${newSecret()}`;
  const record = await db().apiToken.create({
    data: {
      userId: owner.id,
      name: data.name,
      tokenHash: digest(token),
      prefix: token.slice(0, TOKEN_PREFIX.length + 6),
      scopes: [...new Set(scopes)],
      expiresAt: new Date(Date.now() + data.expiresInDays * 86_400_000),
    },
  });
  return { token, record: view(record) };
}

export async function listTokens(userId: string): Promise<TokenView[]> {
  const rows = await db().apiToken.findMany({ where: { userId }, orderBy: { createdAt: 'desc' } });
  return rows.map(view);
}

export async function revokeToken(userId: string, tokenId: string): Promise<void> {
  const { count } = await db().apiToken.updateMany({
    where: { id: tokenId, userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new NotFoundError('no such active token');
  await authChanged({ kind: 'user', userId });
}

/**
 * The principal behind a bearer token, or null when it is unknown, expired, revoked or its user
 * disabled. With a cache, a token verified in the last few seconds is not looked up again.
 */
export async function authenticateToken(token: string, cache?: AuthCache): Promise<Principal | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  if (cache) return cache.get(token, () => principalFromToken(token));
  return (await principalFromToken(token))?.principal ?? null;
}
