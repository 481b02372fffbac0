import { config } from '../../core/config.ts';
import { db } from '../../core/db/index.ts';
import { NotFoundError } from '../../core/errors.ts';
import { type AuthCache, authChanged, credentialChange } from './auth-cache.ts';
import { digest, newSecret, principalFromSession } from './credentials.ts';
import type { Principal } from './principal.ts';

/** Most sessions a user keeps; signing in again drops the least recently used. */
const MAX_SESSIONS_PER_USER = 30;

export interface SessionView {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

function lifetimes() {
  const settings = config();
  return {
    idleMs: settings.SESSION_IDLE_HOURS * 3_600_000,
    maxAgeMs: settings.SESSION_MAX_DAYS * 86_400_000,
  };
}

/** A new session for the user; the returned token goes into the cookie and nowhere else. */
export async function createSession(
  userId: string,
  client: { ip?: string | null; userAgent?: string | null } = {},
): Promise<{ token: string; csrfToken: string; session: SessionView }> {
  const token = newSecret();
  const csrfToken = newSecret();
  const { idleMs } = lifetimes();
  const session = await db().$transaction(async (tx) => {
    await tx.session.deleteMany({ where: { userId, expiresAt: { lte: new Date() } } });
    const created = await tx.session.create({
      data: {
        userId,
        tokenHash: digest(token),
        csrfToken,
        expiresAt: new Date(Date.now() + idleMs),
        ip: client.ip ?? null,
        userAgent: client.userAgent?.slice(0, 300) ?? null,
      },
    });
    const stale = await tx.session.findMany({
      where: { userId },
      orderBy: { lastSeenAt: 'desc' },
      skip: MAX_SESSIONS_PER_USER,
      select: { id: true },
    });
    if (stale.length > 0) await tx.session.deleteMany({ where: { id: { in: stale.map((s) => s.id) } } });
    return created;
  });
  return { token, csrfToken, session: sessionView(session) };
}

function sessionView(row: SessionView): SessionView {
  return {
    id: row.id,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    expiresAt: row.expiresAt,
    ip: row.ip,
    userAgent: row.userAgent,
  };
}

/**
 * The principal behind a session cookie, or null when it is unknown, expired or its user
 * disabled. With a cache, a session verified in the last few seconds is not looked up again.
 */
export async function authenticateSession(token: string, cache?: AuthCache): Promise<Principal | null> {
  if (cache) return cache.get(token, () => principalFromSession(token, lifetimes()));
  return (await principalFromSession(token, lifetimes()))?.principal ?? null;
}

export async function listSessions(userId: string): Promise<SessionView[]> {
  const rows = await db().session.findMany({
    where: { userId, expiresAt: { gt: new Date() } },
    orderBy: { lastSeenAt: 'desc' },
  });
  return rows.map(sessionView);
}

/** Ends one of the user's sessions (signing out on another device). */
export async function revokeSession(userId: string, sessionId: string): Promise<void> {
  const { count } = await db().session.deleteMany({ where: { id: sessionId, userId } });
  if (count === 0) throw new NotFoundError('no such session');
  await authChanged({ kind: 'user', userId });
}

/** Sign out everywhere, or everywhere else when `except` is the current session. */
export async function revokeAllSessions(userId: string, except?: string): Promise<number> {
  const { count } = await db().session.deleteMany({
    where: { userId, ...(except ? { id: { not: except } } : {}) },
  });
  await authChanged({ kind: 'user', userId });
  return count;
}

/** Signs out by cookie token (logout). Unknown tokens are fine: the result is the same. */
export async function endSession(token: string): Promise<void> {
  await db().session.deleteMany({ where: { tokenHash: digest(token) } });
  await authChanged(credentialChange(token));
}

/** Drops expired sessions of every user; the scheduler runs it now and then. */
export async function purgeExpiredSessions(): Promise<number> {
  const { count } = await db().session.deleteMany({ where: { expiresAt: { lte: new Date() } } });
  return count;
}
