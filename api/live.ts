import { OpenAPIHono, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { type CrawlRuns, LiveRuns, RunHistoryStore } from '../catalog/index.ts';
import { config } from '../core/config.ts';
import { UnavailableError } from '../core/errors.ts';
import { logger } from '../core/logger.ts';
import { redisFailFast } from '../core/redis.ts';
import { access, secureRoute } from './access.ts';
import type { AppEnv } from './env.ts';
import { validationHook } from './errors.ts';
import { LiveHub } from './live-hub.ts';
import { errorResponse, json } from './openapi.ts';
import { visibleRun } from './operator.ts';

const tags = ['operator'];
const readRuns = access.anyOf('crawls:read', 'crawls:read:own');
const runParam = z.object({ id: z.uuid() });

/** An SSE id is the Redis second of the last bucket the client has: a plain epoch second. */
export const eventIdSchema = z.coerce
  .number()
  .int()
  .min(0)
  .max(2 ** 40);

const sampleSchema = z.object({}).passthrough().openapi('CrawlRunSample');
const historySchema = z
  .object({
    runId: z.uuid(),
    width: z.number().int().describe('seconds per sample'),
    samples: z.array(sampleSchema),
    summary: z.object({}).passthrough(),
    examples: z.record(
      z.string(),
      z.array(z.object({ at: z.number(), url: z.string(), message: z.string() })),
    ),
  })
  .openapi('CrawlRunHistory');

/** The live run view's data: an SSE stream while a run goes on, its stored series afterwards. */
export function liveRoutes(runs: CrawlRuns, options: { live?: LiveRuns; maxStreams?: number } = {}) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const log = logger().child({ component: 'live' });
  const history = new RunHistoryStore(redisFailFast());
  const hub = new LiveHub({
    live: options.live ?? new LiveRuns(),
    getRun: (id) => runs.get(id),
    maxStreams: options.maxStreams ?? config().LIVE_MAX_STREAMS,
    onError: (error, runId) => log.warn({ runId, err: (error as Error).message }, 'live feed read failed'),
  });

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/crawls/{id}/live',
      tags,
      summary: 'A run’s live telemetry as Server-Sent Events, one event a second',
      description: [
        'Events: `tick` (id: the Redis second of the last complete bucket it carries; data: ',
        '`{t, snapshot: {counters, buckets, recent, minute, examples, nodes}}`), and `end` when the run ',
        'has ended (data: `{status, run}`), after which the stream closes. Reconnecting with ',
        '`Last-Event-ID` (or `?after=`) sends exactly the seconds after it, from Redis, whichever API ',
        'instance answers. Streams end after ten minutes (browsers reconnect by themselves); a client ',
        'that does not read for 15 s is dropped. `nodes` (every crawler node alive) is only for `crawls:read`.',
      ].join(''),
      access: readRuns,
      request: {
        params: runParam,
        query: z.object({ after: eventIdSchema.optional() }),
        headers: z.object({ 'last-event-id': eventIdSchema.optional() }),
      },
      responses: {
        200: { description: 'The event stream', content: { 'text/event-stream': { schema: z.string() } } },
        404: errorResponse('No such run'),
        503: errorResponse('Too many live streams open on this instance; try again shortly'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await visibleRun(c, runs, id);
      if (hub.full) {
        c.header('Retry-After', '5');
        throw new UnavailableError('too many live streams are open; try again shortly');
      }
      const after = c.req.valid('header')['last-event-id'] ?? c.req.valid('query').after ?? null;
      const nodes = c.get('principal').can('crawls:read');
      // Proxies must pass events on as they come, not buffer them.
      c.header('X-Accel-Buffering', 'no');
      return streamSSE(c, async (stream) => {
        await new Promise<void>((resolve) => {
          let closing = false;
          const close = () => {
            if (closing) return;
            closing = true;
            unwatch();
            resolve();
          };
          const unwatch = hub.watch(id, {
            position: after,
            nodes,
            send: async (event) => {
              if (stream.aborted || stream.closed) return;
              await stream.writeSSE(event);
            },
            close,
          });
          stream.onAbort(close);
        });
      }) as never;
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/crawls/{id}/samples',
      tags,
      summary: 'A run’s stored series (after it ended): per-second samples, totals, error examples',
      description:
        'Each sample: pages (responses), statuses, errors by kind, products found/new/changed, queue depth, requests in flight, politeness waits, per-host latency p50/p95 (ms) and per-node pages and memory. Runs longer than the live window are kept at 10 s, and at most 1,000 samples per run. An active run answers with no samples yet.',
      access: readRuns,
      request: { params: runParam },
      responses: { 200: json(historySchema, 'The run’s history'), 404: errorResponse('No such run') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await visibleRun(c, runs, id);
      const found = await history.read(id);
      const body = found ?? { runId: id, width: 1, samples: [], summary: {}, examples: {} };
      // Which machines crawled is the operators' business, not a merchant's.
      if (found && !c.get('principal').can('crawls:read')) {
        for (const sample of found.samples) sample.nodes = {};
        found.summary.nodes = [];
      }
      return c.json(body as z.infer<typeof historySchema>, 200);
    },
  );

  return { app, hub };
}
