import { randomUUID } from 'node:crypto';
import type { CheerioCrawler, CheerioCrawlingContext } from '@crawlee/cheerio';
import { type Job, type Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Batcher } from '../core/batcher.ts';
import {
  fetchDuration,
  pageErrors,
  pagesFetched,
  pagesRendered,
  productsExtracted,
} from '../core/metrics.ts';
import {
  type CrawlJob,
  crawlJobSchema,
  type IngestBatch,
  type IngestJob,
  MAX_INGEST_BATCH,
  queueNames,
} from '../core/queues.ts';
import type { SiteRules } from '../core/site.ts';
import type { DeliveryQueue } from './delivery-queue.ts';
import { type Extractor, loadExtractors } from './extract/index.ts';
import { Frontier, type RunContext } from './frontier.ts';
import {
  assertPublicLiteral,
  guardedLookup,
  isPrivateNetworkError as isPrivateRefusal,
} from './network-guard.ts';
import { analysePage, type PageAnalysis } from './page-analysis.ts';
import { effectiveDelayMs, HostGate } from './politeness.ts';
import { BrowserRenderer, evidenceFrom, pageKind, RenderDecider } from './render/index.ts';
import { ResponseTooLargeError } from './response-too-large.ts';
import { RobotsCache } from './robots.ts';
import { RunState } from './run-state.ts';
import { TelemetryRecorder } from './telemetry/recorder.ts';
import { urlId } from './url.ts';
import { UrlFilter } from './url-filter.ts';
import { conditionalHeaders, extractionKey, type PageValidators, ValidatorStore } from './validators.ts';

export interface CrawlerNodeOptions {
  /** Connection for the BullMQ worker (maxRetriesPerRequest: null). */
  connection: Redis;
  /** Connection for run state commands. */
  redis: Redis;
  crawlQueue: Queue;
  ingestQueue: Queue;
  prefix: string;
  concurrency: number;
  /**
   * Jobs a node holds at once (default twice `concurrency`): a job spends part of its time
   * before and after its fetch (run state, links, ingestion), and the fetch slots should not
   * idle meanwhile. `concurrency` still bounds the requests in flight.
   */
  jobs?: number;
  /** Longest a page fetch may take (default 30 s). */
  fetchTimeoutMs?: number;
  /** Chromium for pages that need a browser (launched only when a run needs one). */
  chromiumPath: string;
  /** BullMQ lock duration and stalled-check interval: how soon a dead node's jobs are redelivered. */
  lockMs?: number;
  userAgent: string;
  logger: Logger;
  /** Loads a site's rules (from Postgres in production). */
  loadSite(siteId: string): Promise<{ name: string; rules: SiteRules } | null>;
  /** Called once, on the node that saw the run drain. */
  onRunFinished(runId: string): Promise<void>;
}

/** What a fetch brought back: a page to process, or "not modified since the last crawl". */
type Fetched = { notModified: true } | { notModified: false; page: FetchedPage };

interface FetchedPage {
  finalUrl: string;
  html: string;
  headers: Record<string, string | string[] | undefined>;
}

interface PageResult {
  products: number;
  /** Writes that may finish together with the page's outcome (one socket write with it). */
  pending?: Promise<unknown>;
}

/** A run as a node sees it: rules plus the site's extractors (built-ins and plugins), loaded once. */
interface NodeRun extends RunContext {
  extractors: Promise<Extractor[]>;
  /** Of the site's extraction rules when the run context was loaded (see ValidatorStore). */
  extractionKey: string;
}

interface Delivery {
  job: Job<CrawlJob>;
  run: NodeRun;
  /** The host slot held while the request is in flight (see HostGate). */
  lease?: { host: string; token: string };
  /** When the request started (its host slot was granted), for the host's latency. */
  requestStartedAt?: number;
  /** ETag / Last-Modified from the last crawl of this product page, for a conditional request. */
  validators: PageValidators | null;
  /** Auto mode is still learning this kind of page: render it too and compare. */
  sample?: boolean;
  /** Called from Crawlee's request handler with what came back; processed outside its slot. */
  resolve(result: Fetched): void;
  reject(error: Error): void;
}

/** A page that must not be retried (4xx, wrong content type, bad payload). */
class PermanentPageError extends Error {}

/**
 * A crawler node: a long-lived Crawlee CheerioCrawler fed by a BullMQ worker on the shared
 * frontier queue. BullMQ owns delivery and retries (Crawlee retries are off, so fetches
 * per URL = BullMQ attempts); Crawlee owns fetching; the node parses each page once and reads its
 * links and product from that tree.
 */
