import { type ChildProcess, spawn } from 'node:child_process';
import { CrawlRuns, type RunView } from '../catalog/index.ts';
import { logger } from '../core/logger.ts';
import { V8_FLAGS } from '../core/v8-flags.ts';
import type { CrawlerNode } from '../crawler/index.ts';
import { IngestWorker, startCrawlerNode } from '../workers/index.ts';

export interface Pipeline {
  runs: CrawlRuns;
  nodes: CrawlerNode[];
  ingest: IngestWorker;
  close(): Promise<void>;
}

/** Real crawler nodes and an ingest worker, in this process, on the test Redis and Postgres. */
export async function startPipeline(
  options: { crawlers?: number; concurrency?: number; jobs?: number } = {},
): Promise<Pipeline> {
  const runs = new CrawlRuns();
  const log = logger();
  const ingest = new IngestWorker(runs, log.child({ component: 'ingest' }));
  await ingest.ready();
  const nodes: CrawlerNode[] = [];
  for (let i = 0; i < (options.crawlers ?? 1); i++) {
    nodes.push(
      await startCrawlerNode(log.child({ component: `crawler-${i}` }), {
        concurrency: options.concurrency ?? 8,
        ...(options.jobs ? { jobs: options.jobs } : {}),
      }),
    );
  }
  return {
    runs,
    nodes,
    ingest,
    async close() {
      await Promise.all(nodes.map((node) => node.close()));
      await ingest.close();
    },
  };
}

const finished = new Set(['completed', 'failed', 'cancelled']);

/** Polls until the run ends; fails the test with the run's counters on timeout. */
export async function waitForRun(runs: CrawlRuns, runId: string, timeoutMs = 90_000): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  let run: RunView | null = null;
  while (Date.now() < deadline) {
    // Tolerates a database outage that a test causes on purpose.
    run = await runs.get(runId).catch(() => run);
    if (run && finished.has(run.status)) return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`run ${runId} did not finish in ${timeoutMs} ms: ${JSON.stringify(run)}`);
}

/**
 * A `trawl worker KIND` process (crawl or ingest), started through the real CLI, resolved
 * once it is ready. Its log is read and dropped so the pipe never fills and blocks it.
 */
export function startWorkerProcess(
  kind: 'crawl' | 'ingest',
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // TRAWL_CPU_PROF_DIR=DIR writes a V8 CPU profile of each worker process there on exit,
    // for finding where a benchmark's time goes (NODE_OPTIONS does not accept --cpu-prof).
    const profile = process.env.TRAWL_CPU_PROF_DIR
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.TRAWL_CPU_PROF_DIR}/${kind}`]
      : [];
    const child = spawn('node', [...V8_FLAGS, ...profile, 'bin/trawl.mjs', 'worker', kind], {
      env: { ...process.env, ...env, LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const failed = (code: number | null) =>
      reject(new Error(`${kind} worker exited with ${code} before it started`));
    child.once('error', reject);
    child.once('exit', failed);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes(`${kind} worker started`)) {
        child.off('exit', failed);
        resolve(child);
      }
    });
  });
}

export { closeConnections } from './connections.ts';
