import type { BrowserContext, Page, Route, WebSocketRoute } from 'playwright-core';

export interface GuardOptions {
  /** Playwright resource types never fetched: they cost bandwidth and carry no product data. */
  blockedTypes: ReadonlySet<string>;
  /** Rejects URLs whose host is on a private network; absent = every address allowed. */
  isBlocked?: ((url: string) => Promise<boolean>) | undefined;
  timeoutMs: number;
}

const MAX_REDIRECTS = 10;
const REDIRECT = new Set([301, 302, 303, 307, 308]);

/**
 * The request policy of one render. With a private-network check, Playwright's route is not
 * enough on its own: it continues redirect hops without asking the route handler, so a public
 * URL could bounce the browser to 169.254.169.254. Guarded requests are therefore fetched
 * hop by hop here (`maxRedirects: 0`), checking every Location before following it; a
 * main-frame redirect is handed back to the renderer so the browser navigates to the
 * checked URL itself and page.url() stays true.
 */
export class RequestGuard {
  readonly #options: GuardOptions;
  readonly #verdicts = new Map<string, Promise<boolean>>();
  /** Where the main document redirected to; the renderer navigates there next. */
  pendingRedirect: string | null = null;
  /** The main document URL refused for its address, if any. */
  refusedDocument: string | null = null;

  constructor(options: GuardOptions) {
    this.#options = options;
  }

  async install(context: BrowserContext, page: Page): Promise<void> {
    await context.route('**/*', (route) => this.#handle(route, page));
    if (this.#options.isBlocked) await context.routeWebSocket(/.*/, (ws) => this.#handleWebSocket(ws));
  }

  /** One answer per origin and render: subresources would otherwise repeat the DNS lookup. */
  #refuse(url: string): Promise<boolean> {
    const check = this.#options.isBlocked;
    if (!check) return Promise.resolve(false);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return Promise.resolve(true);
    }
    if (!/^(https?|wss?):$/.test(parsed.protocol)) return Promise.resolve(true);
    const origin = `${parsed.protocol}//${parsed.host}`;
    let verdict = this.#verdicts.get(origin);
    if (!verdict) {
      // A failing check (say, DNS) refuses: fail closed.
      verdict = check(url).catch(() => true);
      this.#verdicts.set(origin, verdict);
    }
    return verdict;
  }

  async #handle(route: Route, page: Page): Promise<void> {
    const request = route.request();
    try {
      if (this.#options.blockedTypes.has(request.resourceType())) return await route.abort('blockedbyclient');
      if (!this.#options.isBlocked) return await route.continue();
      const mainFrame = request.isNavigationRequest() && request.frame() === page.mainFrame();
      if (await this.#refuse(request.url())) {
        if (mainFrame) this.refusedDocument = request.url();
        return await route.abort('blockedbyclient');
      }
      let url = request.url();
      let method = request.method();
      for (let hop = 0; ; hop++) {
        const response = await route.fetch({
          url,
          method,
          maxRedirects: 0,
          timeout: this.#options.timeoutMs,
        });
        const location = REDIRECT.has(response.status()) ? response.headers().location : undefined;
        if (!location) return await route.fulfill({ response });
        const next = new URL(location, url).href;
        if (mainFrame) {
          this.pendingRedirect = next;
          return await route.abort('aborted');
        }
        if (hop >= MAX_REDIRECTS || (await this.#refuse(next))) return await route.abort('blockedbyclient');
        if (response.status() === 303 || (response.status() <= 302 && method === 'POST')) method = 'GET';
        url = next;
      }
    } catch (error) {
      // The context may be closing (timeout, abort): nothing is waiting for this request any more.
      await route.abort(errorCode(error)).catch(() => {});
    }
  }

  async #handleWebSocket(ws: WebSocketRoute): Promise<void> {
    if (await this.#refuse(ws.url())) await ws.close({ code: 1008, reason: 'blocked' }).catch(() => {});
    else ws.connectToServer();
  }
}

/** Keeps the browser's error close to what Node saw, so "page failed" logs stay useful. */
function errorCode(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/ECONNREFUSED/.test(message)) return 'connectionrefused';
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return 'namenotresolved';
  if (/ECONNRESET/.test(message)) return 'connectionreset';
  if (/timeout|timed out/i.test(message)) return 'timedout';
  return 'failed';
}
