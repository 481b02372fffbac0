import { afterAll, describe, expect, it } from 'vitest';
import { closeRedis, key, redis } from '../../core/redis.ts';
import { signal } from '../../test/signal.ts';
import { AuthCache, authChanged } from './auth-cache.ts';
import { digest } from './credentials.ts';
import { Principal } from './principal.ts';

const principal = (id: string, role = 'shopper') =>
  Principal.fromToken({ id, email: `${id}@test.example`, name: null, role }, ['account:manage'], `t-${id}`);

/** A lookup that finds `id` signed in for the next minute. */
const signedIn = (id: string, role?: string) => async () => ({
  principal: principal(id, role),
  expiresAt: new Date(Date.now() + 60_000),
});

async function listening(ttlMs = 5000, max = 100, shared = true): Promise<AuthCache> {
  const cache = new AuthCache(ttlMs, max, shared);
  await cache.listen();
  return cache;
}

afterAll(closeRedis);

describe('AuthCache', () => {
  it('answers from memory within the TTL, and asks again after it', async () => {
    const cache = await listening(150);
    let loads = 0;
    const load = async () => {
      loads++;
      return { principal: principal('u1'), expiresAt: new Date(Date.now() + 60_000) };
    };
    expect((await cache.get('secret-1', load))?.userId).toBe('u1');
    expect((await cache.get('secret-1', load))?.userId).toBe('u1');
    expect(loads).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await cache.get('secret-1', load);
    expect(loads).toBe(2);
    await cache.close();
  });

  it('never keeps an entry past the credential’s own expiry, nor a refusal', async () => {
    const cache = await listening();
    let loads = 0;
    const soon = async () => {
      loads++;
      return { principal: principal('u2'), expiresAt: new Date(Date.now() + 50) };
    };
    await cache.get('secret-2', soon);
    await new Promise((resolve) => setTimeout(resolve, 80));
    await cache.get('secret-2', soon);
    expect(loads).toBe(2);
    const refused = async () => {
      loads++;
      return null;
    };
    expect(await cache.get('wrong', refused)).toBeNull();
    expect(await cache.get('wrong', refused)).toBeNull();
    expect(loads).toBe(4);
    await cache.close();
  });

  it('is bounded: the least recently used entry goes first', async () => {
    // Memory alone: shared, the entry evicted here would come back from Redis.
    const cache = await listening(5000, 3, false);
    for (const id of ['a', 'b', 'c']) await cache.get(id, signedIn(id));
    await cache.get('a', signedIn('a')); // a is now the most recent
    await cache.get('d', signedIn('d')); // evicts b
    expect(cache.size).toBe(3);
    let loaded = false;
    await cache.get('b', async () => {
      loaded = true;
      return { principal: principal('b'), expiresAt: new Date(Date.now() + 60_000) };
    });
    expect(loaded).toBe(true);
    await cache.close();
  });

  it('drops entries by credential, user and role, here and in other caches over Redis', async () => {
    const mine = await listening();
    const theirs = await listening();
    for (const cache of [mine, theirs]) {
      await cache.get('s-ann', signedIn('ann'));
      await cache.get('s-bob', signedIn('bob', 'merchant'));
      await cache.get('s-cat', signedIn('cat'));
    }
    // Here, every cache of this process drops it at once.
    await authChanged({ kind: 'credential', hash: digest('s-cat') });
    expect(mine.size).toBe(2);
    expect(theirs.size).toBe(2);
    // Announced by another process: only the Redis message reaches these caches.
    const announce = (change: object) => redis().publish(key('auth', 'changes'), JSON.stringify(change));
    await announce({ kind: 'user', userId: 'ann' });
    await expect.poll(() => [mine.size, theirs.size]).toEqual([1, 1]);
    await announce({ kind: 'role', role: 'merchant' });
    await expect.poll(() => [mine.size, theirs.size]).toEqual([0, 0]);
    await mine.close();
    await theirs.close();
  });

  it('serves no hit once another process has changed credentials, even before its message arrives', async () => {
    const cache = await listening();
    let loads = 0;
    const load = async () => {
      loads++;
      return { principal: principal('gus'), expiresAt: new Date(Date.now() + 60_000) };
    };
    await cache.get('s-gus', load);
    await cache.get('s-gus', load);
    expect(loads).toBe(1);
    // What authChanged does elsewhere, minus the message: a busy process can read the next
    // request before the message that would have dropped the entry.
    await redis().incr(key('auth', 'version'));
    await cache.get('s-gus', load);
    expect(loads).toBe(2);
    // Accounted for now: the fresh answer is served from memory again.
    await cache.get('s-gus', load);
    expect(loads).toBe(2);
    await cache.close();
  });

  it('moves on with each announced change, and forgets everything after a lost one', async () => {
    const cache = await listening();
    await cache.get('s-hal', signedIn('hal'));
    await cache.get('s-ivy', signedIn('ivy'));
    await authChanged({ kind: 'user', userId: 'hal' });
    expect(cache.size).toBe(1);
    // The message is in sequence: ivy's entry is still served without asking Postgres.
    let asked = false;
    await cache.get('s-ivy', async () => {
      asked = true;
      return null;
    });
    expect(asked).toBe(false);
    // A message two versions on (one was lost on the way): nothing cached can be trusted.
    const version = Number(await redis().incr(key('auth', 'version')));
    await redis().publish(
      key('auth', 'changes'),
      JSON.stringify({ kind: 'user', userId: 'nobody', version: version + 1 }),
    );
    await expect.poll(() => cache.size).toBe(0);
    await cache.close();
  });

  it('does not store an answer read before a change it did not see', async () => {
    const cache = await listening();
    const gate = signal();
    const started = signal();
    const pending = cache.get('s-dan', async () => {
      started.resolve();
      await gate.promise;
      return { principal: principal('dan'), expiresAt: new Date(Date.now() + 60_000) };
    });
    // The token is revoked while its lookup is in flight.
    await started.promise;
    cache.apply({ kind: 'user', userId: 'dan' });
    gate.resolve();
    await pending;
    expect(cache.size).toBe(0);
    await cache.close();
  });

  it('forgets everything when its subscription drops, and listens again after reconnecting', async () => {
    const cache = await listening();
    await cache.get('s-fay', signedIn('fay'));
    expect(cache.size).toBe(1);
    // The connection drops (messages sent meanwhile are lost), and ioredis reconnects.
    (cache as unknown as { subscriber: { disconnect(reconnect: boolean): void } }).subscriber.disconnect(
      true,
    );
    await expect.poll(() => cache.size).toBe(0);
    // Once subscribed again it caches again, and hears changes again.
    await expect
      .poll(async () => {
        await cache.get('s-fay', signedIn('fay'));
        return cache.size;
      })
      .toBe(1);
    await redis().publish(key('auth', 'changes'), JSON.stringify({ kind: 'user', userId: 'fay' }));
    await expect.poll(() => cache.size).toBe(0);
    await cache.close();
  });

  it('shares what one process read with the others through Redis, in one round trip', async () => {
    const [first, second] = [await listening(), await listening()];
    let loads = 0;
    const load = async () => {
      loads++;
      return {
        principal: Principal.fromSession(
          { id: 'jon', email: 'jon@test.example', name: 'Jon', role: 'merchant' },
          ['account:manage', 'orders:place'],
          { id: 'sess-jon', csrfToken: 'csrf-jon' },
        ),
        expiresAt: new Date(Date.now() + 60_000),
      };
    };
    const fromPostgres = await first.get('s-jon', load);
    // Written after the answer (not awaited by the request): wait until it is there.
    await expect.poll(() => redis().exists(key('auth', 'principal', digest('s-jon')))).toBe(1);
    const fromRedis = await second.get('s-jon', load);
    expect(loads).toBe(1);
    expect(fromRedis?.snapshot()).toEqual(fromPostgres?.snapshot());
    expect(fromRedis?.can('orders:place')).toBe(true);
    expect(fromRedis?.session?.csrfToken).toBe('csrf-jon');
    // The secret itself is never a key: only its hash.
    expect(await redis().keys(`*s-jon*`)).toEqual([]);
    await first.close();
    await second.close();
  });

  it('never serves a shared entry made before a change, nor one that is not an entry', async () => {
    const [first, second] = [await listening(), await listening()];
    let loads = 0;
    const load = async () => {
      loads++;
      return { principal: principal('kim'), expiresAt: new Date(Date.now() + 60_000) };
    };
    await first.get('s-kim', load);
    await expect.poll(() => redis().exists(key('auth', 'principal', digest('s-kim')))).toBe(1);
    // A change anywhere (here a token revoked by a third process, message not yet arrived).
    await redis().incr(key('auth', 'version'));
    await second.get('s-kim', load);
    expect(loads).toBe(2);
    // Not a principal (another version's layout, a corruption, a forgery): read from Postgres.
    const version = Number(await redis().get(key('auth', 'version')));
    for (const value of [
      'not json',
      JSON.stringify({ version, until: Date.now() + 60_000, principal: { user: null } }),
      JSON.stringify({
        version,
        until: Date.now() + 60_000,
        principal: { ...principal('kim').snapshot(), permissions: ['everything:please'] },
      }),
    ]) {
      await redis().set(key('auth', 'principal', digest('s-lee')), value, 'PX', 60_000);
      const third = await listening();
      expect((await third.get('s-lee', signedIn('lee')))?.userId).toBe('lee');
      await third.close();
    }
    await first.close();
    await second.close();
  });

  it('does not share an answer when the version moved while it was read', async () => {
    const cache = await listening();
    const gate = signal();
    const started = signal();
    const pending = cache.get('s-max', async () => {
      started.resolve();
      await gate.promise;
      return { principal: principal('max'), expiresAt: new Date(Date.now() + 60_000) };
    });
    await started.promise;
    // Another process's change moves the version; this process has not heard of it yet.
    await redis().incr(key('auth', 'version'));
    gate.resolve();
    await pending;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await redis().exists(key('auth', 'principal', digest('s-max')))).toBe(0);
    await cache.close();
  });

  it('does not serve an entry that a change removed while the version was being read', async () => {
    const cache = await listening();
    let loads = 0;
    let revoked = false;
    const load = async () => {
      loads++;
      return revoked ? null : { principal: principal('nia'), expiresAt: new Date(Date.now() + 60_000) };
    };
    await cache.get('s-nia', load);
    expect(loads).toBe(1);
    // Another process revokes the credential: the version moves on in Redis, and its message is
    // handled while this lookup waits for the version.
    revoked = true;
    const version = Number(await redis().incr(key('auth', 'version')));
    const pending = cache.get('s-nia', load);
    cache.apply({ kind: 'user', userId: 'nia' });
    cache.accountFor(version);
    expect(await pending).toBeNull();
    expect(loads).toBe(2);
    await cache.close();
  });

  it('caches nothing until it listens for changes', async () => {
    const cache = new AuthCache(5000, 100);
    await cache.get('s-eve', signedIn('eve'));
    expect(cache.size).toBe(0);
    await cache.close();
  });
});
