// Types only: Playwright is loaded when the first page needs a browser, so HTTP-only crawler
// nodes never pay its start-up time or memory.
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { RequestGuard } from './guard.ts';
import { Semaphore } from './semaphore.ts';

export interface BrowserRendererOptions {
  executablePath: string;
  /** Pages rendered at once; each costs a renderer process (~100 MB). Default 4. */
  maxPages?: number;
  /** Budget for reaching DOMContentLoaded, redirects included. Default 30000. */
  navigationTimeoutMs?: number;
  /** Extra wait for the network to go quiet after DOMContentLoaded. Default 3000. */
  idleTimeoutMs?: number;
  userAgent: string;
  /**
   * Resolves true for URLs the browser must not reach (private networks). Asked once per
   * origin per render, for the page, every subresource, every redirect hop and websockets.
   */
  blockPrivateNetwork?: (url: string) => Promise<boolean>;
  /** Stylesheets rarely change the DOM a crawler reads; blocking them saves a round trip per page. Default true. */
  blockStylesheets?: boolean;
}

export interface RenderOptions {
  userAgent?: string;
  signal?: AbortSignal;
  /** Skips `blockPrivateNetwork` for sites whose rules allow private networks. */
  allowPrivateNetwork?: boolean;
  /** Host names the site's rules allow to resolve to private addresses (`privateHosts`). */
  privateHosts?: readonly string[];
}

export interface RenderResult {
  /** Status of the main document's response; 0 when there was none. */
  status: number;
  finalUrl: string;
  html: string;
  headers: Record<string, string>;
  timings: { totalMs: number };
}

/** A render refused because its URL (or a redirect) leads to a private address. */
export class RenderBlockedError extends Error {
  override name = 'RenderBlockedError';
  // Same code as the network guard's PrivateNetworkError, so the node treats it as permanent.
  readonly code = 'EPRIVATE';
}

export class RenderTimeoutError extends Error {
  override name = 'RenderTimeoutError';
}

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const MAX_REDIRECTS = 10;
// page.content() and friends can hang on a page spinning its main thread; this bounds them.
const GRACE_MS = 5000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Renders pages in headless Chromium for sites whose product data only appears after
 * JavaScript runs. Chromium starts on the first render and again after a crash; every
 * render gets its own context (no cookies shared between pages), closed whatever happens.
 */
export class BrowserRenderer {
  readonly #options: Required<Omit<BrowserRendererOptions, 'blockPrivateNetwork'>> &
    Pick<BrowserRendererOptions, 'blockPrivateNetwork'>;
  readonly #slots: Semaphore;
  readonly #blockedTypes: ReadonlySet<string>;
  #launching: Promise<Browser> | undefined;
  #current: Browser | undefined;
  #closed = false;

