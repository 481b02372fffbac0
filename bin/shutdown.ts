import { closeRegistered } from '../core/closers.ts';

const hooks: Array<() => Promise<unknown> | unknown> = [];

/** Registers cleanup to run, newest first, on SIGINT/SIGTERM or `shutdown()`. */
export function onShutdown(hook: () => Promise<unknown> | unknown): void {
  hooks.unshift(hook);
}

let stopping = false;

/** Waits until `worker` is ready (when it says so) and closes it on shutdown. */
export async function keepUntilShutdown<T extends { close(): Promise<unknown>; ready?(): Promise<unknown> }>(
  worker: T,
): Promise<T> {
  await worker.ready?.();
  onShutdown(() => worker.close());
  return worker;
}

export async function shutdown(code = 0): Promise<never> {
  if (!stopping) {
    stopping = true;
    for (const hook of hooks) {
      try {
        await hook();
      } catch {
        // Shutting down: keep closing the rest.
      }
    }
    // Queues, Redis and the database, each only if this process loaded it.
    await closeRegistered();
  }
  process.exit(code);
}

/**
 * Shuts down on SIGINT/SIGTERM. The listeners stay registered (shutdown runs once anyway):
 * signal-exit, which Crawlee's storage loads through proper-lockfile, re-raises a signal when
 * its own are the only listeners left, killing the process before it has closed anything.
 */
export function exitOnSignals(): void {
  process.on('SIGINT', () => void shutdown(130));
  process.on('SIGTERM', () => void shutdown(0));
}
