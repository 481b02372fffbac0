import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  type CrawlRuns,
  createSite,
  getSite,
  listSites,
  NotFoundError,
  type RunView,
  type SiteRecord,
  setSiteOwner,
  updateSite,
} from '../catalog/index.ts';
import { CrawlStatus } from '../core/db/index.ts';
import { siteSchema } from '../core/site.ts';
import { access, secureRoute } from './access.ts';
import type { AppEnv } from './env.ts';
import { validationHook } from './errors.ts';
import { errorResponse, isoDate, json, jsonBody } from './openapi.ts';

const siteRecordSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    rules: siteSchema,
    ownerId: z.uuid().nullable().describe('the merchant whose shop this is'),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .openapi('Site');

const runSchema = z
  .object({
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
    createdAt: isoDate,
    startedAt: isoDate.nullable(),
    finishedAt: isoDate.nullable(),
  })
  .openapi('CrawlRun');

const nameParam = z.object({ name: z.string().min(1).max(100) });
const runParam = z.object({ id: z.uuid() });
const tags = ['operator'];

const readSites = access.anyOf('sites:read', 'sites:read:own');
const readRuns = access.anyOf('crawls:read', 'crawls:read:own');

/** A site the caller may see: every site with sites:read, otherwise only the shops they own. */
async function visibleSite(c: Context<AppEnv>, name: string): Promise<SiteRecord> {
  const site = await getSite(name);
  const principal = c.get('principal');
  // Someone else's shop is "not found", not "forbidden": its existence is not the caller's business.
  if (!site || (!principal.can('sites:read') && site.ownerId !== principal.userId))
    throw new NotFoundError('site not found');
  return site;
}

/** A run the caller may see: every run with crawls:read, otherwise only runs of their own shops. */
export async function visibleRun(c: Context<AppEnv>, runs: CrawlRuns, id: string): Promise<RunView> {
  const run = await runs.get(id);
  const principal = c.get('principal');
  if (!run) throw new NotFoundError('run not found');
  if (!principal.can('crawls:read')) {
    const site = await getSite(run.siteId);
    if (!site || site.ownerId !== principal.userId) throw new NotFoundError('run not found');
  }
  return run;
}

