import type { Redis } from 'ioredis';
import { z } from 'zod';
import { config } from '../../core/config.ts';
import { logger } from '../../core/logger.ts';
import { LuaScript } from '../../core/lua-script.ts';
import { authCacheLookups } from '../../core/metrics.ts';
import { createRedis, key, redisFailFast } from '../../core/redis.ts';
import { digest } from './credentials.ts';
import { Principal, principalSnapshotSchema } from './principal.ts';

/**
 * A short-lived, size-capped cache of verified sessions and API tokens, so that a request does
 * not cost a Postgres query to find out who sent it. Keyed by the credential's SHA-256 (the
 * secret itself is never kept). An entry lives at most AUTH_CACHE_TTL_MS, never past the
 * credential's own expiry, and is dropped on every API instance as soon as anything that could
 * change the answer happens: a session ends or a token is revoked, a password changes, a user is
 * edited or disabled, a role's permissions change. Those changes publish a message on a Redis
 * channel under QUEUE_PREFIX; every process's cache listens to it. Should a message be lost
 * (the listener was disconnected), the whole cache is dropped when it reconnects, and the TTL
 * bounds what remains (the publisher's own Redis failing at the wrong moment).
 *
 * A message alone cannot promise "the next request": it travels on another socket than that
 * request, and a busy process may read the request first (CI saw a session answered 200 after
 * its password was reset elsewhere). So each change also bumps a version in Redis, in the same
 * transaction as its message, and a cache hit is served only when the version this cache has
 * accounted for is still Redis's. One GET on loopback (about 150 µs from Node here) instead
 * of the Postgres query; when the message is late the cache is emptied rather than trusted.
 *
 * What one process reads from Postgres it also shares through Redis (an entry under the
 * credential's hash, tagged with the version it was read at and expiring with the entry in
 * memory), so the other processes and instances, which a shopper's requests reach in turn,
 * need not read it again: on a miss in memory the version and that entry come back in the same
 * round trip. An entry tagged with an older version is never served.
 */

/** What made the answer for a credential change. */
export type AuthChange =
  | { kind: 'credential'; hash: string }
  | { kind: 'user'; userId: string }
  | { kind: 'role'; role: string }
  | { kind: 'all' };

interface Entry {
  principal: Principal;
  /** Epoch ms after which the entry is not used (TTL, or the credential's own expiry). */
  until: number;
}

const caches = new Set<AuthCache>();

function channel(): string {
  return key('auth', 'changes');
}

function versionKey(): string {
  return key('auth', 'version');
}

function sharedKey(hash: string): string {
  return key('auth', 'principal', hash);
}

/**
 * Redis's version of the credentials, and the entry shared for `hash` when asked for, in one
 * round trip; null when Redis cannot say (then nothing is trusted).
 */
async function readShared(
  hash: string | undefined,
): Promise<{ version: number; entry: string | null } | null> {
  try {
    if (hash === undefined)
      return { version: Number((await redisFailFast().get(versionKey())) ?? 0), entry: null };
    const [version, entry] = await redisFailFast().mget(versionKey(), sharedKey(hash));
    return { version: Number(version ?? 0), entry: entry ?? null };
  } catch {
    return null;
  }
}

/**
 * A shared entry, if it is one, made at the current version and still fresh. Entries are made
 * only at the version they were read at (SHARE below), and any change moves the version on, so
 * an entry made before a change is never served after it, in any process.
 */
function sharedEntry(value: string | null, version: number, now: number): Entry | undefined {
  if (value === null) return undefined;
  try {
    const parsed = sharedSchema.safeParse(JSON.parse(value));
    if (!parsed.success || parsed.data.version !== version || parsed.data.until <= now) return undefined;
    return { principal: Principal.fromSnapshot(parsed.data.principal), until: parsed.data.until };
  } catch {
    return undefined;
  }
}

const sharedSchema = z.object({
  version: z.number(),
  until: z.number(),
  principal: principalSnapshotSchema,
});

