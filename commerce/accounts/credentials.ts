import { createHash, randomBytes } from 'node:crypto';
import DataLoader from 'dataloader';
import { db } from '../../core/db/index.ts';
import { ADMIN_ROLE, allPermissions, isPermission, type Permission } from './permissions.ts';
import { Principal } from './principal.ts';

/**
 * Session cookies and API tokens are 256-bit random strings; only their SHA-256 is stored, so a
 * copy of the database signs nobody in. (A fast hash is right here: the input is random, not a
 * password, so there is nothing to brute-force.)
 */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Most characters a presented credential may have; anything longer is refused unhashed. */
export const MAX_CREDENTIAL_LENGTH = 200;

interface ResolvedRow {
  id: string;
  user_id: string;
  email: string;
  name: string | null;
  role: string;
  permissions: string[];
}

/** The role's permissions (admin: every one), narrowed to `scopes` when given. */
export function effectivePermissions(role: string, granted: string[], scopes?: string[]): Permission[] {
  const fromRole = role === ADMIN_ROLE ? allPermissions : granted.filter(isPermission);
  if (!scopes) return [...fromRole];
  const allowed = new Set(scopes);
  return fromRole.filter((p) => allowed.has(p));
}

/** A verified credential: who it is, and when the credential itself stops being valid. */
export interface Verified {
  principal: Principal;
  expiresAt: Date;
}

type SessionRow = ResolvedRow & {
  token_hash: string;
  csrf_token: string;
  last_seen_at: Date;
  created_at: Date;
  expires_at: Date;
};
type TokenRow = ResolvedRow & {
  token_hash: string;
  scopes: string[];
  last_used_at: Date | null;
  expires_at: Date;
};

/**
 * Credentials verified at the same moment are looked up in one query (a burst of requests whose
 * credentials are not cached, as when a sale opens, would otherwise queue one query each for
 * the database's connections). Nothing is cached here: `cache: false`.
 */
const BATCH = { cache: false, maxBatchSize: 200 } as const;

// One round trip per batch: the sessions, their users and the roles' permissions.
const sessionRows = new DataLoader<string, SessionRow | null>(async (hashes) => {
  const rows = await db().$queryRaw<SessionRow[]>`
    SELECT s.id, s.token_hash, s.csrf_token, s.last_seen_at, s.created_at, s.expires_at, u.id AS user_id,
      u.email, u.name, u.role,
      coalesce(array_agg(rp.permission) FILTER (WHERE rp.permission IS NOT NULL), '{}') AS permissions
    FROM session s
    JOIN app_user u ON u.id = s.user_id AND u.status = 'active'
    LEFT JOIN role_permission rp ON rp.role = u.role
    WHERE s.token_hash = ANY(${hashes}::text[]) AND s.expires_at > now()
    GROUP BY s.id, u.id`;
  const byHash = new Map(rows.map((row) => [row.token_hash, row]));
  return hashes.map((hash) => byHash.get(hash) ?? null);
}, BATCH);

const tokenRows = new DataLoader<string, TokenRow | null>(async (hashes) => {
  const rows = await db().$queryRaw<TokenRow[]>`
    SELECT t.id, t.token_hash, t.scopes, t.last_used_at, t.expires_at, u.id AS user_id, u.email, u.name,
      u.role, coalesce(array_agg(rp.permission) FILTER (WHERE rp.permission IS NOT NULL), '{}') AS permissions
    FROM api_token t
    JOIN app_user u ON u.id = t.user_id AND u.status = 'active'
    LEFT JOIN role_permission rp ON rp.role = u.role
    WHERE t.token_hash = ANY(${hashes}::text[]) AND t.revoked_at IS NULL AND t.expires_at > now()
    GROUP BY t.id, u.id`;
  // Last use, written at most once a minute per token rather than on every request.
  const now = Date.now();
  const stale = rows
    .filter((row) => !row.last_used_at || now - row.last_used_at.getTime() > 60_000)
    .map((row) => row.id);
  if (stale.length > 0)
    await db().apiToken.updateMany({ where: { id: { in: stale } }, data: { lastUsedAt: new Date(now) } });
  const byHash = new Map(rows.map((row) => [row.token_hash, row]));
  return hashes.map((hash) => byHash.get(hash) ?? null);
}, BATCH);

export async function principalFromSession(
  token: string,
  options: { idleMs: number; maxAgeMs: number },
): Promise<Verified | null> {
  if (token.length === 0 || token.length > MAX_CREDENTIAL_LENGTH) return null;
  const row = await sessionRows.load(digest(token));
  if (!row) return null;
  // Sliding expiry, written at most once a minute per session rather than on every request.
  let expiresAt = row.expires_at;
  if (Date.now() - row.last_seen_at.getTime() > 60_000) {
    const now = Date.now();
    expiresAt = new Date(Math.min(now + options.idleMs, row.created_at.getTime() + options.maxAgeMs));
    await db().session.updateMany({ where: { id: row.id }, data: { lastSeenAt: new Date(now), expiresAt } });
  }
  const principal = Principal.fromSession(
    { id: row.user_id, email: row.email, name: row.name, role: row.role },
    effectivePermissions(row.role, row.permissions),
    { id: row.id, csrfToken: row.csrf_token },
  );
  return { principal, expiresAt };
}

export async function principalFromToken(token: string): Promise<Verified | null> {
  if (token.length === 0 || token.length > MAX_CREDENTIAL_LENGTH) return null;
  const row = await tokenRows.load(digest(token));
  if (!row) return null;
  const principal = Principal.fromToken(
    { id: row.user_id, email: row.email, name: row.name, role: row.role },
    effectivePermissions(row.role, row.permissions, row.scopes),
    row.id,
  );
  return { principal, expiresAt: row.expires_at };
}
