import { closeRegistered } from '../core/closers.ts';

const hooks: Array<() => Promise<unknown> | unknown> = [];

/** Registers cleanup to run, newest first, on SIGINT/SIGTERM or `shutdown()`. */
export function onShutdown(hook: () => Promise<unknown> | unknown): void {
  hooks.unshift(hook);
}

let stopping = false;

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

export function exitOnSignals(): void {
  process.once('SIGINT', () => void shutdown(130));
  process.once('SIGTERM', () => void shutdown(0));
}
