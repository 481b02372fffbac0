import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import {
  ConflictError,
  type CrawlRuns,
  createSite,
  getSite,
  listSites,
  NotFoundError,
  SiteExistsError,
  updateSite,
} from '../catalog/index.ts';
import { CrawlStatus } from '../core/db/index.ts';
import { siteSchema } from '../core/site.ts';
import { errorSchema, invalid } from './errors.ts';

const siteRecordSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  rules: siteSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});

const runSchema = z.object({
  id: z.uuid(),
  siteId: z.uuid(),
  status: z.enum(CrawlStatus),
  trigger: z.string(),
  queued: z.number().int(),
  fetched: z.number().int(),
  failed: z.number().int(),
  productsFound: z.number().int(),
  productsIngested: z.number().int().nullable(),
  productsNew: z.number().int(),
  productsChanged: z.number().int(),
  productsGone: z.number().int(),
  skipped: z.record(z.string(), z.number().int()),
  failureReason: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

const nameParam = z.object({ name: z.string().min(1).max(100) });
const runParam = z.object({ id: z.uuid() });

/** Operator routes: crawl rules (sites) and crawl runs. */
export function operatorRoutes(runs: CrawlRuns) {
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) return invalid(c, result.error);
    },
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/schema/site',
      tags: ['operator'],
      summary: 'JSON Schema of a site definition (crawl rules)',
      responses: { 200: { description: 'JSON Schema (draft 2020-12)' } },
    }),
    (c) => c.json(z.toJSONSchema(siteSchema, { io: 'input' }) as Record<string, unknown>),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/sites',
      tags: ['operator'],
      summary: 'List sites',
      responses: { 200: json(z.object({ items: z.array(siteRecordSchema) }), 'All sites') },
    }),
    async (c) => c.json({ items: (await listSites()).map(serialise) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/sites',
      tags: ['operator'],
      summary: 'Create a site from its crawl rules',
      request: { body: { content: { 'application/json': { schema: z.unknown() } }, required: true } },
      responses: {
        201: json(siteRecordSchema, 'Created'),
        400: json(errorSchema, 'Invalid site definition, with the failing fields'),
        409: json(errorSchema, 'A site with that name exists'),
      },
    }),
    async (c) => {
      const body = await c.req.json().catch(() => undefined);
      if (body === undefined) return c.json({ error: 'the body must be a JSON object' }, 400);
      const parsed = siteSchema.safeParse(body);
      if (!parsed.success) return invalid(c, parsed.error);
      try {
        return c.json(serialise(await createSite(parsed.data)), 201);
      } catch (error) {
        if (error instanceof SiteExistsError) return c.json({ error: error.message }, 409);
        throw error;
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/sites/{name}',
      tags: ['operator'],
      summary: 'Read a site',
      request: { params: nameParam },
      responses: { 200: json(siteRecordSchema, 'The site'), 404: json(errorSchema, 'No such site') },
    }),
    async (c) => {
      const site = await getSite(c.req.valid('param').name);
      return site ? c.json(serialise(site), 200) : c.json({ error: 'site not found' }, 404);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/sites/{name}',
      tags: ['operator'],
      summary: 'Change some of a site’s rules (the result is validated as a whole)',
      request: {
        params: nameParam,
        body: {
          content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
          required: true,
        },
      },
      responses: {
        200: json(siteRecordSchema, 'Updated'),
        400: json(errorSchema, 'Invalid change'),
        404: json(errorSchema, 'No such site'),
      },
    }),
    async (c) => {
      try {
        const site = await updateSite(c.req.valid('param').name, c.req.valid('json'));
        return site ? c.json(serialise(site), 200) : c.json({ error: 'site not found' }, 404);
      } catch (error) {
        if (error instanceof z.ZodError) return invalid(c, error);
        throw error;
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/sites/{name}/crawls',
      tags: ['operator'],
      summary: 'Start a crawl of the site',
      request: { params: nameParam },
      responses: {
        202: json(runSchema, 'The run, started'),
        404: json(errorSchema, 'No such site'),
        409: json(errorSchema, 'The site has an active run'),
      },
    }),
    async (c) => {
      try {
        return c.json(serialiseRun(await runs.start(c.req.valid('param').name)), 202);
      } catch (error) {
        if (error instanceof NotFoundError) return c.json({ error: error.message }, 404);
        if (error instanceof ConflictError) return c.json({ error: error.message }, 409);
        throw error;
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/crawls',
      tags: ['operator'],
      summary: 'Recent crawl runs, newest first',
      request: { query: z.object({ site: z.string().max(100).optional() }) },
      responses: {
        200: json(z.object({ items: z.array(runSchema) }), 'Runs'),
        404: json(errorSchema, 'No such site'),
      },
    }),
    async (c) => {
      const siteName = c.req.valid('query').site;
      const site = siteName ? await getSite(siteName) : null;
      if (siteName && !site) return c.json({ error: 'site not found' }, 404);
      return c.json({ items: (await runs.list(site?.id)).map(serialiseRun) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/crawls/{id}',
      tags: ['operator'],
      summary: 'A crawl run’s status and counters',
      request: { params: runParam },
      responses: { 200: json(runSchema, 'The run'), 404: json(errorSchema, 'No such run') },
    }),
    async (c) => {
      const run = await runs.get(c.req.valid('param').id);
      return run ? c.json(serialiseRun(run), 200) : c.json({ error: 'run not found' }, 404);
    },
  );

  const actions = [
    [
      'cancel',
      'Cancel a run on every crawler node (queued URLs are dropped)',
      (id: string) => runs.cancel(id),
    ],
    [
      'pause',
      'Pause a run on every crawler node within seconds; nothing queued is lost',
      (id: string) => runs.pause(id),
    ],
    ['resume', 'Resume a paused run', (id: string) => runs.resume(id)],
  ] as const;
  for (const [action, summary, apply] of actions) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/crawls/{id}/${action}`,
        tags: ['operator'],
        summary,
        request: { params: runParam },
        responses: {
          200: json(runSchema, 'The run'),
          404: json(errorSchema, 'No such run'),
          409: json(errorSchema, 'The run is not in a state that allows this'),
        },
      }),
      async (c) => {
        try {
          return c.json(serialiseRun(await apply(c.req.valid('param').id)), 200);
        } catch (error) {
          if (error instanceof NotFoundError) return c.json({ error: error.message }, 404);
          if (error instanceof ConflictError) return c.json({ error: error.message }, 409);
          throw error;
        }
      },
    );
  }

  return app;
}

function serialise(site: Awaited<ReturnType<typeof listSites>>[number]) {
  return { ...site, createdAt: site.createdAt.toISOString(), updatedAt: site.updatedAt.toISOString() };
}

function serialiseRun(run: Awaited<ReturnType<CrawlRuns['start']>>) {
  return {
    ...run,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}
