import {
  type Bucket,
  bucketView,
  type LiveRead,
  type LiveRuns,
  type RunView,
  snapshotOf,
} from '../catalog/index.ts';

/**
 * Live run streams of one API process. Each run being watched has one feed that reads Redis once
 * a second, just after Redis's clock starts a new second, and hands every watcher of the run the
 * buckets it has not had yet. A watcher's position is the last second it received (its SSE id),
 * so one that missed ticks (slow, reconnected, or another instance served it before) gets exactly
 * the seconds after its position: no gaps, no repeats. Positions are Redis seconds, and every
 * instance reads the same Redis, so any instance can serve any watcher.
 */

export interface LiveEventData {
  /** Redis second of the last complete bucket included: the event's id. */
  t: number;
  snapshot: ReturnType<typeof snapshotOf>;
}

export interface Watcher {
  /** Last second sent (null: nothing yet). */
  position: number | null;
  /** May see the crawler nodes (staff). */
  nodes: boolean;
  /** Sends one event; resolves when written. */
  send(event: { event: 'tick' | 'end'; id: string; data: string }): Promise<void>;
  /** Ends the stream. */
  close(): void;
}

interface WatcherState {
  watcher: Watcher;
  busy: boolean;
  opened: number;
}

interface Feed {
  runId: string;
  watchers: Set<WatcherState>;
  /** Recent complete buckets, oldest first, contiguous up to `position`. */
  cache: Bucket[];
  position: number | null;
  last: LiveRead | null;
  timer: NodeJS.Timeout | undefined;
  /** Set once the run has ended: the feed sends what is left, then `end`, then stops. */
  ended: { run: RunView; at: number } | null;
  reading: boolean;
  /** Events of this tick by what they hold: watchers in step share one serialisation. */
  encoded: Map<string, string>;
}

export interface LiveHubOptions {
  live: LiveRuns;
  /** The run's stored row (final status and counters), for the `end` event. */
  getRun(runId: string): Promise<RunView | null>;
  maxStreams: number;
  /** A stream ends after this long (the browser reconnects with Last-Event-ID and is checked again). */
  maxLifetimeMs?: number;
  /** A watcher that has not taken an event for this long is dropped. */
  stallMs?: number;
  /** Seconds of buckets a new watcher gets first. */
  backfill?: number;
  /** Time after a run's end during which its last buckets may still fill. */
  settleMs?: number;
  onError?(error: unknown, runId: string): void;
}

const CACHE_SECONDS = 300;
const hubs = new Set<LiveHub>();

/**
 * Ends every live stream of this process (at shutdown): an open stream would keep the HTTP
 * server from closing, and the browsers reconnect, with Last-Event-ID, to another instance.
 */
export function closeLiveStreams(): void {
  for (const hub of hubs) hub.closeAll();
}
const terminal = new Set(['completed', 'failed', 'cancelled']);

export class LiveHub {
  readonly #feeds = new Map<string, Feed>();
  readonly #options: Required<Omit<LiveHubOptions, 'onError'>> & Pick<LiveHubOptions, 'onError'>;
  #open = 0;

