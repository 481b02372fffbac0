import cluster, { type Worker } from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { API_WORKER_ENV, serveClusterMetrics } from '../../core/cluster-metrics.ts';
import { logger } from '../../core/logger.ts';
import { onShutdown, shutdown } from '../shutdown.ts';

/**
 * `trawl api` with API_PROCESSES > 1: this process starts that many API processes on the same
 * port (node:cluster hands them connections in turn) and serves nothing itself. Each runs the
 * whole API and the timers, as separate `trawl api` instances behind a load balancer would: the
 * authentication cache, flash-sale reservations, throttles and live streams already hold across
 * instances through Redis. One that stops unexpectedly is replaced; if they keep stopping (more
 * than twice their number in a minute), the API stops with an error rather than loop.
 */
export async function serveApiProcesses(count: number): Promise<{ url: string }> {
  const log = logger().child({ component: 'api-processes' });
  serveClusterMetrics();
  let started = false;
  let stopping = false;
  const stops: number[] = [];
  const fork = () => cluster.fork({ [API_WORKER_ENV]: '1' });
  cluster.on('exit', (worker: Worker, code: number | null, signal: string | null) => {
    if (!started || stopping) return;
    const now = Date.now();
    stops.push(now);
    while (stops[0]! < now - 60_000) stops.shift();
    if (stops.length > 2 * count) {
      log.fatal(
        { workerPid: worker.process.pid, code, signal },
        'API processes keep stopping: stopping the API',
      );
      void shutdown(1);
      return;
    }
    log.error({ workerPid: worker.process.pid, code, signal }, 'an API process stopped: starting another');
    fork();
  });
  onShutdown(async () => {
    stopping = true;
    await Promise.all(
      Object.values(cluster.workers ?? {}).map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (!worker || worker.process.exitCode !== null || worker.process.signalCode !== null)
              return resolve();
            worker.once('exit', () => resolve());
            worker.process.kill('SIGTERM');
          }),
      ),
    );
  });
  const addresses = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<AddressInfo>((resolve, reject) => {
          const worker = fork();
          const failed = (code: number | null) =>
            reject(new Error(`an API process exited (code ${code}) before it was listening`));
          worker.once('exit', failed);
          worker.once('listening', (address: AddressInfo) => {
            worker.off('exit', failed);
            resolve(address);
          });
        }),
    ),
  );
  started = true;
  const { address, port } = addresses[0]!;
  const host = address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}` };
}
