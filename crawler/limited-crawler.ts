import type { IncomingMessage } from 'node:http';
import { text } from 'node:stream/consumers';
import { CheerioCrawler, type CheerioCrawlerOptions, type CheerioCrawlingContext } from '@crawlee/cheerio';
import type { Configuration, IRequestManager, Request } from '@crawlee/core';
import { ResponseTooLargeError } from './response-too-large.ts';

/** Largest response body a node reads; a bigger or endless one fails the page instead of the node. */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** Stands in for Crawlee's `$`, which nothing in a node may use: pages are parsed elsewhere. */
function notParsed(): never {
  throw new Error('a node parses pages with analysePage, not in the request handler');
}

/**
 * Crawlee's CheerioCrawler reads whole bodies into memory with no limit; this one stops
 * reading at MAX_RESPONSE_BYTES (declared length checked up front, streamed bytes counted).
 * It also leaves pages unparsed: Crawlee's parses every body twice (a DOM for `dom`, again for
 * `$`), while a node parses each page once, after Crawlee's slot is free (see page-analysis.ts).
 */
export class LimitedCheerioCrawler extends CheerioCrawler {
  maxResponseBytes = MAX_RESPONSE_BYTES;

  constructor(options: CheerioCrawlerOptions & { requestManager?: IRequestManager }, config?: Configuration) {
    const { requestManager, ...crawlerOptions } = options;
    super(crawlerOptions, config);
    if (requestManager) {
      // BasicCrawler takes a request manager, but HttpCrawler's option check refuses the
      // option (Crawlee 3.18), so it is set after construction, as BasicCrawler would.
      const self = this as unknown as { requestManager?: IRequestManager; requestQueue?: unknown };
      self.requestManager = requestManager;
      self.requestQueue = requestManager;
    }
    // A 304 Not Modified has no body and often no content type; Crawlee would refuse it as
    // "not HTML" and never let the node see that the page is unchanged. The check is private
    // in Crawlee's types, so it is wrapped rather than overridden.
    const self = this as unknown as {
      _abortDownloadOfBody(request: Request, response: IncomingMessage): void;
    };
    const check = self._abortDownloadOfBody.bind(this);
    self._abortDownloadOfBody = (request, response) => {
      if (response.statusCode !== 304) check(request, response);
    };
  }

  protected override async _parseHTML(
    response: IncomingMessage,
    _isXml: boolean,
    crawlingContext: CheerioCrawlingContext,
  ): ReturnType<CheerioCrawler['_parseHTML']> {
    type Parsed = Awaited<ReturnType<CheerioCrawler['_parseHTML']>>;
    return {
      body: await text(response),
      $: notParsed as unknown as Parsed['$'],
      dom: undefined as unknown as Parsed['dom'],
      // Nodes admit links through the shared frontier, never through Crawlee's queue.
      enqueueLinks: crawlingContext.enqueueLinks,
    };
  }

  protected override _encodeResponse(request: Request, response: IncomingMessage, encoding: BufferEncoding) {
    const limit = this.maxResponseBytes;
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      response.destroy();
      throw new ResponseTooLargeError(`response of ${declared} bytes exceeds the ${limit}-byte limit`);
    }
    let seen = 0;
    // Counting in a 'data' listener would switch the stream to flowing mode before Crawlee
    // reads it; got's progress events do not.
    (response as unknown as NodeJS.EventEmitter).on(
      'downloadProgress',
      ({ transferred }: { transferred: number }) => {
        seen = transferred;
        if (seen > limit)
          response.destroy(new ResponseTooLargeError(`response exceeds the ${limit}-byte limit`));
      },
    );
    return super._encodeResponse(request, response, encoding);
  }
}
