import cluster, { type Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import { registry, sampleBeforeScrape } from './metrics.ts';

/**
 * /metrics for an API started as several processes (API_PROCESSES): whichever process a scrape
 * reaches asks the primary, which asks every process for its metrics (each samples its gauges
 * first) and adds them up with prom-client's AggregatorRegistry. Counters and histograms are
 * summed; gauges declare their own rule (queue depths: the largest, every process reads the
 * same Redis).
 */

/** Set in the environment of the API processes `trawl api` starts when API_PROCESSES > 1. */
export const API_WORKER_ENV = 'TRAWL_API_WORKER';

/** Whether this process is one of several serving the API. */
export function isApiWorker(): boolean {
  return cluster.isWorker && process.env[API_WORKER_ENV] === '1';
}

type Metrics = MetricObjectWithValues<MetricValue<string>>;

const COLLECT = 'trawl:metrics-collect';
const COLLECTED = 'trawl:metrics-collected';
const REQUEST = 'trawl:metrics-request';
const REPLY = 'trawl:metrics-reply';
/** A process that has not answered by then is left out of the scrape. */
const COLLECT_TIMEOUT_MS = 3000;

type Message =
  | { type: typeof COLLECT; id: string }
  | { type: typeof COLLECTED; id: string; metrics: Metrics[] }
  | { type: typeof REQUEST; id: string }
  | { type: typeof REPLY; id: string; text?: string; error?: string };

function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && typeof (value as Message).type === 'string';
}

/** In a worker process: answers the primary's requests for this process's metrics. */
export function answerMetricsRequests(): void {
  process.on('message', (message: unknown) => {
    if (!isMessage(message) || message.type !== COLLECT) return;
    void (async () => {
      // A gauge that could not be sampled keeps its last value; the scrape still gets the rest.
      await sampleBeforeScrape().catch(() => {});
      const metrics = await registry.getMetricsAsJSON();
      process.send?.({ type: COLLECTED, id: message.id, metrics } satisfies Message);
    })();
  });
}

const pendingReplies = new Map<string, (message: Message & { type: typeof REPLY }) => void>();

/** In a worker process: every process's metrics, added up (Prometheus text). */
export function clusterMetrics(): Promise<string> {
  const id = randomUUID();
  return new Promise((resolve, reject) => {
    if (pendingReplies.size === 0) process.on('message', onReply);
    const timer = setTimeout(() => settle({ type: REPLY, id, error: 'the primary did not answer' }), 10_000);
    const settle = (reply: Message & { type: typeof REPLY }) => {
      clearTimeout(timer);
      pendingReplies.delete(id);
      if (pendingReplies.size === 0) process.off('message', onReply);
      if (reply.text !== undefined) resolve(reply.text);
      else reject(new Error(`metrics of the API's processes: ${reply.error}`));
    };
    pendingReplies.set(id, settle);
    process.send?.({ type: REQUEST, id } satisfies Message);
  });
}

function onReply(message: unknown): void {
  if (isMessage(message) && message.type === REPLY) pendingReplies.get(message.id)?.(message);
}

/** In the primary: collects and adds up every worker's metrics whenever one of them asks. */
export function serveClusterMetrics(): void {
  const collecting = new Map<string, { answers: Metrics[][]; done: () => void; waiting: number }>();
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === COLLECTED) {
      const round = collecting.get(message.id);
      if (!round) return;
      round.answers.push(message.metrics);
      if (--round.waiting === 0) round.done();
      return;
    }
    if (message.type !== REQUEST) return;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w?.isConnected());
    const id = message.id;
    const answers: Metrics[][] = [];
    new Promise<void>((done) => {
      collecting.set(id, { answers, done, waiting: workers.length });
      setTimeout(done, COLLECT_TIMEOUT_MS);
      for (const w of workers) w.send({ type: COLLECT, id } satisfies Message);
    })
      .then(() => AggregatorRegistry.aggregate(answers).metrics())
      .then(
        (text) => worker.send({ type: REPLY, id, text } satisfies Message),
        (error: unknown) => worker.send({ type: REPLY, id, error: String(error) } satisfies Message),
      )
      .finally(() => collecting.delete(id));
  });
}
