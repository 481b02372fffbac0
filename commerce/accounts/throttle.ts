import {
  type IRateLimiterStoreOptions,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { RateLimitedError } from '../../core/errors.ts';
import { key, redisFailFast } from '../../core/redis.ts';

/**
 * Sign-in throttling, kept in Redis so it holds across every API instance (rate-limiter-flexible's
 * login-protection recipe, plus an account lockout). Should Redis be down, each instance falls
 * back to an in-memory limiter with the same limits rather than letting guesses through unmetered.
 */
export const LOGIN_LIMITS = {
  /** Failed sign-ins from one address in a day, over every account (slow brute force). */
  perIpPerDay: 100,
  /** Consecutive failures for one account from one address: blocked for an hour. */
  perAccountAndIp: 10,
  /** Failures for one account from anywhere within an hour: the account is locked 15 minutes. */
  perAccountPerHour: 20,
  accountLockSeconds: 15 * 60,
  /** Accounts registered from one address in an hour. */
  registrationsPerIpPerHour: 20,
} as const;

interface Limiter {
  limiter: RateLimiterRedis;
  message: (minutes: number) => string;
}

let limiters:
  | { ip: Limiter; accountAndIp: Limiter; account: Limiter; register: RateLimiterRedis }
  | undefined;

/**
 * A limiter that blocks on the `points`-th consumption. (rate-limiter-flexible lets `points`
 * through and blocks the next, so it is given one less.)
 */
function make(options: Omit<IRateLimiterStoreOptions, 'storeClient'> & { points: number }): RateLimiterRedis {
  const allowed = options.points - 1;
  return new RateLimiterRedis({
    ...options,
    points: allowed,
    storeClient: redisFailFast(),
    keyPrefix: key('throttle', options.keyPrefix!),
    insuranceLimiter: new RateLimiterMemory({
      points: allowed,
      duration: options.duration,
      blockDuration: options.blockDuration,
    }),
  });
}

function all() {
  limiters ??= {
    ip: {
      limiter: make({
        keyPrefix: 'login-ip-day',
        points: LOGIN_LIMITS.perIpPerDay,
        duration: 86_400,
        blockDuration: 86_400,
      }),
      message: (minutes) => `Too many failed sign-ins from your network. Try again in ${minutes} minutes.`,
    },
    accountAndIp: {
      limiter: make({
        keyPrefix: 'login-account-ip',
        points: LOGIN_LIMITS.perAccountAndIp,
        duration: 90 * 86_400,
        blockDuration: 3600,
      }),
      message: (minutes) =>
        `Too many failed sign-ins for this account from your network. Try again in ${minutes} minutes.`,
    },
    account: {
      limiter: make({
        keyPrefix: 'login-account',
        points: LOGIN_LIMITS.perAccountPerHour,
        duration: 3600,
        blockDuration: LOGIN_LIMITS.accountLockSeconds,
      }),
      message: (minutes) =>
        `This account is locked for ${minutes} minutes after too many failed sign-ins. ` +
        'Try again later, or ask an admin to reset the password.',
    },
    register: make({
      keyPrefix: 'register-ip',
      points: LOGIN_LIMITS.registrationsPerIpPerHour + 1,
      duration: 3600,
    }),
  };
  return limiters;
}

function keysFor(email: string, ip: string) {
  return { ip, accountAndIp: `${email}|${ip}`, account: email };
}

function blocked(limiter: Limiter, res: RateLimiterRes | null): RateLimitedError | null {
  if (!res || res.consumedPoints <= limiter.limiter.points) return null;
  const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new RateLimitedError(limiter.message(Math.max(1, Math.ceil(seconds / 60))), seconds);
}

/** Throws RateLimitedError when this account or address may not try to sign in now. */
export async function assertMaySignIn(email: string, ip: string): Promise<void> {
  const l = all();
  const keys = keysFor(email, ip);
  const [byIp, byAccountAndIp, byAccount] = await Promise.all([
    l.ip.limiter.get(keys.ip),
    l.accountAndIp.limiter.get(keys.accountAndIp),
    l.account.limiter.get(keys.account),
  ]);
  const error =
    blocked(l.account, byAccount) ?? blocked(l.accountAndIp, byAccountAndIp) ?? blocked(l.ip, byIp);
  if (error) throw error;
}

/** Counts a failed sign-in; returns the lockout it caused, if any. */
export async function recordFailedSignIn(email: string, ip: string): Promise<RateLimitedError | null> {
  const l = all();
  const keys = keysFor(email, ip);
  const outcomes = await Promise.all(
    (['account', 'accountAndIp', 'ip'] as const).map((which) =>
      l[which].limiter.consume(keys[which]).then(
        () => null,
        (rejection: unknown) => {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
          return new RateLimitedError(l[which].message(Math.max(1, Math.ceil(seconds / 60))), seconds);
        },
      ),
    ),
  );
  return outcomes.find((outcome) => outcome !== null) ?? null;
}

/** A successful sign-in clears the consecutive-failure count of this account from this address. */
export async function recordSuccessfulSignIn(email: string, ip: string): Promise<void> {
  await all()
    .accountAndIp.limiter.delete(keysFor(email, ip).accountAndIp)
    .catch(() => {});
}

/** Throws RateLimitedError when this address has registered too many accounts lately. */
export async function assertMayRegister(ip: string): Promise<void> {
  try {
    await all().register.consume(ip);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw new RateLimitedError(
      `Too many accounts were created from your network. Try again in ${Math.ceil(seconds / 60)} minutes.`,
      seconds,
    );
  }
}
