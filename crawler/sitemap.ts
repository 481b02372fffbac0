import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Parser } from 'htmlparser2';
import { fetch } from 'undici';
import { logger } from '../core/logger.ts';
import { guardedDispatcher, type NetworkPolicy } from './network-guard.ts';

export interface SitemapOptions {
  userAgent: string;
  /** Page URLs yielded in total, over every file. */
  maxUrls?: number;
  /** Bytes read per file after decompression (the protocol's limit is 50 MB); guards gzip bombs too. */
  maxBytes?: number;
  /** Levels of <sitemapindex> followed below the first file. */
  maxDepth?: number;
  /** Sitemap files fetched in total, so an index of empty children cannot run forever. */
  maxFiles?: number;
  /** Per file, for the whole download. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Where sitemap files may be fetched from: the site's rules. Public addresses only by default.
   * Every connection (each file, each redirect hop) is checked on the address it connects to:
   * an index may point anywhere, and a name may answer differently each time it is resolved.
   */
  network?: NetworkPolicy;
  /** Vets each sitemap file URL before it is fetched; throwing skips the file through `onError`. */
  beforeFetch?: (url: string) => Promise<void> | void;
  /** A file that failed (HTTP error, broken gzip, timeout); the walk goes on. Logs by default. */
  onError?: (url: string, error: Error) => void;
}

interface Loc {
  url: string;
  /** A <sitemap> entry of an index rather than a page. */
  child: boolean;
}

/** URLs in <loc> longer than this are not URLs a crawler wants. */
const MAX_LOC_LENGTH = 4096;

/**
 * Page URLs of a sitemap and, through <sitemapindex> files, its children: streamed, so a
 * 50 MB file is never held in memory, and bounded in URLs, bytes, files and depth. Files
 * that break are reported to `onError` and skipped, keeping whatever they yielded before.
 * Throws only when `signal` aborts. Robots and politeness checks are the caller's job.
 */
export async function* sitemapUrls(url: string, options: SitemapOptions): AsyncGenerator<string> {
  const maxUrls = options.maxUrls ?? 50_000;
  const maxDepth = options.maxDepth ?? 3;
  const maxFiles = options.maxFiles ?? 1000;
  const onError =
    options.onError ??
    ((file, error) => logger().warn({ sitemap: file, err: error.message }, 'sitemap skipped'));
  const queue = [{ url, depth: 0 }];
  const seen = new Set([url]);
  let yielded = 0;
  let files = 0;
  while (queue.length > 0 && yielded < maxUrls && files < maxFiles) {
    const file = queue.shift()!;
    files++;
    try {
      for await (const loc of locs(file.url, options)) {
        if (!loc.child) {
          yield loc.url;
          if (++yielded >= maxUrls) return;
        } else if (file.depth < maxDepth && !seen.has(loc.url)) {
          seen.add(loc.url);
          queue.push({ url: loc.url, depth: file.depth + 1 });
        }
      }
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      onError(file.url, error instanceof Error ? error : new Error(String(error)));
    }
  }
}

/** The <loc> entries of one sitemap file, as the body streams in. */
async function* locs(url: string, options: SitemapOptions): AsyncGenerator<Loc> {
  const maxBytes = options.maxBytes ?? 50 * 1024 * 1024;
  await options.beforeFetch?.(url);
  const stop = new AbortController();
  const signals = [stop.signal, AbortSignal.timeout(options.timeoutMs ?? 60_000)];
  if (options.signal) signals.push(options.signal);
  const response = await fetch(url, {
    headers: { 'user-agent': options.userAgent, accept: 'application/xml, text/xml, */*;q=0.5' },
    signal: AbortSignal.any(signals),
    dispatcher: guardedDispatcher(options.network),
  }).catch((error: Error) => {
    // fetch says only "fetch failed"; what failed (a refused address, ECONNREFUSED) is its cause.
    throw error.cause instanceof Error ? error.cause : error;
  });
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status}`);
  }
  const found: Loc[] = [];
  const parser = locParser(response.url || url, found);
  const decoder = new TextDecoder();
  let bytes = 0;
  try {
    for await (const chunk of decompressed(Readable.fromWeb(response.body as never))) {
      const room = maxBytes - bytes;
      bytes += chunk.byteLength;
      parser.write(decoder.decode(chunk.subarray(0, Math.max(room, 0)), { stream: true }));
      yield* found.splice(0);
      if (bytes > maxBytes) throw new Error(`larger than ${maxBytes} bytes, read that much`);
    }
    parser.end();
    yield* found.splice(0);
  } finally {
    stop.abort();
  }
}

function locParser(base: string, found: Loc[]): Parser {
  let container: 'url' | 'sitemap' | null = null;
  let text: string | null = null;
  return new Parser(
    {
      onopentag(name) {
        // Exact names only: <image:loc> and other extensions must not count as pages.
        if (name === 'url' || name === 'sitemap') container = name;
        else if (name === 'loc' && container) text = '';
      },
      ontext(data) {
        if (text !== null && text.length < MAX_LOC_LENGTH) text += data;
      },
      onclosetag(name) {
        if (name === 'loc' && text !== null && container) {
          const loc = absoluteHttpUrl(text.trim(), base);
          if (loc) found.push({ url: loc, child: container === 'sitemap' });
          text = null;
        } else if (name === container) {
          container = null;
        }
      },
    },
    { xmlMode: true },
  );
}

/**
 * The body as bytes, gunzipped when it starts with the gzip magic number: servers send .gz
 * sitemaps as application/gzip without Content-Encoding (which fetch already undoes).
 */
async function* decompressed(body: Readable): AsyncGenerator<Uint8Array> {
  const iterator = body[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const head = first.value as Buffer;
  const rest = (async function* () {
    yield head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      yield next.value as Buffer;
  })();
  try {
    if (head[0] === 0x1f && head[1] === 0x8b) {
      const gunzip = createGunzip();
      // Failures surface through the gunzip iteration, which pipeline destroys with the error.
      pipeline(Readable.from(rest), gunzip).catch(() => {});
      try {
        yield* gunzip;
      } finally {
        gunzip.destroy();
      }
    } else {
      yield* rest;
    }
  } finally {
    body.destroy();
  }
}

function absoluteHttpUrl(value: string, base: string): string | null {
  if (!value || value.length >= MAX_LOC_LENGTH) return null;
  try {
    const url = new URL(value, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
