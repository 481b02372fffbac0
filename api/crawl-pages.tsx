import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import {
  type CrawlRuns,
  getSite,
  LiveRuns,
  NotFoundError,
  RunHistoryStore,
  type RunView,
  snapshotOf,
} from '../catalog/index.ts';
import { DomainError } from '../core/errors.ts';
import { redisFailFast } from '../core/redis.ts';
import { LiveRunPage, type LiveRunView, liveStylesheet } from '../dashboard/index.ts';
import { access } from './access.ts';
import type { AppEnv } from './env.ts';
import { visibleRun } from './operator.ts';
import { render } from './pages.tsx';

/** Run ids are UUIDs; anything else names no run. */
function runId(value: string): string {
  if (!z.uuid().safeParse(value).success) throw new NotFoundError('run not found');
  return value;
}

const readRuns = access.anyOf('crawls:read', 'crawls:read:own');
const runCrawls = access.anyOf('crawls:run');
const active = new Set(['queued', 'running', 'paused']);
const done: Record<string, string> = {
  pause: 'Paused: every node stops fetching within seconds; nothing queued is lost.',
  resume: 'Resumed.',
  cancel: 'Cancelled.',
  started: 'Crawl started.',
};

/**
 * The crawl console's run page: `/admin/crawls/{id}`, live while the run goes on (the page's
 * script follows /api/v1/crawls/{id}/live) and from its stored history afterwards, with the
 * controls that post back here.
 */
export function crawlPageRoutes(runs: CrawlRuns) {
  const app = new Hono<AppEnv>();
  const live = new LiveRuns();
  const history = new RunHistoryStore(redisFailFast());

  app.get('/static/live.css', access.public, (c) =>
    c.body(liveStylesheet, 200, {
      'cache-control': 'public, max-age=3600',
      'content-type': 'text/css; charset=utf-8',
    }),
  );

  app.get('/admin/crawls/:id', readRuns, async (c) => {
    const run = await visibleRun(c, runs, runId(c.req.param('id')));
    const error = c.req.query('error');
    const message = done[c.req.query('done') ?? '']
      ? { kind: 'ok' as const, text: done[c.req.query('done')!]! }
      : error
        ? { kind: 'error' as const, text: error.slice(0, 300) }
        : null;
    return render(c, <LiveRunPage view={await runView(c, run, message)} />);
  });

  app.post('/admin/crawls/:id/:action{pause|resume|cancel}', runCrawls, async (c) => {
    const id = runId(c.req.param('id'));
    const action = c.req.param('action') as 'pause' | 'resume' | 'cancel';
    await visibleRun(c, runs, id);
    try {
      await runs[action](id);
      return c.redirect(`/admin/crawls/${id}?done=${action}`, 303);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return c.redirect(`/admin/crawls/${id}?error=${encodeURIComponent(error.message)}`, 303);
    }
  });

  app.post('/admin/sites/:name/crawls', runCrawls, async (c) => {
    const site = await getSite(c.req.param('name'));
    if (!site) throw new NotFoundError('site not found');
    try {
      const run = await runs.start(site.name);
      return c.redirect(`/admin/crawls/${run.id}?done=started`, 303);
    } catch (error) {
      if (!(error instanceof DomainError) || error.status !== 409) throw error;
      // The site's active run is where the operator wants to be.
      const current = (await runs.list(site.id, 5)).find((r) => active.has(r.status));
      if (!current) throw error;
      return c.redirect(`/admin/crawls/${current.id}?error=${encodeURIComponent(error.message)}`, 303);
    }
  });

  async function runView(
    c: Context<AppEnv>,
    run: RunView,
    message: LiveRunView['message'],
  ): Promise<LiveRunView> {
    const principal = c.get('principal');
    const site = await getSite(run.siteId);
    const isActive = active.has(run.status);
    const staff = principal.can('crawls:read');
    // A page that cannot reach Redis still shows the run's stored counters.
    const read = isActive ? await live.read(run.id, null, { backfill: 60 }).catch(() => null) : null;
    const found = isActive ? null : await history.read(run.id);
    if (found && !staff) {
      for (const sample of found.samples) sample.nodes = {};
      found.summary.nodes = [];
    }
    return {
      run,
      site: { name: site?.name ?? run.siteId, title: site?.rules.title ?? null },
      canControl: principal.can('crawls:run'),
      active: isActive,
      live: read ? snapshotOf(read, { nodes: staff }) : null,
      history: found,
      message,
    };
  }

  return app;
}