export class CrawlerNode {
  readonly #options: CrawlerNodeOptions;
  readonly #state: RunState;
  readonly #frontier: Frontier;
  readonly #validators: ValidatorStore;
  readonly #robots: RobotsCache;
  readonly #hosts: HostGate;
  readonly #decider: RenderDecider;
  #renderer: BrowserRenderer | undefined;
  readonly #ingest: Batcher<IngestJob, unknown>;
  /** Live counts for the run view, sent to Redis a few times a second (never per page). */
  readonly #telemetry: TelemetryRecorder;
  readonly #deliveries = new Map<string, Delivery>();
  readonly #runs = new Map<string, { context: Promise<NodeRun | null>; expires: number }>();
  #crawler: CheerioCrawler | undefined;
  /** Crawlee's classes, loaded by start() (see crawlee-runtime.ts). */
  #crawlee: typeof import('./crawlee-runtime.ts') | undefined;
  #queue: DeliveryQueue | undefined;
  #worker: Worker<CrawlJob> | undefined;
  #running: Promise<unknown> | undefined;

  constructor(options: CrawlerNodeOptions) {
    this.#options = options;
    this.#state = new RunState(options.redis);
    this.#robots = new RobotsCache(options.userAgent, { redis: options.redis, prefix: options.prefix });
    this.#hosts = new HostGate(options.redis, { prefix: options.prefix });
    this.#frontier = new Frontier(this.#state, options.crawlQueue, this.#robots);
    this.#validators = new ValidatorStore(options.redis);
    this.#decider = new RenderDecider(options.redis, { prefix: options.prefix });
    this.#telemetry = new TelemetryRecorder(options.redis, {
      prefix: options.prefix,
      nodeId: TelemetryRecorder.nodeId(),
      onError: (error) => options.logger.warn({ err: error.message }, 'live telemetry write failed'),
    });
    // A page's job ends only once its product is queued (the batch is added), so a node that
    // dies with a batch still pending loses nothing: its pages are delivered again.
    this.#ingest = new Batcher(
      (items: IngestJob[]) =>
        options.ingestQueue.add('batch', { items } satisfies IngestBatch, {
          // Ingestion outlives a Postgres outage of about half an hour before giving up on a product.
          attempts: 12,
          backoff: { type: 'exponential', delay: 1000 },
        }),
      // Waiting a few milliseconds for company costs a page little, while one job per page costs
      // Redis and the ingest worker a job's whole lifecycle per product.
      { maxSize: MAX_INGEST_BATCH, maxWaitMs: 10 },
    );
  }

  async start(): Promise<void> {
    const crawlee = await import('./crawlee-runtime.ts');
    this.#crawlee = crawlee;
    crawlee.log.setLevel(crawlee.LogLevel.OFF);
    this.#queue = new crawlee.DeliveryQueue();
    // Crawlee imports its HTTP client (and builds its header generator) on the first request;
    // done now, that start-up work (over a second of CPU with four nodes starting on two
    // cores, measured by profile) does not delay the first pages of a node joining a run.
    await import('got-scraping');
    const config = new crawlee.Configuration({
      persistStorage: false,
      purgeOnStart: false,
      // Crawlee samples memory by spawning `ps` every second for autoscaling, which a node
      // does not use (its concurrency is fixed; BullMQ bounds the work in flight).
      systemInfoIntervalMillis: 60_000,
    });
    this.#crawler = new crawlee.LimitedCheerioCrawler(
      {
        requestManager: this.#queue,
        keepAlive: true,
        maxConcurrency: this.#options.concurrency,
        // BullMQ already bounds work in flight; Crawlee's slow ramp-up from 1 would only idle it.
        minConcurrency: this.#options.concurrency,
        maxRequestRetries: 0,
        // Crawlee retries connection errors as "session rotations" outside maxRequestRetries;
        // BullMQ owns retries, with politeness backoff between them.
        maxSessionRotations: 0,
        useSessionPool: false,
        retryOnBlocked: false,
        navigationTimeoutSecs: (this.#options.fetchTimeoutMs ?? 30_000) / 1000,
        requestHandlerTimeoutSecs: 60,
        statusMessageLoggingInterval: 3600,
        additionalMimeTypes: ['application/xhtml+xml'],
        preNavigationHooks: [
          async ({ request }, gotOptions) => {
            const delivery = this.#deliveries.get(request.uniqueKey);
            const run = delivery?.run;
            // The host slot is taken right before the request, so Crawlee's own queueing
            // cannot bunch or spread the real request starts.
            if (delivery) {
              // Crawlee runs these hooks again when it retries a navigation itself (network
              // errors): the slot of the failed try goes back first, reported as a failure.
              if (delivery.lease) await this.#releaseHost(delivery, { error: true });
              delivery.lease = await this.#acquireHost(delivery.run, request.url);
              delivery.requestStartedAt = performance.now();
            }
            const userAgent = run?.rules.userAgent ?? this.#options.userAgent;
            gotOptions.headers = {
              ...gotOptions.headers,
              'user-agent': userAgent,
              ...conditionalHeaders(delivery?.validators ?? null),
            };
            gotOptions.maxRedirects = 5;
            // Trawl announces itself with its own user agent: generating browser-like header
            // sets per request (got-scraping's default) only costs CPU.
            (gotOptions as { useHeaderGenerator?: boolean }).useHeaderGenerator = false;
            if (!run?.rules.allowPrivateNetwork) {
              // Admission checked the host, but DNS can answer differently by now: every socket
              // got opens (each redirect's, HTTP/2's protocol probe) resolves through this lookup,
              // which refuses private addresses. IP literals skip DNS, so each request's URL is
              // checked before it is sent (beforeRequest runs again for every redirect).
              const policy = { privateHosts: run?.rules.privateHosts ?? [] };
              gotOptions.dnsLookup = guardedLookup(policy) as never;
              gotOptions.hooks ??= {};
              gotOptions.hooks.beforeRequest = [
                ...(gotOptions.hooks.beforeRequest ?? []),
                (options) => assertPublicLiteral(options.url as URL, policy),
              ];
            }
          },
        ],
        requestHandler: (context) => this.#handlePage(context),
        failedRequestHandler: ({ request }, error) => {
          const delivery = this.#deliveries.get(request.uniqueKey);
          if (delivery?.lease && delivery.requestStartedAt !== undefined)
            this.#telemetry.noResponse(
              delivery.run.runId,
              delivery.lease.host,
              performance.now() - delivery.requestStartedAt,
            );
          if (delivery) void this.#releaseHost(delivery, isPrivateNetworkError(error) ? {} : { error: true });
          delivery?.reject(error);
        },
      },
      config,
    );
    this.#running = this.#crawler.run();
    this.#worker = new Worker<CrawlJob>(queueNames.crawl, (job) => this.#process(job), {
      connection: this.#options.connection,
      prefix: this.#options.prefix,
      concurrency: this.#options.jobs ?? this.#options.concurrency * 2,
      maxStalledCount: 3,
      lockDuration: this.#options.lockMs ?? 30_000,
      stalledInterval: this.#options.lockMs ?? 30_000,
    });
    this.#worker.on('error', (error) => this.#options.logger.error({ err: error }, 'crawl worker error'));
    await this.#worker.waitUntilReady();
    this.#telemetry.start();
  }

  async close(): Promise<void> {
    await this.#worker?.close();
    await this.#ingest.drain();
    await this.#renderer?.close();
    this.#crawler?.autoscaledPool?.abort();
    await this.#crawler?.teardown();
    await this.#running?.catch(() => {});
    await this.#telemetry.close();
  }

  async #process(job: Job<CrawlJob>): Promise<void> {
    const parsed = crawlJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid crawl job: ${parsed.error.message}`);
    const { runId, url } = parsed.data;
    const id = urlId(url);
    const run = await this.#runContext(runId, parsed.data.siteId);
    // Asked together, so they share one socket write: the run's state and, for a product page
    // fetched over HTTP, the validators of its last crawl (for a conditional request).
    const [{ status, done }, validators] = run
      ? await Promise.all([
          this.#state.jobState(runId, id),
          run.rules.render !== 'browser' && run.filter.isProductPage(url)
            ? this.#validators.get(run.siteId, id, run.extractionKey)
            : null,
        ])
      : [{ status: null, done: false }, null];
    if (status === 'paused') {
      // Kept in Redis and re-queued on resume: a paused run loses nothing and fetches nothing.
      await this.#state.park(runId, JSON.stringify(parsed.data));
      return;
    }
    if (!run || status !== 'running') {
      await this.#finish(runId, id, 'skip:stopped');
      return;
    }
    // A job delivered again after its URL was handled (a node died before acking, or links
    // re-queued after a redelivery): nothing to do.
    if (done) return;
    const started = performance.now();
    try {
      const mode =
        run.rules.render === 'auto'
          ? await this.#decider.decide(run.siteId, pageKind(url))
          : run.rules.render;
      const result =
        mode === 'browser' ? await this.#renderPage(job, run) : await this.#fetch(job, run, validators, mode);
      fetchDuration.observe(
        { site: run.siteName, host: new URL(url).host },
        (performance.now() - started) / 1000,
      );
      await Promise.all([result.pending, this.#finish(runId, id, 'fetched', result.products)]);
      this.#telemetry.found(runId, result.products);
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      const permanent = isPermanent(err);
      const kind = errorKind(err);
      pageErrors.inc({ site: run.siteName, kind });
      this.#telemetry.error(runId, kind, url, err.message);
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (permanent || lastAttempt) {
        this.#options.logger.warn({ runId, url, err: err.message }, 'page failed');
        await this.#finish(runId, id, 'failed', 0, `${url}: ${err.message}`);
        if (permanent) throw new UnrecoverableError(err.message);
      }
      throw err;
    }
  }

  async #finish(
    runId: string,
    id: string,
    outcome: Parameters<RunState['crawlDone']>[2],
    products = 0,
    error = '',
  ): Promise<void> {
    if (await this.#state.crawlDone(runId, id, outcome, products, error)) {
      await this.#options.onRunFinished(runId);
    }
  }

  /**
   * Hands the URL to Crawlee, waits for the response, and processes the page once Crawlee's
   * slot is free again: the slot bounds requests in flight, not the CPU work after them.
   */
  async #fetch(
    job: Job<CrawlJob>,
    run: NodeRun,
    validators: PageValidators | null,
    mode: 'http' | 'sample' = 'http',
  ): Promise<PageResult> {
    const crawler = this.#crawler;
    const crawlee = this.#crawlee;
    if (!crawler || !crawlee || !this.#queue) throw new Error('crawler node is not started');
    const uniqueKey = `${job.id}|${job.attemptsMade}|${randomUUID()}`;
    let delivery: Delivery | undefined;
    const result = new Promise<Fetched>((resolve, reject) => {
      delivery = { job, run, validators, sample: mode === 'sample', resolve, reject };
      this.#deliveries.set(uniqueKey, delivery);
    });
    try {
      this.#queue.push(new crawlee.Request({ url: job.data.url, uniqueKey }));
      crawler.autoscaledPool?.notify();
      const fetched = await result;
      if (fetched.notModified) return await this.#notModified(delivery!);
      return await this.#handleDocument(delivery!, fetched.page);
    } finally {
      if (delivery?.lease) await this.#releaseHost(delivery, {});
      this.#deliveries.delete(uniqueKey);
    }
  }

  async #handlePage(context: CheerioCrawlingContext): Promise<void> {
    const { request, response, body } = context;
    const delivery = this.#deliveries.get(request.uniqueKey);
    if (!delivery) return; // A delivery whose BullMQ job gave up already.
    const { run } = delivery;
    const status = response.statusCode ?? 0;
    if (delivery.lease && delivery.requestStartedAt !== undefined)
      this.#telemetry.page(
        run.runId,
        delivery.lease.host,
        status,
        performance.now() - delivery.requestStartedAt,
      );
    await this.#releaseHost(delivery, {
      status,
      retryAfter: headerValue(response.headers['retry-after']) ?? null,
    });
    pagesFetched.inc({ site: run.siteName, host: new URL(request.url).host, status: String(status) });
    try {
      // Crawlee's HTTP crawlers pass 4xx to the handler as success.
      if (status === 429) throw new Error('429 Too Many Requests');
      if (status >= 400) throw new PermanentPageError(`HTTP ${status}`);
      if (status === 304) {
        delivery.resolve({ notModified: true });
        return;
      }
      const finalUrl = request.loadedUrl ?? request.url;
      const html = typeof body === 'string' ? body : body.toString('utf8');
      delivery.resolve({ notModified: false, page: { finalUrl, html, headers: response.headers } });
    } catch (error) {
      delivery.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** A fetched page, however it was fetched: queue its links, extract and send its product. */
  async #handleDocument(
    delivery: Pick<Delivery, 'run' | 'job' | 'sample'>,
    page: FetchedPage,
  ): Promise<PageResult> {
    const { run, job } = delivery;
    const isProductPage = run.filter.isProductPage(page.finalUrl);
    const read = await this.#analyse(run, page, isProductPage);
    let { product, links } = read;
    if (delivery.sample) {
      // Auto mode: the same page rendered, so the shared decider learns whether this kind needs a browser.
      const rendered = await this.#render(job, run).catch((error: Error) => {
        this.#options.logger.warn({ url: job.data.url, err: error.message }, 'render sample failed');
        return null;
      });
      if (rendered) {
        const renderedRead = await this.#analyse(run, rendered, isProductPage);
        const renderedProduct = renderedRead.product;
        const decision = await this.#decider.record(
          run.siteId,
          pageKind(job.data.url),
          evidenceFrom(product, read.links.length),
          evidenceFrom(renderedProduct, renderedRead.links.length),
        );
        if (decision === 'browser' || (renderedProduct && !product)) product = renderedProduct ?? product;
        links = [...new Set([...read.links, ...renderedRead.links])];
      }
    }
    // On a redelivery (the node that had this job died), links it may have admitted without
    // queueing are queued again; BullMQ job ids and the done set make that harmless.
    await this.#frontier.enqueue(run, links, job.data.depth + 1, { requeueSeen: job.attemptsStarted > 1 });
    if (!isProductPage) return { products: 0 };
    const pageId = urlId(job.data.url);
    if (product) {
      await this.#ingest.add({
        runId: run.runId,
        siteId: run.siteId,
        pageId,
        product,
        ...(run.rules.extraction.currency ? { currency: run.rules.extraction.currency } : {}),
      });
    }
    // Only once the product is safely queued: a node dying in between must not leave an ETag
    // behind, or the redelivered page would answer 304 for a product that was never stored.
    // It may land with the page's outcome: either order is safe once the product is queued.
    const etag = headerValue(page.headers.etag);
    const lastModified = headerValue(page.headers['last-modified']);
    const pending = this.#validators.set(run.siteId, pageId, {
      ...(etag ? { etag } : {}),
      ...(lastModified ? { lastModified } : {}),
      productUrls: product ? [...new Set([product.canonicalUrl ?? product.url, product.url])] : [],
      rules: run.extractionKey,
    });
    if (!product) return { products: 0, pending };
    productsExtracted.inc({ site: run.siteName });
    return { products: 1, pending };
  }

  /** The page's links and, on a product page, its product. */
  async #analyse(run: NodeRun, page: FetchedPage, extract: boolean): Promise<PageAnalysis> {
    const extractors = extract ? await run.extractors : undefined;
    return analysePage({
      url: page.finalUrl,
      html: page.html,
      rules: run.rules.extraction,
      ...(extractors ? { extractors } : {}),
    });
  }

  /** Renders a page in Chromium (launched on first use: HTTP-only nodes never start one). */
  async #render(job: Job<CrawlJob>, run: NodeRun): Promise<FetchedPage> {
    this.#renderer ??= new BrowserRenderer({
      executablePath: this.#options.chromiumPath,
      userAgent: this.#options.userAgent,
      maxPages: Math.max(1, Math.min(4, this.#options.concurrency)),
    });
    const slot: Pick<Delivery, 'run' | 'lease'> = { run, lease: await this.#acquireHost(run, job.data.url) };
    const requestStartedAt = performance.now();
    let rendered: Awaited<ReturnType<BrowserRenderer['render']>>;
    try {
      rendered = await this.#renderer.render(job.data.url, {
        userAgent: run.rules.userAgent ?? this.#options.userAgent,
        allowPrivateNetwork: run.rules.allowPrivateNetwork,
        privateHosts: run.rules.privateHosts,
      });
    } catch (error) {
      this.#telemetry.noResponse(run.runId, slot.lease!.host, performance.now() - requestStartedAt);
      await this.#releaseHost(slot, isPrivateNetworkError(error as Error) ? {} : { error: true });
      throw error;
    }
    this.#telemetry.page(run.runId, slot.lease!.host, rendered.status, performance.now() - requestStartedAt);
    await this.#releaseHost(slot, {
      status: rendered.status,
      retryAfter: rendered.headers['retry-after'] ?? null,
    });
    pagesRendered.inc({ site: run.siteName, status: String(rendered.status) });
    if (rendered.status === 429) throw new Error('429 Too Many Requests');
    if (rendered.status >= 400) throw new PermanentPageError(`HTTP ${rendered.status}`);
    const type = rendered.headers['content-type'] ?? 'text/html';
    if (!/html/i.test(type)) throw new PermanentPageError(`served Content-Type ${type}, not HTML`);
    return { finalUrl: rendered.finalUrl, html: rendered.html, headers: rendered.headers };
  }

  /** A page whose kind needs JavaScript: rendered instead of fetched by Crawlee. */
  async #renderPage(job: Job<CrawlJob>, run: NodeRun): Promise<PageResult> {
    const page = await this.#render(job, run);
    return this.#handleDocument({ job, run }, page);
  }

  /** A product page unchanged since the last crawl: its product is only marked as seen. */
  async #notModified(delivery: Delivery): Promise<PageResult> {
    const { run, job, validators } = delivery;
    const productUrls = validators?.productUrls.filter((u) => URL.canParse(u)) ?? [];
    if (productUrls.length === 0) return { products: 0 };
    await this.#ingest.add({
      runId: run.runId,
      siteId: run.siteId,
      pageId: urlId(job.data.url),
      touch: { productUrls },
    });
    return { products: 1 };
  }

  async #runContext(runId: string, siteId: string): Promise<NodeRun | null> {
    const now = Date.now();
    const cached = this.#runs.get(runId);
    if (cached && cached.expires > now) return cached.context;
    const context = this.#options.loadSite(siteId).then(
      (site): NodeRun | null =>
        site && {
          runId,
          siteId,
          siteName: site.name,
          rules: site.rules,
          filter: new UrlFilter(site.rules),
          extractors: loadExtractors(site.rules.extraction),
          extractionKey: extractionKey(site.rules.extraction),
        },
    );
    this.#runs.set(runId, { context, expires: now + 30_000 });
    if (this.#runs.size > 1000) {
      for (const [key, entry] of this.#runs) if (entry.expires <= now) this.#runs.delete(key);
    }
    return context;
  }

  /** Waits for a slot of the URL's host under the site's politeness rules (shared by all nodes). */
  async #acquireHost(run: NodeRun, url: string): Promise<{ host: string; token: string }> {
    const host = new URL(url).host;
    const crawlDelay = run.rules.politeness.respectCrawlDelay
      ? await this.#robots.crawlDelayMs(url, run.rules.userAgent ?? this.#options.userAgent, run.rules)
      : null;
    const { token, waitedMs } = await this.#hosts.acquire(
      host,
      {
        maxInFlight: run.rules.politeness.maxInFlightPerHost,
        minDelayMs: effectiveDelayMs(run.rules.politeness, crawlDelay),
      },
      AbortSignal.timeout(10 * 60_000),
    );
    this.#telemetry.wait(run.runId, host, waitedMs);
    this.#telemetry.requestStarted(run.runId);
    return { host, token };
  }

  /** Gives the host slot back and tells the gate how the host answered (Retry-After, failures). */
  async #releaseHost(
    holder: Pick<Delivery, 'run' | 'lease'>,
    outcome: { status?: number; retryAfter?: string | null; error?: boolean },
  ): Promise<void> {
    const lease = holder.lease;
    if (!lease) return;
    holder.lease = undefined;
    this.#telemetry.requestEnded(holder.run.runId);
    try {
      if (outcome.status !== undefined || outcome.error) {
        await this.#hosts.report(lease.host, outcome, {
          maxBackoffMs: holder.run.rules.politeness.maxBackoffMs,
          release: lease.token,
        });
      } else {
        await this.#hosts.release(lease.host, lease.token);
      }
    } catch (error) {
      // The lease expires by itself; a failed release only delays the host a little.
      this.#options.logger.warn(
        { host: lease.host, err: (error as Error).message },
        'host slot release failed',
      );
    }
  }
}

/** Failures that a retry cannot fix. */
function isPermanent(error: Error): boolean {
  return (
    error instanceof PermanentPageError ||
    error instanceof ResponseTooLargeError ||
    /exceeds the \d+-byte limit|served Content-Type|Redirected \d+ times/.test(error.message) ||
    isPrivateNetworkError(error)
  );
}

function isPrivateNetworkError(error: Error): boolean {
  return isPrivateRefusal(error) || /private address/.test(error.message);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A small fixed set of error kinds for metrics (bounded label values). */
function errorKind(error: Error): string {
  const message = error.message;
  if (/^HTTP 4\d\d|^429/.test(message)) return 'http_4xx';
  if (/^(HTTP )?5\d\d|Internal Server Error/.test(message)) return 'http_5xx';
  if (isPrivateNetworkError(error)) return 'private_address';
  if (/byte limit/.test(message)) return 'too_large';
  if (/Content-Type/.test(message)) return 'content_type';
  if (/timed? ?out|ETIMEDOUT|TimeoutError/i.test(message)) return 'timeout';
  if (/ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|socket hang up/.test(message))
    return 'network';
  return 'other';
}
