import { SingleBar } from 'cli-progress';
import type { RunView } from '../catalog/index.ts';

/** A run as the API sends it (dates as strings) or as the service returns it. */
export type RunLike = Omit<RunView, 'createdAt' | 'startedAt' | 'finishedAt'> & {
  createdAt: Date | string;
  startedAt: Date | string | null;
  finishedAt: Date | string | null;
};

const finalStatuses = new Set(['completed', 'failed', 'cancelled']);

/** Polls a run and draws a live progress bar (plain lines when not on a terminal) until it ends. */
export async function followRun<R extends RunLike>(
  getRun: (id: string) => Promise<R | null>,
  runId: string,
  intervalMs = 500,
): Promise<R> {
  const tty = process.stderr.isTTY;
  const bar = new SingleBar({
    format:
      ' {bar} {percentage}% | {value}/{total} pages | {products} products | {failed} failed | {rate} pages/s',
    barCompleteChar: '█',
    barIncompleteChar: '░',
    hideCursor: true,
    stream: process.stderr,
    noTTYOutput: false,
  });
  const started = Date.now();
  let lastLine = 0;
  if (tty) bar.start(1, 0, { products: 0, failed: 0, rate: '0.0' });
  for (;;) {
    const run = await getRun(runId);
    if (!run) throw new Error(`run ${runId} disappeared`);
    const done = run.fetched + run.failed;
    const rate = (done / Math.max(0.001, (Date.now() - started) / 1000)).toFixed(1);
    const payload = { products: run.productsFound, failed: run.failed, rate };
    if (tty) {
      bar.setTotal(Math.max(run.queued, 1));
      bar.update(done, payload);
    } else if (Date.now() - lastLine > 5000 || finalStatuses.has(run.status)) {
      lastLine = Date.now();
      process.stderr.write(
        `crawl ${run.status}: ${done}/${run.queued} pages, ${run.productsFound} products, ${run.failed} failed\n`,
      );
    }
    if (finalStatuses.has(run.status)) {
      if (tty) bar.stop();
      return run;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export function describeRun(run: RunLike): string {
  const skipped = Object.entries(run.skipped)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  const seconds =
    run.finishedAt && run.startedAt
      ? ` in ${((new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime()) / 1000).toFixed(1)} s`
      : '';
  return [
    `run ${run.id} ${run.status}${seconds}`,
    `  pages: ${run.queued} queued, ${run.fetched} fetched, ${run.failed} failed`,
    `  products found: ${run.productsFound}`,
    `  skipped: ${skipped || 'none'}`,
    ...(run.failureReason ? [`  failure: ${run.failureReason}`] : []),
  ].join('\n');
}
