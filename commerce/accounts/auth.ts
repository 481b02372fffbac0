import { db } from '../../core/db/index.ts';
import { ForbiddenError, UnauthenticatedError } from '../../core/errors.ts';
import { authChanged } from './auth-cache.ts';
import { hashPassword, needsRehash, verifyDecoy, verifyPassword } from './passwords.ts';
import { loginSchema, passwordChangeSchema, registerSchema } from './schemas.ts';
import { createSession, type SessionView } from './sessions.ts';
import {
  assertMayRegister,
  assertMaySignIn,
  recordFailedSignIn,
  recordSuccessfulSignIn,
} from './throttle.ts';
import { insertUser, type UserView } from './users.ts';

export interface ClientInfo {
  ip: string;
  userAgent?: string | null;
}

export interface SignedIn {
  user: { id: string; email: string; role: string };
  token: string;
  csrfToken: string;
  session: SessionView;
}

const WRONG = 'wrong email or password';

/**
 * Checks an email and password, throttled per account and per address (RateLimitedError), and
 * spends the same time whether or not the email has an account.
 */
export async function verifyCredentials(
  input: unknown,
  client: ClientInfo,
): Promise<{ id: string; email: string; role: string }> {
  const { email, password } = loginSchema.parse(input);
  await assertMaySignIn(email, client.ip);
  const user = await db().user.findUnique({
    where: { email },
    select: { id: true, email: true, roleName: true, status: true, passwordHash: true },
  });
  const ok = user ? await verifyPassword(user.passwordHash, password) : await verifyDecoy(password);
  if (!user || !ok) {
    const lockout = await recordFailedSignIn(email, client.ip);
    if (lockout) throw lockout;
    throw new UnauthenticatedError(WRONG);
  }
  // Only someone who knows the password learns that the account is disabled.
  if (user.status !== 'active') throw new ForbiddenError('this account is disabled: ask an admin');
  await recordSuccessfulSignIn(email, client.ip);
  const data: { lastLoginAt: Date; passwordHash?: string } = { lastLoginAt: new Date() };
  if (needsRehash(user.passwordHash)) data.passwordHash = await hashPassword(password);
  await db().user.update({ where: { id: user.id }, data });
  return { id: user.id, email: user.email, role: user.roleName };
}

/** Email + password sign-in: a new server-side session. */
export async function signIn(input: unknown, client: ClientInfo): Promise<SignedIn> {
  const user = await verifyCredentials(input, client);
  return { user, ...(await createSession(user.id, client)) };
}

/** A shopper registers (and is signed in). Staff accounts are made by admins or the CLI. */
export async function register(
  input: unknown,
  client: ClientInfo,
): Promise<SignedIn & { profile: UserView }> {
  const data = registerSchema.parse(input);
  await assertMayRegister(client.ip);
  const profile = await insertUser({ ...data, role: 'shopper' });
  const session = await createSession(profile.id, client);
  return { user: { id: profile.id, email: profile.email, role: profile.role }, ...session, profile };
}

/**
 * Changes the password after checking the current one (throttled like a sign-in). Every other
 * session of the user ends; the one making the change stays signed in.
 */
export async function changePassword(
  user: { id: string; email: string },
  input: unknown,
  client: ClientInfo,
  currentSessionId?: string,
): Promise<{ otherSessionsEnded: number }> {
  const data = passwordChangeSchema.parse(input);
  await verifyCredentials({ email: user.email, password: data.currentPassword }, client).catch((error) => {
    // The caller is signed in: a wrong current password is a bad field, not a sign-in failure.
    if (error instanceof UnauthenticatedError)
      throw new ForbiddenError('the current password is wrong', undefined, 'currentPassword');
    throw error;
  });
  const passwordHash = await hashPassword(data.newPassword);
  const [, ended] = await db().$transaction([
    db().user.update({ where: { id: user.id }, data: { passwordHash, passwordChangedAt: new Date() } }),
    db().session.deleteMany({
      where: { userId: user.id, ...(currentSessionId ? { id: { not: currentSessionId } } : {}) },
    }),
  ]);
  await authChanged({ kind: 'user', userId: user.id });
  return { otherSessionsEnded: ended.count };
}