/** Operator routes: crawl rules (sites) and crawl runs; merchants read their own shops' part. */
export function operatorRoutes(runs: CrawlRuns) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/schema/site',
      tags,
      summary: 'JSON Schema of a site definition (crawl rules)',
      access: access.public,
      responses: { 200: { description: 'JSON Schema (draft 2020-12)' } },
    }),
    (c) => c.json(z.toJSONSchema(siteSchema, { io: 'input' }) as Record<string, unknown>),
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/sites',
      tags,
      summary: 'List sites (merchants: the shops they own)',
      access: readSites,
      responses: { 200: json(z.object({ items: z.array(siteRecordSchema) }), 'Sites') },
    }),
    async (c) => {
      const principal = c.get('principal');
      const sites = principal.can('sites:read')
        ? await listSites()
        : await listSites({ ownerId: principal.userId! });
      return c.json({ items: sites.map(serialise) }, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/sites',
      tags,
      summary: 'Create a site from its crawl rules',
      description:
        'allowPrivateNetwork and privateHosts need network:private; extraction.plugins needs plugins:use (and only plugins on the installation’s allow-list); politeness below the installation’s floors needs politeness:override.',
      access: access.anyOf('sites:write'),
      request: jsonBody(siteSchema),
      responses: {
        201: json(siteRecordSchema, 'Created'),
        400: errorResponse('Invalid site definition, with the failing fields'),
        403: errorResponse('A field needs a permission the caller lacks (the answer names it)'),
        409: errorResponse('A site with that name exists'),
      },
    }),
    async (c) => c.json(serialise(await createSite(c.req.valid('json'), c.get('principal'))), 201),
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/sites/{name}',
      tags,
      summary: 'Read a site',
      access: readSites,
      request: { params: nameParam },
      responses: { 200: json(siteRecordSchema, 'The site'), 404: errorResponse('No such site') },
    }),
    async (c) => c.json(serialise(await visibleSite(c, c.req.valid('param').name)), 200),
  );

  app.openapi(
    secureRoute({
      method: 'patch',
      path: '/sites/{name}',
      tags,
      summary: 'Change some of a site’s rules (the result is validated as a whole)',
      access: access.anyOf('sites:write'),
      request: { params: nameParam, ...jsonBody(z.record(z.string(), z.unknown())) },
      responses: {
        200: json(siteRecordSchema, 'Updated'),
        400: errorResponse('Invalid change'),
        403: errorResponse('A field needs a permission the caller lacks'),
        404: errorResponse('No such site'),
      },
    }),
    async (c) => {
      const site = await updateSite(c.req.valid('param').name, c.req.valid('json'), c.get('principal'));
      if (!site) throw new NotFoundError('site not found');
      return c.json(serialise(site), 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'put',
      path: '/sites/{name}/owner',
      tags,
      summary: 'Make a merchant the owner of a site (null: no owner)',
      access: access.anyOf('sites:assign'),
      request: { params: nameParam, ...jsonBody(z.object({ ownerId: z.uuid().nullable() }).strict()) },
      responses: { 200: json(siteRecordSchema, 'Updated'), 404: errorResponse('No such site or user') },
    }),
    async (c) =>
      c.json(serialise(await setSiteOwner(c.req.valid('param').name, c.req.valid('json').ownerId)), 200),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/sites/{name}/crawls',
      tags,
      summary: 'Start a crawl of the site',
      access: access.anyOf('crawls:run'),
      request: { params: nameParam },
      responses: {
        202: json(runSchema, 'The run, started'),
        404: errorResponse('No such site'),
        409: errorResponse('The site has an active run'),
        503: errorResponse('Redis is unreachable: nothing was started'),
      },
    }),
    async (c) => c.json(serialiseRun(await runs.start(c.req.valid('param').name)), 202),
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/crawls',
      tags,
      summary: 'Recent crawl runs, newest first (merchants: of their own shops)',
      access: readRuns,
      request: { query: z.object({ site: z.string().max(100).optional() }) },
      responses: {
        200: json(z.object({ items: z.array(runSchema) }), 'Runs'),
        404: errorResponse('No such site'),
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      const siteName = c.req.valid('query').site;
      let scope: string | string[] | undefined;
      if (siteName) {
        const site = await getSite(siteName);
        if (!site || (!principal.can('crawls:read') && site.ownerId !== principal.userId))
          throw new NotFoundError('site not found');
        scope = site.id;
      } else if (!principal.can('crawls:read')) {
        scope = (await listSites({ ownerId: principal.userId! })).map((site) => site.id);
      }
      return c.json({ items: (await runs.list(scope)).map(serialiseRun) }, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/crawls/{id}',
      tags,
      summary: 'A crawl run’s status and counters',
      access: readRuns,
      request: { params: runParam },
      responses: { 200: json(runSchema, 'The run'), 404: errorResponse('No such run') },
    }),
    async (c) => c.json(serialiseRun(await visibleRun(c, runs, c.req.valid('param').id)), 200),
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
      secureRoute({
        method: 'post',
        path: `/crawls/{id}/${action}`,
        tags,
        summary,
        access: access.anyOf('crawls:run'),
        request: { params: runParam },
        responses: {
          200: json(runSchema, 'The run'),
          404: errorResponse('No such run'),
          409: errorResponse('The run is not in a state that allows this'),
          503: errorResponse('Redis is unreachable'),
        },
      }),
      async (c) => c.json(serialiseRun(await apply(c.req.valid('param').id)), 200),
    );
  }

  return app;
}

function serialise(site: SiteRecord) {
  return { ...site, createdAt: site.createdAt.toISOString(), updatedAt: site.updatedAt.toISOString() };
}

function serialiseRun(run: RunView) {
  return {
    ...run,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}