  constructor(options: LiveHubOptions) {
    this.#options = {
      maxLifetimeMs: 10 * 60_000,
      stallMs: 15_000,
      backfill: CACHE_SECONDS,
      settleMs: 2500,
      ...options,
    };
    hubs.add(this);
  }

  closeAll(): void {
    for (const feed of this.#feeds.values()) for (const state of feed.watchers) state.watcher.close();
  }

  /** Streams open in this process. */
  get open(): number {
    return this.#open;
  }

  get full(): boolean {
    return this.#open >= this.#options.maxStreams;
  }

  /** Adds a watcher; returns the function that removes it (call it when the stream ends). */
  watch(runId: string, watcher: Watcher): () => void {
    this.#open++;
    let feed = this.#feeds.get(runId);
    if (!feed) {
      feed = {
        runId,
        watchers: new Set(),
        cache: [],
        position: null,
        last: null,
        timer: undefined,
        ended: null,
        reading: false,
        encoded: new Map(),
      };
      this.#feeds.set(runId, feed);
    }
    const state: WatcherState = { watcher, busy: false, opened: Date.now() };
    feed.watchers.add(state);
    // The first tick comes at once: a new watcher should not wait a second for its first numbers.
    if (feed.watchers.size === 1) this.#schedule(feed, 0);
    else if (feed.last) void this.#deliver(feed, state);
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      this.#open--;
      feed.watchers.delete(state);
      if (feed.watchers.size === 0) {
        clearTimeout(feed.timer);
        this.#feeds.delete(runId);
      }
    };
  }

  #schedule(feed: Feed, delayMs: number): void {
    clearTimeout(feed.timer);
    feed.timer = setTimeout(() => void this.#tick(feed), delayMs);
  }

  async #tick(feed: Feed): Promise<void> {
    if (this.#feeds.get(feed.runId) !== feed || feed.reading) return;
    feed.reading = true;
    let next = 1000;
    try {
      const read = await this.#options.live.read(feed.runId, feed.position, {
        backfill: this.#options.backfill,
      });
      feed.last = read;
      // Reads are contiguous from the feed's position, so the cache stays gap-free.
      if (feed.position !== null && read.after !== feed.position) feed.cache = [];
      feed.cache.push(...read.buckets);
      if (feed.cache.length > CACHE_SECONDS) feed.cache.splice(0, feed.cache.length - CACHE_SECONDS);
      feed.position = read.to;
      feed.encoded.clear();
      // Next read just after Redis's clock starts the next second: that bucket is then complete.
      next = Math.min(1200, Math.max(200, 1000 - (read.nowMs % 1000) + 25));
      await this.#checkEnd(feed, read);
      await Promise.all([...feed.watchers].map((state) => this.#deliver(feed, state)));
      if (feed.ended && Date.now() - feed.ended.at >= this.#options.settleMs) {
        await this.#finish(feed);
        return;
      }
    } catch (error) {
      // Redis or Postgres unreachable: watchers keep their position and catch up afterwards.
      this.#options.onError?.(error, feed.runId);
    } finally {
      feed.reading = false;
    }
    if (this.#feeds.get(feed.runId) === feed) this.#schedule(feed, next);
  }

  async #checkEnd(feed: Feed, read: LiveRead): Promise<void> {
    if (feed.ended) return;
    const status = read.counters?.status ?? null;
    if (status === 'running' || status === 'paused') return;
    // Redis says finished or cancelled (or has forgotten the run): Postgres has the outcome.
    const run = await this.#options.getRun(feed.runId);
    // A run that ended a while ago has nothing left to settle.
    if (run && terminal.has(run.status))
      feed.ended = { run, at: Math.min(Date.now(), run.finishedAt?.getTime() ?? Date.now()) };
  }

  /** Sends the watcher what it lacks: from the cache, or from Redis when it is further behind. */
  async #deliver(feed: Feed, state: WatcherState): Promise<void> {
    if (state.busy || !feed.last) return;
    const { watcher } = state;
    if (Date.now() - state.opened > this.#options.maxLifetimeMs) {
      watcher.close();
      return;
    }
    state.busy = true;
    try {
      let read = feed.last;
      let buckets: Bucket[];
      const first = feed.cache[0]?.t ?? (feed.position ?? 0) + 1;
      if (watcher.position === null) {
        buckets = feed.cache;
      } else if (watcher.position >= first - 1) {
        buckets = feed.cache.filter((b) => b.t > watcher.position!);
      } else {
        // Behind the cache (a resume from long ago): its own read, up to where the feed is.
        read = await this.#options.live.read(feed.runId, watcher.position, { max: 900 });
        buckets = read.buckets.filter((b) => feed.position === null || b.t <= feed.position);
      }
      const position = buckets.at(-1)?.t ?? watcher.position ?? feed.position ?? read.to;
      if (buckets.length === 0 && watcher.position === position && !feed.ended) {
        // Nothing new for it (it came in between ticks): the next tick has its seconds.
        if (watcher.position !== null) return;
      }
      const key = `${buckets[0]?.t ?? '-'}:${position}:${watcher.nodes}`;
      let data = read === feed.last ? feed.encoded.get(key) : undefined;
      if (data === undefined) {
        const snapshot = snapshotOf({ ...read, buckets }, { nodes: watcher.nodes, window: feed.cache });
        data = JSON.stringify({ t: position, snapshot } satisfies LiveEventData);
        if (read === feed.last) feed.encoded.set(key, data);
      }
      await this.#send(state, { event: 'tick', id: String(position), data });
      watcher.position = position;
    } finally {
      state.busy = false;
    }
  }

  async #send(state: WatcherState, event: Parameters<Watcher['send']>[0]): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<'stalled'>((resolve) => {
      timer = setTimeout(() => resolve('stalled'), this.#options.stallMs);
    });
    try {
      if ((await Promise.race([state.watcher.send(event), stalled])) === 'stalled') state.watcher.close();
    } finally {
      clearTimeout(timer);
    }
  }

  async #finish(feed: Feed): Promise<void> {
    const run = feed.ended!.run;
    this.#feeds.delete(feed.runId);
    await Promise.all(
      [...feed.watchers].map(async (state) => {
        await this.#send(state, {
          event: 'end',
          id: String(state.watcher.position ?? feed.position ?? 0),
          data: JSON.stringify({ status: run.status, run: serialiseRun(run) }),
        }).catch(() => {});
        state.watcher.close();
      }),
    );
  }
}

export function serialiseRun(run: RunView) {
  return {
    ...run,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

export { bucketView };
