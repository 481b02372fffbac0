import { db, type Prisma } from '../core/db/index.ts';
import { signal } from './signal.ts';

/**
 * Runs `work` in a transaction and keeps the transaction open, with its locks, until `release`
 * is called: for tests of what other transactions do meanwhile. Resolves once `work` is done;
 * `release` resolves when the transaction has committed.
 */
export async function holdTransaction(
  work: (tx: Prisma.TransactionClient) => Promise<unknown>,
): Promise<{ release: () => Promise<void> }> {
  const ended = signal();
  let ready!: () => void;
  let failed!: (error: unknown) => void;
  const started = new Promise<void>((resolve, reject) => {
    ready = resolve;
    failed = reject;
  });
  const committed = db().$transaction(
    async (tx) => {
      await work(tx);
      ready();
      await ended.promise;
    },
    { timeout: 20_000 },
  );
  committed.catch(failed);
  await started;
  return {
    release: async () => {
      ended.resolve();
      await committed;
    },
  };
}
