/** A Server-Sent Events message as a client sees it, with when it arrived (Date.now()). */
export interface SseMessage {
  event: string;
  id: string | null;
  data: string;
  at: number;
}

export interface SseClient {
  status: number;
  headers: Headers;
  messages: SseMessage[];
  /** Resolves when the server ends the stream (or it is aborted). */
  ended: Promise<void>;
  /** Waits until a message satisfies `test` (checking those already received too). */
  waitFor(test: (message: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  close(): void;
}

/**
 * An EventSource-like client on fetch: the real wire format parsed line by line (RFC 8895 /
 * the HTML standard's rules for event, id and data fields), without reconnecting by itself.
 */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const messages: SseMessage[] = [];
  const listeners = new Set<() => void>();
  let event = '';
  let data: string[] = [];
  let id: string | null = null;
  let lastId: string | null = null;
  const line = (text: string) => {
    if (text === '') {
      if (data.length > 0) {
        messages.push({ event: event || 'message', id: lastId, data: data.join('\n'), at: Date.now() });
        for (const listener of listeners) listener();
      }
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    const value = colon < 0 ? '' : text.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') {
      id = value;
      lastId = id;
    }
  };
  const ended = (async () => {
    if (!response.body || response.status !== 200) {
      await response.arrayBuffer().catch(() => {});
      return;
    }
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let newline = buffer.search(/\r\n|\r|\n/);
        while (newline >= 0) {
          const length = buffer[newline] === '\r' && buffer[newline + 1] === '\n' ? 2 : 1;
          line(buffer.slice(0, newline));
          buffer = buffer.slice(newline + length);
          newline = buffer.search(/\r\n|\r|\n/);
        }
      }
    } catch {
      // Aborted by close().
    }
    for (const listener of listeners) listener();
  })();
  return {
    status: response.status,
    headers: response.headers,
    messages,
    ended,
    waitFor(test, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        let done = false;
        const check = () => {
          if (done) return;
          const found = messages.find(test);
          if (found) {
            done = true;
            listeners.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          done = true;
          listeners.delete(check);
          reject(new Error(`no matching event in ${timeoutMs} ms (got ${messages.length})`));
        }, timeoutMs);
        listeners.add(check);
        check();
        void ended.then(() => {
          if (!done) {
            check();
            if (!done) {
              done = true;
              clearTimeout(timer);
              reject(new Error(`stream ended without a matching event (got ${messages.length})`));
            }
          }
        });
      });
    },
    close: () => controller.abort(),
  };
}
