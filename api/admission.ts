import { performance } from 'node:perf_hooks';
import type { MiddlewareHandler } from 'hono';
import { config } from '../core/config.ts';
import { UnavailableError } from '../core/errors.ts';
import { costlyWritesRefused, costlyWritesWaiting } from '../core/metrics.ts';

/** How often a gate with requests waiting looks again whether it may let one in. */
const TICK_MS = 25;

export interface GateOptions {
  /** At most this many through at once. */
  concurrency: number;
  /** At most this many waiting; one more is refused at once. */
  maxWaiting: number;
  /** A request waiting longer than this is refused. */
  maxWaitMs: number;
  /** While this says the process is busy, no one new goes through unless they waited `deferMs`. */
  busy: () => boolean;
  deferMs: number;
}

/**
 * At most `concurrency` requests through at once; while the process is busy, none new unless
 * it waited `deferMs` (the cheap requests keeping it busy go first). Up to `maxWaiting` wait
 * their turn in arrival order; beyond that, or after waiting `maxWaitMs`, a request is refused
 * (503, "try again shortly") before it has done anything.
 */
export class Gate {
  private running = 0;
  private readonly waiting: Array<{ since: number; admit: () => void; timer: NodeJS.Timeout }> = [];
  private ticker: NodeJS.Timeout | undefined;

  constructor(readonly options: GateOptions) {}

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async enter(): Promise<void> {
    if (this.running < this.options.concurrency && this.waiting.length === 0 && !this.options.busy()) {
      this.running++;
      return;
    }
    if (this.waiting.length >= this.options.maxWaiting) throw refused();
    costlyWritesWaiting.inc();
    try {
      await new Promise<void>((resolve, reject) => {
        const place = {
          since: performance.now(),
          admit: () => {
            clearTimeout(place.timer);
            resolve();
          },
          timer: setTimeout(() => {
            const at = this.waiting.indexOf(place);
            if (at >= 0) this.waiting.splice(at, 1);
            reject(refused());
          }, this.options.maxWaitMs),
        };
        this.waiting.push(place);
        this.ticker ??= setInterval(() => this.admit(), TICK_MS);
      });
    } finally {
      costlyWritesWaiting.dec();
    }
  }

  leave(): void {
    this.running--;
    this.admit();
  }

  /** Lets in whoever is next, while there is room and the process is not busy (or they waited long enough). */
  private admit(): void {
    while (this.running < this.options.concurrency && this.waiting.length > 0) {
      const next = this.waiting[0]!;
      if (performance.now() - next.since < this.options.deferMs && this.options.busy()) break;
      this.waiting.shift();
      this.running++;
      next.admit();
    }
    if (this.waiting.length === 0 && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }
}

/**
 * Whether this process's event loop was in use more than `share` of the time since it was
 * last sampled (at least `windowMs` ago): sampled at most once per window, so asking is cheap.
 * However long since the last sample, the answer covers all of it: the gate's timer fires late
 * exactly when the process is saturated, and a late sample must say so, not start afresh.
 */
export function eventLoopBusy(share: number, windowMs = TICK_MS): () => boolean {
  let mark = performance.eventLoopUtilization();
  let at = performance.now();
  let busy = false;
  return () => {
    const now = performance.now();
    if (now - at >= windowMs) {
      const usage = performance.eventLoopUtilization();
      busy = performance.eventLoopUtilization(usage, mark).utilization > share;
      mark = usage;
      at = now;
    }
    return busy;
  };
}

function refused(): UnavailableError {
  costlyWritesRefused.inc();
  return new UnavailableError('too many orders are being placed at this moment: try again shortly');
}

let gate: Gate | undefined;

/**
 * Admission control for the costly writes of buying (placing an order, paying): each is a
 * transaction of dozens of statements, some 40 ms of this process's CPU and 15 of Postgres's
 * here (docs/performance.md), where a flash-sale attempt costs well under 1 ms. In a flash
 * sale a hundred winners place and pay at the same moment as thousands are still pressing
 * "grab"; let through all at once, the winners' writes take the cores and every attempt waits
 * behind them. Through this gate at most COSTLY_WRITES_CONCURRENCY run at once per process,
 * and while the process is saturated (its event loop in use more than COSTLY_WRITES_BUSY_SHARE)
 * they wait, up to COSTLY_WRITES_DEFER_MS, for the rush to pass: the peak is shaved and the
 * orders are placed just after it. Placed after authentication and the route's access check:
 * a request that would be refused holds no place.
 */
export function costlyWrite(): MiddlewareHandler {
  return async (_c, next) => {
    const settings = config();
    gate ??= new Gate({
      concurrency: settings.COSTLY_WRITES_CONCURRENCY,
      maxWaiting: settings.COSTLY_WRITES_QUEUE,
      maxWaitMs: settings.COSTLY_WRITES_MAX_WAIT_MS,
      busy: eventLoopBusy(settings.COSTLY_WRITES_BUSY_SHARE),
      deferMs: settings.COSTLY_WRITES_DEFER_MS,
    });
    const held = gate;
    await held.enter();
    try {
      await next();
    } finally {
      held.leave();
    }
  };
}
