import type { IncomingMessage } from 'node:http';
import { text } from 'node:stream/consumers';
import { CheerioCrawler, type CheerioCrawlerOptions, type CheerioCrawlingContext } from '@crawlee/cheerio';
import type { Configuration, IRequestManager, Request } from '@crawlee/core';
import { load } from 'cheerio/slim';

/** Largest response body a node reads; a bigger or endless one fails the page instead of the node. */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

export class ResponseTooLargeError extends Error {
  override name = 'ResponseTooLargeError';
}

/**
 * Crawlee's CheerioCrawler reads whole bodies into memory with no limit; this one stops
 * reading at MAX_RESPONSE_BYTES (declared length checked up front, streamed bytes counted).
 * It also parses each page once: Crawlee's parses every body twice (a DOM for `dom` and again
 * for `$`), and parsing is the largest cost of a page after extraction.
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

  // Trawl's extractors and link reader use `$` only, parsed by the same cheerio and htmlparser2
  // as `trawl extract`, so a crawled page and an extracted file give the same result.
  protected override async _parseHTML(
    response: IncomingMessage,
    isXml: boolean,
    crawlingContext: CheerioCrawlingContext,
  ): ReturnType<CheerioCrawler['_parseHTML']> {
    const body = await text(response);
    const $ = load(body, { xml: isXml }) as unknown as CheerioCrawlingContext['$'];
    return {
      dom: $.root()[0] as unknown as Awaited<ReturnType<CheerioCrawler['_parseHTML']>>['dom'],
      $,
      body,
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
