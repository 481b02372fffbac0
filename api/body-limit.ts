import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit as streamingBodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';

/**
 * Refuses request bodies over `maxSize(path)` bytes with 413, as hono/body-limit does, without
 * what that costs every request on Node: it asks `c.req.raw.body`, which makes
 * @hono/node-server build a full web Request (abort signal, Headers, a stream over the socket)
 * even for a GET. Here a request without a body passes untouched, one that declares its
 * Content-Length is judged by it (Node's parser never delivers more than it declares), and only
 * a chunked body is counted as it streams, by hono's own middleware.
 */
export function bodyLimit(maxSize: (path: string) => number): MiddlewareHandler {
  const tooLarge = () => {
    throw new HTTPException(413, { message: 'the request body is too large' });
  };
  return async (c, next) => {
    const limit = maxSize(c.req.path);
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const headers = incoming?.headers;
    const length = headers ? headers['content-length'] : c.req.header('content-length');
    const chunked = headers ? headers['transfer-encoding'] !== undefined : c.req.header('transfer-encoding');
    if (!chunked) {
      if (length !== undefined) return Number(length) > limit ? tooLarge() : next();
      // Neither length nor chunks: HTTP/1.1 says there is no body.
      if (incoming) return next();
    }
    return streamingBodyLimit({ maxSize: limit, onError: tooLarge })(c, next);
  };
}
