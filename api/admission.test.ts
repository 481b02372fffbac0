import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../core/errors.ts';
import { eventLoopBusy, Gate, type GateOptions } from './admission.ts';

const gateWith = (options: Partial<GateOptions> = {}) =>
  new Gate({ concurrency: 2, maxWaiting: 10, maxWaitMs: 5000, busy: () => false, deferMs: 0, ...options });

/** Runs `work` through the gate, recording when it started and ended. */
function through(gate: Gate, log: string[], name: string, work: Promise<void>): Promise<void> {
  return gate.enter().then(async () => {
    log.push(`start ${name}`);
    try {
      await work;
    } finally {
      log.push(`end ${name}`);
      gate.leave();
    }
  });
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('Gate', () => {
  it('lets at most `concurrency` through at once, the rest in arrival order', async () => {
    const gate = gateWith();
    const log: string[] = [];
    const work = ['a', 'b', 'c', 'd'].map(() => deferred());
    const runs = ['a', 'b', 'c', 'd'].map((name, i) => through(gate, log, name, work[i]!.promise));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(log).toEqual(['start a', 'start b']);
    expect([gate.inFlight, gate.queued]).toEqual([2, 2]);
    work[1]!.resolve();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(log).toEqual(['start a', 'start b', 'end b', 'start c']);
    work[0]!.resolve();
    work[2]!.resolve();
    work[3]!.resolve();
    await Promise.all(runs);
    expect(log.filter((l) => l.startsWith('start'))).toEqual(['start a', 'start b', 'start c', 'start d']);
    expect([gate.inFlight, gate.queued]).toEqual([0, 0]);
  });

  it('refuses at once when the queue is full, and after waiting too long, holding no place', async () => {
    const gate = gateWith({ concurrency: 1, maxWaiting: 1, maxWaitMs: 50 });
    await gate.enter();
    const waiting = gate.enter();
    await expect(gate.enter()).rejects.toBeInstanceOf(UnavailableError);
    await expect(waiting).rejects.toThrow(/try again shortly/);
    expect(gate.queued).toBe(0);
    gate.leave();
    // The place it waited for went to no one: the next request goes straight through.
    await gate.enter();
    expect(gate.inFlight).toBe(1);
    gate.leave();
  });

  it('holds new requests while the process is busy, until they have waited deferMs', async () => {
    let busy = true;
    const gate = gateWith({ busy: () => busy, deferMs: 150 });
    const started = performance.now();
    let admitted = 0;
    const first = gate.enter().then(() => {
      admitted = performance.now() - started;
    });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(admitted).toBe(0);
    await first;
    expect(admitted).toBeGreaterThanOrEqual(140);
    gate.leave();
    // Once the rush has passed, the next goes through at once.
    busy = false;
    const t = performance.now();
    await gate.enter();
    expect(performance.now() - t).toBeLessThan(20);
    gate.leave();
    // And one held while busy goes as soon as the process is no longer busy.
    busy = true;
    const held = gate.enter();
    await new Promise((resolve) => setTimeout(resolve, 30));
    busy = false;
    const before = performance.now();
    await held;
    expect(performance.now() - before).toBeLessThan(100);
    gate.leave();
  });
});

describe('eventLoopBusy', () => {
  it('says busy after the event loop was kept running, and not after it idled', async () => {
    const busy = eventLoopBusy(0.5, 20);
    busy();
    const until = performance.now() + 40;
    while (performance.now() < until) {
      // keep the loop busy
    }
    expect(busy()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 30));
    busy();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(busy()).toBe(false);
  });

  it('says busy when it was sampled late because the loop was kept running (a saturated process)', () => {
    const busy = eventLoopBusy(0.5, 20);
    busy();
    // Ten windows without a sample: the timer meant to sample was held up by the work itself.
    const until = performance.now() + 200;
    while (performance.now() < until) {
      // keep the loop busy
    }
    expect(busy()).toBe(true);
  });
});
