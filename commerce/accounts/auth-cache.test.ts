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

async function listening(ttlMs = 5000, max = 100): Promise<AuthCache> {
  const cache = new AuthCache(ttlMs, max);
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
    const cache = await listening(5000, 3);
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

  it('caches nothing until it listens for changes', async () => {
    const cache = new AuthCache(5000, 100);
    await cache.get('s-eve', signedIn('eve'));
    expect(cache.size).toBe(0);
    await cache.close();
  });
});
