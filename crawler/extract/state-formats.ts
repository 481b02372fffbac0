/**
 * Application state as front-end frameworks serialise it into a page, turned back into plain
 * JSON values for state.ts to search: Next.js's React Server Components payload, Angular's
 * transfer state, Astro's island props. Each decoder is bounded and gives up quietly on what
 * it does not recognise (the page is hostile input; a framework's next version may differ).
 */

/** Scripts at most this long are joined into one React Server Components payload. */
const MAX_FLIGHT = 3_000_000;
const MAX_FLIGHT_ROWS = 2000;
/** Astro's encoding nests as deep as the data; deeper than this is not product data. */
const MAX_ASTRO_DEPTH = 40;

const FLIGHT_PUSH = /self\.__next_f\.push\(\s*(\[\s*1\s*,\s*"(?:[^"\\]|\\.)*"\s*\])\s*\)/g;
const FLIGHT_ROW = /^[0-9a-f]{1,8}:(?=[[{])/;

/**
 * The JSON rows of a Next.js App Router page's React Server Components payload, sent in
 * `self.__next_f.push([1, "…"])` chunks (a row may span several chunks and scripts): each row
 * is `id:value`, and the values that are JSON objects or arrays hold the page's data (props of
 * the components, with `$`-prefixed references left as they are).
 */
export function flightRows(scripts: readonly string[]): unknown[] {
  let payload = '';
  for (const source of scripts) {
    if (!source.includes('self.__next_f.push(')) continue;
    FLIGHT_PUSH.lastIndex = 0;
    for (let m = FLIGHT_PUSH.exec(source); m; m = FLIGHT_PUSH.exec(source)) {
      try {
        const chunk = (JSON.parse(m[1] as string) as [number, string])[1];
        if (payload.length + chunk.length > MAX_FLIGHT) return rowsOf(payload);
        payload += chunk;
      } catch {
        // a chunk written as JavaScript rather than JSON: skipped
      }
    }
  }
  return rowsOf(payload);
}

function rowsOf(payload: string): unknown[] {
  const out: unknown[] = [];
  if (payload === '') return out;
  for (const line of payload.split('\n').slice(0, MAX_FLIGHT_ROWS)) {
    const head = FLIGHT_ROW.exec(line);
    if (!head) continue;
    try {
      out.push(JSON.parse(line.slice(head[0].length)));
    } catch {
      // a row of another kind (text, module references): not data
    }
  }
  return out;
}

/**
 * Angular's transfer state (`<script id="serverApp-state" type="application/json">`) as older
 * versions wrote it: JSON with its quotes and markup characters escaped as `&q;`, `&a;`, `&s;`,
 * `&l;`, `&g;`. Other text is returned as it is.
 */
export function angularState(source: string): string {
  if (!source.startsWith('{&q;')) return source;
  return source.replace(/&([qasgl]);/g, (_, c: string) =>
    c === 'q' ? '"' : c === 'a' ? '&' : c === 's' ? "'" : c === 'l' ? '<' : '>',
  );
}

/**
 * An Astro island's props: every value is a `[type, value]` pair (0 a plain value or object, 1
 * an array of encoded values, others dates, maps, URLs and so on, kept as their raw value).
 */
export function astroProps(value: unknown, depth = 0): unknown {
  if (depth > MAX_ASTRO_DEPTH) return undefined;
  if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number') {
    const [type, inner] = value as [number, unknown];
    if (type === 1 && Array.isArray(inner)) return inner.map((v) => astroProps(v, depth + 1));
    return type === 0 ? astroObject(inner, depth) : inner;
  }
  return astroObject(value, depth);
}

function astroObject(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = astroProps(inner, depth + 1);
  return out;
}
