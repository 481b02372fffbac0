import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { type Context, Hono } from 'hono';
import { html } from 'hono/html';
import { ForbiddenError } from '../core/errors.ts';
import { queue, queueNames } from '../core/queues.ts';
import { scriptHref } from '../dashboard/index.ts';
import { access } from './access.ts';
import type { AppEnv } from './env.ts';

/** Where bull-board lives; its page sets `<base href>` to this, with the slash. */
export const BOARD_PATH = '/admin/queues';

/**
 * Board actions that would make Redis disagree with Postgres, the record: a job added or edited
 * by hand (a crawl URL outside its run, an order timer for another order), a queue emptied or
 * obliterated (a run's frontier or the unpaid-order timers gone), schedulers changed behind the
 * sites' schedules, worker concurrency and rate limits that the configuration owns. Pausing,
 * resuming, retrying, promoting and cleaning finished jobs stay available.
 */
const REFUSED: Array<[method: string, pattern: RegExp]> = [
  ['POST', /\/api\/queues\/[^/]+\/add$/],
  ['PATCH', /\/api\/queues\/[^/]+\/[^/]+\/(update-data|delay|priority)$/],
  ['PATCH', /\/api\/queues\/[^/]+\/job-schedulers\/[^/]+$/],
  ['PUT', /\/api\/queues\/[^/]+\/job-schedulers\/[^/]+\/(remove|run)$/],
  ['PUT', /\/api\/queues\/[^/]+\/(obliterate|empty|concurrency|rate-limit)$/],
  ['PUT', /\/api\/queues\/[^/]+\/clean\/(waiting|delayed|active|paused|prioritized|waiting-children)$/],
];

function refused(method: string, path: string): boolean {
  return REFUSED.some(([m, pattern]) => m === method && pattern.test(path));
}

let board: Hono | undefined;

/** Built on first use: the board opens its queues' Redis connections only when an admin looks. */
function boardApp(): Hono {
  if (board) return board;
  const adapter = new HonoAdapter(serveStatic).setBasePath(BOARD_PATH);
  createBullBoard({
    // Fail fast: with Redis down the board's requests answer 503 instead of hanging.
    queues: Object.keys(queueNames).map(
      (name) => new BullMQAdapter(queue(name as keyof typeof queueNames, { failFast: true })),
    ),
    serverAdapter: adapter,
    options: {
      uiConfig: {
        boardTitle: 'Trawl queues',
        miscLinks: [{ text: 'Back office', url: '/admin' }],
        hideDocsLink: true,
      },
    },
  });
  board = new Hono().route(BOARD_PATH, adapter.registerPlugin());
  return board;
}

/**
 * The board's page, made to pass the app's CSP: its scripts carry this response's nonce, the
 * web font it would fetch from Google and the inline-styled loading spinner are dropped, and a
 * small script of ours adds the session's CSRF token to the board's own API calls.
 */
function adaptPage(page: string, c: Context<AppEnv>): string {
  const nonce = c.get('secureHeadersNonce') ?? '';
  const csrf = c.get('principal').session?.csrfToken ?? '';
  const head = html`<meta name="trawl-csrf" content="${csrf}" />
<script src="${scriptHref('queues')}" nonce="${nonce}"></script>`;
  return page
    .replace(/<link[^>]+fonts\.googleapis\.com[^>]*>\s*/g, '')
    .replace(/<div id="root">[\s\S]*?<\/div>\s*<style>[\s\S]*?<\/style>\s*<\/div>/, '<div id="root"></div>')
    .replace(/<script\b/g, `<script nonce="${nonce}"`)
    .replace('</head>', `${head}</head>`);
}

/** Forwards to bull-board, behind queues:manage; see REFUSED for what it may not do. */
export function queuesBoardRoutes() {
  const app = new Hono<AppEnv>();
  const policy = access.anyOf('queues:manage');
  app.get(BOARD_PATH, policy, (c) => c.redirect(`${BOARD_PATH}/`, 308));
  app.on(['GET', 'PUT', 'POST', 'PATCH', 'DELETE'], `${BOARD_PATH}/*`, policy, async (c) => {
    const url = new URL(c.req.url);
    if (refused(c.req.method, url.pathname))
      throw new ForbiddenError('the back office does not allow this queue action: Postgres is the record');
    // The board's entry page is mounted at the bare path; the slash is what makes its
    // relative asset links resolve under /admin/queues/.
    if (url.pathname === `${BOARD_PATH}/`) url.pathname = BOARD_PATH;
    const response = await boardApp().fetch(new Request(url, c.req.raw));
    if (!response.headers.get('content-type')?.startsWith('text/html')) return response;
    return c.html(adaptPage(await response.text(), c), response.status as 200);
  });
  return app;
}