/**
 * Shares an answer read from Postgres with the other processes, unless the version moved since
 * it was read (a change meanwhile may have made it stale). It expires when the entry in memory
 * would. Not awaited: a request does not wait for others' benefit, and a failure only costs
 * them a Postgres query.
 */
function share(hash: string, principal: Principal, until: number, version: number): void {
  const ttl = until - Date.now();
  if (ttl <= 0) return;
  const value = JSON.stringify({ version, until, principal: principal.snapshot() });
  SHARE.run(redisFailFast(), [versionKey(), sharedKey(hash), String(version), value, String(ttl)]).catch(
    () => {},
  );
}

const SHARE = new LuaScript(
  `if tonumber(redis.call('GET', KEYS[1]) or '0') == tonumber(ARGV[1]) then
  redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
end
return 1`,
  2,
);

export class AuthCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every change: a lookup that began before one does not store its (maybe stale) answer. */
  private generation = 0;
  private subscriber: Redis | undefined;
  private listening: Promise<void> | undefined;
  /** Subscribed now (confirmed by Redis), and ever (so a reconnection subscribes again). */
  private subscribed = false;
  private everSubscribed = false;
  /** The change version every entry accounts for; -1 before the first lookup reads it. */
  private version = -1;

  constructor(
    readonly ttlMs: number = config().AUTH_CACHE_TTL_MS,
    readonly maxEntries: number = config().AUTH_CACHE_MAX_ENTRIES,
    /** Whether entries are shared with other processes through Redis (off: this process's memory only). */
    readonly shared = true,
  ) {
    caches.add(this);
  }

  get size(): number {
    return this.entries.size;
  }

  get enabled(): boolean {
    return this.ttlMs > 0 && this.maxEntries > 0;
  }

  /**
   * Subscribes to the change channel. Until the subscription is confirmed nothing is cached (a
   * change published meanwhile would be missed).
   */
  listen(): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    this.listening ??= (async () => {
      const subscriber = createRedis();
      this.subscriber = subscriber;
      subscriber.on('message', (_channel: string, message: string) => {
        try {
          const { version, ...change } = JSON.parse(message) as AuthChange & { version?: number };
          this.apply(change as AuthChange);
          if (typeof version === 'number') this.accountFor(version);
        } catch {
          this.apply({ kind: 'all' });
        }
      });
      // Messages sent while the connection was down are lost: forget everything, and cache
      // nothing again until the subscription is confirmed anew.
      subscriber.on('close', () => {
        this.subscribed = false;
        this.apply({ kind: 'all' });
      });
      subscriber.on('ready', () => {
        this.apply({ kind: 'all' });
        if (this.subscribed || !this.everSubscribed) return;
        subscriber.subscribe(channel()).then(
          () => {
            this.apply({ kind: 'all' });
            this.subscribed = subscriber.status === 'ready';
          },
          () => {},
        );
      });
      await subscriber.subscribe(channel());
      this.everSubscribed = true;
      this.subscribed = subscriber.status === 'ready';
    })().catch((error: unknown) => {
      logger().warn({ err: error }, 'the authentication cache cannot listen for changes: it stays off');
      this.subscriber?.disconnect();
      this.subscriber = undefined;
    });
    return this.listening;
  }

  private get live(): boolean {
    return this.enabled && this.subscribed && this.subscriber?.status === 'ready';
  }

  /**
   * The principal for a credential: from this process's memory when a fresh entry exists, else
   * from the entry another process shared through Redis, else from `load` (which reads
   * Postgres). Only answers for a signed-in user are cached; `expiresAt` is the credential's own
   * expiry. Each lookup is one Redis round trip: the version alone on a hit in memory, the
   * version and the shared entry together otherwise.
   */
  async get(
    credential: string,
    load: () => Promise<{ principal: Principal; expiresAt: Date } | null>,
  ): Promise<Principal | null> {
    if (!this.live) return (await load())?.principal ?? null;
    const hash = digest(credential);
    const peek = this.entries.get(hash);
    const inMemory = peek !== undefined && peek.until > Date.now();
    const read = await readShared(this.shared && !inMemory ? hash : undefined);
    if (read === null) return (await load())?.principal ?? null;
    // A change whose message has not arrived yet (or never will): what it touched is unknown.
    if (read.version !== this.version) {
      this.apply({ kind: 'all' });
      this.version = read.version;
    }
    // Looked up again after the round trip: a change's message handled meanwhile has removed
    // what it touched (and moved the version on, so the check above passes).
    const entry = this.entries.get(hash);
    const now = Date.now();
    if (entry && entry.until > now) {
      // Most recently used last: the first key is the one to evict.
      this.entries.delete(hash);
      this.entries.set(hash, entry);
      authCacheLookups.inc({ result: 'hit' });
      return entry.principal;
    }
    if (entry) this.entries.delete(hash);
    const shared = sharedEntry(read.entry, read.version, now);
    if (shared) {
      this.remember(hash, shared);
      authCacheLookups.inc({ result: 'shared' });
      return shared.principal;
    }
    authCacheLookups.inc({ result: 'miss' });
    const generation = this.generation;
    const loaded = await load();
    if (!loaded) return null;
    if (generation === this.generation && this.live) {
      const until = Math.min(Date.now() + this.ttlMs, loaded.expiresAt.getTime());
      this.remember(hash, { principal: loaded.principal, until });
      if (this.shared) share(hash, loaded.principal, until, read.version);
    }
    return loaded.principal;
  }

  private remember(hash: string, entry: Entry): void {
    this.entries.set(hash, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /**
   * A message carried change `version`: the next one in sequence moves this cache on; one after a
   * gap (a message lost) means changes went unseen, so everything goes.
   */
  accountFor(version: number): void {
    if (version <= this.version) return;
    if (version !== this.version + 1) this.apply({ kind: 'all' });
    this.version = version;
  }

  /** Drops what a change makes stale, in this cache. */
  apply(change: AuthChange): void {
    this.generation++;
    if (change.kind === 'all' || change.kind === 'role') {
      // Role edits are rare; which entries hold a role is not worth an index.
      if (change.kind === 'all') this.entries.clear();
      else
        for (const [hash, entry] of this.entries)
          if (entry.principal.user?.role === change.role) this.entries.delete(hash);
      return;
    }
    if (change.kind === 'credential') {
      this.entries.delete(change.hash);
      return;
    }
    for (const [hash, entry] of this.entries)
      if (entry.principal.user?.id === change.userId) this.entries.delete(hash);
  }

  async close(): Promise<void> {
    caches.delete(this);
    this.entries.clear();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    await subscriber?.quit().catch(() => subscriber.disconnect());
  }
}

/**
 * Tells every API instance that answers about credentials changed. This process's caches drop
 * them at once; the others when the message arrives (a Redis PUBLISH), and in any case on their
 * next lookup, which sees the version moved. Called after the change is committed in Postgres.
 */
export async function authChanged(...changes: AuthChange[]): Promise<void> {
  for (const change of changes) for (const cache of caches) cache.apply(change);
  try {
    // INCR and PUBLISH run as one script, so a message's version is exactly the one it made.
    const versions = await Promise.all(
      changes.map((change) =>
        ANNOUNCE.run(redisFailFast(), [versionKey(), channel(), JSON.stringify(change)]),
      ),
    );
    // This process's caches applied the changes above: they need not wait for their own messages.
    for (const version of (versions as number[]).sort((a, b) => a - b))
      for (const cache of caches) cache.accountFor(version);
  } catch (error) {
    // Committed in Postgres all the same: other instances forget it within AUTH_CACHE_TTL_MS.
    logger().warn({ err: error }, 'could not announce a credential change; other instances catch up by TTL');
  }
}

const ANNOUNCE = new LuaScript(
  `local version = redis.call('INCR', KEYS[1])
local change = cjson.decode(ARGV[1])
change['version'] = version
redis.call('PUBLISH', KEYS[2], cjson.encode(change))
return version`,
  2,
);

/** The change for a credential, from the secret itself (logout knows only the cookie). */
export function credentialChange(secret: string): AuthChange {
  return { kind: 'credential', hash: digest(secret) };
}
