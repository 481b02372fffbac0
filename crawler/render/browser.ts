// Types only: Playwright is loaded when the first page needs a browser, so HTTP-only crawler
// nodes never pay its start-up time or memory.
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { GuardProxy } from './guard.ts';
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
  /** Stylesheets rarely change the DOM a crawler reads; blocking them saves a round trip per page. Default true. */
  blockStylesheets?: boolean;
}

/**
 * A render reaches public addresses only, unless these say otherwise: every request of the
 * page (document, redirects, subresources, websockets) goes through a guarding proxy.
 */
export interface RenderOptions {
  userAgent?: string;
  signal?: AbortSignal;
  /** The site allows private networks: no proxy, Chromium connects by itself. */
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

/** Chromium's flags for every headless use of it: the crawler's renderer, `trawl extract --render`, tests. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // WebRTC may send UDP anywhere, past any proxy: allow only what goes through the proxy.
  '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
];
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
  readonly #options: Required<BrowserRendererOptions>;
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
    let proxy: GuardProxy | undefined;
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
      if (!options.allowPrivateNetwork) {
        const starting = GuardProxy.start({ privateHosts: options.privateHosts ?? [] });
        // A proxy that starts after the render stopped is closed here, as nobody else will.
        void starting.then((late) => (stoppedBy ? late.close() : undefined)).catch(() => {});
        proxy = await step(starting);
      }
      const creating = browser.newContext({
        userAgent: options.userAgent ?? this.#options.userAgent,
        // Service workers fetch outside the context's routes (the proxy still sees their requests).
        serviceWorkers: 'block',
        acceptDownloads: false,
        // "<-loopback>" sends loopback addresses through the proxy too, which Chromium otherwise
        // connects to directly (Playwright adds it by default, unless an environment variable says no).
        ...(proxy ? { proxy: { server: proxy.url, bypass: '<-loopback>' } } : {}),
      });
      // A context that arrives after the render stopped is closed here, as nobody else will.
      lateClose = creating
        .then((late) => (stoppedBy ? late.close().catch(() => {}) : undefined))
        .catch(() => {});
      context = await step(creating);
      const page = await step(context.newPage());
      await step(
        context.route('**/*', (route) =>
          (this.#blockedTypes.has(route.request().resourceType())
            ? route.abort('blockedbyclient')
            : route.continue()
          )
            // The context may be closing (timeout, abort): nothing waits for this request any more.
            .catch(() => {}),
        ),
      );
      const response = await step(this.#navigate(page, url, proxy, started));
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
      // The proxy goes after the context, whose connections it carried; bounded like the rest.
      if (proxy) await Promise.race([proxy.close(), delay(GRACE_MS)]);
      release();
    }
  }

  /**
   * page.goto; Chromium follows redirects itself, each hop through the proxy. A main document
   * the proxy refused (the page or a redirect leading to a private address) fails the render
   * with RenderBlockedError, whether the proxy answered for it (plain HTTP) or closed the
   * tunnel (HTTPS).
   */
  async #navigate(
    page: Page,
    url: string,
    proxy: GuardProxy | undefined,
    started: number,
  ): Promise<Response | null> {
    let document = url;
    page.on('request', (request) => {
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) document = request.url();
    });
    const refused = (at: string) => new RenderBlockedError(`${at} is on a private network address, refused`);
    const timeout = Math.max(1, this.#options.navigationTimeoutMs - (performance.now() - started));
    let response: Response | null;
    try {
      response = await page.goto(url, { waitUntil: 'domcontentloaded', timeout });
    } catch (error) {
      if (proxy?.refused(document)) throw refused(document);
      throw error;
    }
    if (response && proxy?.refused(response.url())) throw refused(response.url());
    return response;
  }

  async #browser(): Promise<Browser> {
    if (this.#closed) throw new Error('browser renderer is closed');
    if (this.#current && !this.#current.isConnected()) this.#launching = undefined;
    this.#launching ??= this.#launch();
    return this.#launching;
  }

  // Not async: the promise stored in #launching must be the one the handlers below compare against.
  #launch(): Promise<Browser> {
    const launching = import('playwright-core')
      .then(({ chromium }) =>
        chromium.launch({
          executablePath: this.#options.executablePath,
          args: CHROMIUM_ARGS,
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