  constructor(options: BrowserRendererOptions) {
    this.#options = {
      maxPages: 4,
      navigationTimeoutMs: 30_000,
      idleTimeoutMs: 3000,
      blockStylesheets: true,
      ...options,
    };
    this.#slots = new Semaphore(this.#options.maxPages);
    this.#blockedTypes = new Set([
      'image',
      'font',
      'media',
      ...(this.#options.blockStylesheets ? ['stylesheet'] : []),
    ]);
  }

  /** Browser contexts currently open, i.e. renders in flight (for tests and metrics). */
  openContexts(): number {
    return this.#current?.isConnected() ? this.#current.contexts().length : 0;
  }

  async render(url: string, options: RenderOptions = {}): Promise<RenderResult> {
    const { signal } = options;
    if (!/^https?:\/\//i.test(url)) throw new Error(`cannot render ${url}: only http(s) URLs`);
    const release = await this.#slots.acquire(signal);
    // Time waiting for a slot is not the page's fault: budgets start here.
    const started = performance.now();
    let context: BrowserContext | undefined;
    let closing: Promise<void> | undefined;
    /** Settles once a context created after the render stopped has been closed. */
    let lateClose: Promise<unknown> = Promise.resolve();
    // One close shared by the timer, the signal and finally: a second close() returns before the first is done.
    const closeContext = () => {
      closing ??= context?.close().catch(() => {});
      return closing;
    };
    // Playwright calls pending when their context closes do not always settle (newPage never
    // does), so every step races this and a stopped render cannot hold its slot forever.
    let stoppedBy: 'timeout' | 'abort' | undefined;
    let rejectStopped: (error: Error) => void = () => {};
    const stopped = new Promise<never>((_, reject) => {
      rejectStopped = reject;
    });
    stopped.catch(() => {});
    const step = <T>(promise: Promise<T>) => Promise.race([promise, stopped]);
    const stop = (why: 'timeout' | 'abort') => {
      if (stoppedBy) return;
      stoppedBy = why;
      rejectStopped(new Error(`render stopped (${why})`));
      void closeContext();
    };
    const onAbort = () => stop('abort');
    signal?.addEventListener('abort', onAbort, { once: true });
    const limit = this.#options.navigationTimeoutMs + this.#options.idleTimeoutMs + GRACE_MS;
    const hardStop = setTimeout(() => stop('timeout'), limit);
    try {
      signal?.throwIfAborted();
      const browser = await step(this.#browser());
      const creating = browser.newContext({
        userAgent: options.userAgent ?? this.#options.userAgent,
        // Service workers fetch outside the context's routes, so they would escape the guard.
        serviceWorkers: 'block',
        acceptDownloads: false,
      });
      // A context that arrives after the render stopped is closed here, as nobody else will.
      lateClose = creating
        .then((late) => (stoppedBy ? late.close().catch(() => {}) : undefined))
        .catch(() => {});
      context = await step(creating);
      const page = await step(context.newPage());
      const guard = new RequestGuard({
        blockedTypes: this.#blockedTypes,
        isBlocked: options.allowPrivateNetwork ? undefined : this.#privateCheck(options.privateHosts),
        timeoutMs: this.#options.navigationTimeoutMs,
      });
      await step(guard.install(context, page));
      const response = await step(this.#navigate(page, url, guard, started));
      // Product data often arrives by XHR after DOMContentLoaded; trackers that never go quiet must not cost more.
      await step(
        page.waitForLoadState('networkidle', { timeout: this.#options.idleTimeoutMs }).catch(() => {}),
      );
      const html = await step(page.content());
      return {
        status: response?.status() ?? 0,
        finalUrl: page.url(),
        html,
        headers: response?.headers() ?? {},
        timings: { totalMs: Math.round(performance.now() - started) },
      };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (stoppedBy === 'timeout' || (error as Error).name === 'TimeoutError') {
        throw new RenderTimeoutError(
          `render of ${url} timed out after ${Math.round(performance.now() - started)} ms`,
        );
      }
      throw error;
    } finally {
      clearTimeout(hardStop);
      signal?.removeEventListener('abort', onAbort);
      // A context still being created when the render stopped is closed by lateClose: wait for
      // it too, so a stopped render leaves nothing open behind it.
      await Promise.race([Promise.all([closeContext(), context ? undefined : lateClose]), delay(GRACE_MS)]);
      release();
    }
  }

  /** page.goto that follows main-frame redirects the guard handed back, each checked before it is fetched. */
  async #navigate(page: Page, url: string, guard: RequestGuard, started: number): Promise<Response | null> {
    let target = url;
    for (let hop = 0; ; hop++) {
      guard.pendingRedirect = null;
      const timeout = Math.max(1, this.#options.navigationTimeoutMs - (performance.now() - started));
      try {
        return await page.goto(target, { waitUntil: 'domcontentloaded', timeout });
      } catch (error) {
        if (guard.refusedDocument) {
          throw new RenderBlockedError(`${guard.refusedDocument} is on a private network address, refused`);
        }
        const next = guard.pendingRedirect;
        if (!next) throw error;
        if (hop >= MAX_REDIRECTS) throw new Error(`too many redirects rendering ${url}`);
        target = next;
      }
    }
  }

  async #browser(): Promise<Browser> {
    if (this.#closed) throw new Error('browser renderer is closed');
    if (this.#current && !this.#current.isConnected()) this.#launching = undefined;
    this.#launching ??= this.#launch();
    return this.#launching;
  }

  /** The renderer's private-network check, letting the site's own private hosts through. */
  #privateCheck(privateHosts: readonly string[] = []): ((url: string) => Promise<boolean>) | undefined {
    const check = this.#options.blockPrivateNetwork;
    if (!check || privateHosts.length === 0) return check;
    const allowed = new Set(privateHosts.map((host) => host.toLowerCase()));
    return (url) => (allowed.has(new URL(url).hostname.toLowerCase()) ? Promise.resolve(false) : check(url));
  }

  // Not async: the promise stored in #launching must be the one the handlers below compare against.
  #launch(): Promise<Browser> {
    const launching = import('playwright-core')
      .then(({ chromium }) =>
        chromium.launch({
          executablePath: this.#options.executablePath,
          args: ARGS,
          timeout: 30_000,
          // Playwright's own handlers would exit the process on SIGINT and kill Chromium on SIGTERM,
          // ahead of the node's graceful shutdown; close() does it in order instead.
          handleSIGINT: false,
          handleSIGTERM: false,
          handleSIGHUP: false,
        }),
      )
      .then(async (browser) => {
        if (this.#closed) {
          await browser.close();
          throw new Error('browser renderer is closed');
        }
        this.#current = browser;
        browser.on('disconnected', () => {
          // A crashed or killed Chromium: the next render launches a new one.
          if (this.#launching === launching) this.#launching = undefined;
          if (this.#current === browser) this.#current = undefined;
        });
        return browser;
      });
    // A failed launch (say, a missing binary) must not stick: the next render tries again.
    launching.catch(() => {
      if (this.#launching === launching) this.#launching = undefined;
    });
    return launching;
  }

  /** Closes Chromium; renders in flight fail. */
  async close(): Promise<void> {
    this.#closed = true;
    const launching = this.#launching;
    this.#launching = undefined;
    const browser = await launching?.catch(() => undefined);
    await browser?.close().catch(() => {});
    this.#current = undefined;
  }
}
