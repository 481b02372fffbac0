/**
 * What a process must close before it exits, registered by the modules that open it when they
 * are first loaded. A short command (`trawl whoami`) then never loads the database client or
 * BullMQ just to close them: whatever it did not load has nothing open.
 */
const ORDER = ['queues', 'redis', 'db'] as const;
export type CloserStage = (typeof ORDER)[number];

const closers = new Map<CloserStage, () => Promise<void>>();

/** Registers how to close one kind of connection (queues close first, the database last). */
export function closeAtExit(stage: CloserStage, close: () => Promise<void>): void {
  closers.set(stage, close);
}

/** Closes every registered kind of connection in order; a failure does not stop the rest. */
export async function closeRegistered(): Promise<void> {
  for (const stage of ORDER) {
    const close = closers.get(stage);
    if (close) await close().catch(() => {});
  }
}
