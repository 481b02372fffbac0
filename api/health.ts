import { OpenAPIHono, z } from '@hono/zod-openapi';
import { clusterMetrics, isApiWorker } from '../core/cluster-metrics.ts';
import { db } from '../core/db/index.ts';
import { registry, renderMetrics } from '../core/metrics.ts';
import { redisFailFast } from '../core/redis.ts';
import { access, secureRoute } from './access.ts';
import type { AppEnv } from './env.ts';

/** Each dependency check gives up after this long, so /readyz answers within about a second. */
const CHECK_TIMEOUT_MS = 800;

async function check(
  name: string,
  probe: () => Promise<unknown>,
): Promise<{ name: string; ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return { name, ok: true };
  } catch (error) {
    // Only the kind of failure: driver messages can name hosts and users.
    const message = (error as Error).message ?? String(error);
    return { name, ok: false, error: /no answer within/.test(message) ? message : 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
}

const readySchema = z.object({
  ready: z.boolean(),
  checks: z.array(z.object({ name: z.string(), ok: z.boolean(), error: z.string().optional() })),
});

/** Liveness and readiness (Postgres and Redis reachable). */
export function healthRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/healthz',
      tags: ['operations'],
      summary: 'Liveness: the process answers (it checks nothing else)',
      access: access.public,
      responses: { 200: { description: 'ok', content: { 'text/plain': { schema: z.string() } } } },
    }),
    (c) => c.text('ok', 200),
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/readyz',
      tags: ['operations'],
      summary: 'Readiness: Postgres and Redis answer (within about a second)',
      access: access.public,
      responses: {
        200: { description: 'Ready', content: { 'application/json': { schema: readySchema } } },
        503: {
          description: 'A dependency is unreachable',
          content: { 'application/json': { schema: readySchema } },
        },
      },
    }),
    async (c) => {
      const checks = await Promise.all([
        check('postgres', () => db().$queryRaw`SELECT 1`),
        check('redis', () => redisFailFast().ping()),
      ]);
      const ready = checks.every((result) => result.ok);
      return c.json({ ready, checks }, ready ? 200 : 503);
    },
  );

  return app;
}

/** Prometheus metrics: bearer METRICS_TOKEN, or a user with metrics:read. */
export function metricsRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(
    secureRoute({
      method: 'get',
      path: '/metrics',
      tags: ['operations'],
      summary: 'Prometheus metrics (bearer METRICS_TOKEN, or metrics:read)',
      access: access.anyOf('metrics:read'),
      responses: {
        200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } },
      },
    }),
    // Prometheus's own content type (with the exposition format's version), not c.text's.
    async (c) =>
      c.body(await (isApiWorker() ? clusterMetrics() : renderMetrics()), 200, {
        'content-type': registry.contentType,
      }) as unknown as ReturnType<typeof c.text<string, 200>>,
  );
  return app;
}
