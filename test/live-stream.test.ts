import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LiveHub } from '../api/live-hub.ts';
import { LiveRuns, putSite, setSiteOwner } from '../catalog/index.ts';
import { resetConfig } from '../core/config.ts';
import { type DemoShop, demoSite, generateCatalog, startDemoShop } from '../demo/index.ts';
import { type TestUser, userWithRole } from './accounts.ts';
import { startApi } from './http.ts';
import { openSse, type SseMessage } from './sse.ts';
import { closeConnections, type Pipeline, startPipeline, waitForRun } from './support.ts';

/**
 * The live run stream over real HTTP, Redis and Postgres, with two API instances: events every
 * second, resume after a reconnect (to the other instance) with no gap or repeat, the end of the
 * run, who may watch, the cap on streams, and the history kept once the run is over.
 */
type Api = Awaited<ReturnType<typeof startApi>>;
/** A site of this file's own: products of other files' demo-shop runs stay apart. */
const SITE = 'live-stream-shop';
let shop: DemoShop;
let pipeline: Pipeline;
let apiA: Api;
let apiB: Api;
let operator: TestUser;
let owner: TestUser;
let stranger: TestUser;
let shopper: TestUser;

interface Tick {
  t: number;
  snapshot: {
    counters: { fetched: number; status: string; queueDepth: number } | null;
    buckets: Array<{ t: number; pages: number; hosts: Record<string, { p50: number | null }> }>;
    nodes: unknown[] | null;
  };
}
const tick = (m: SseMessage) => JSON.parse(m.data) as Tick;
const bearer = (user: TestUser) => ({ authorization: `Bearer ${user.token}` });

beforeAll(async () => {
  shop = await startDemoShop({ catalog: generateCatalog({ products: 150 }), latencyMs: 10 });
  const site = await putSite({
    ...demoSite(shop.url),
    name: SITE,
    // About 25 pages a second: the run lasts long enough to watch.
    politeness: { maxInFlightPerHost: 2, minDelayMs: 40 },
  });
  pipeline = await startPipeline({ crawlers: 1, concurrency: 4 });
  [apiA, apiB] = await Promise.all([startApi(), startApi()]);
  [operator, owner, stranger, shopper] = await Promise.all([
    userWithRole('operator'),
    userWithRole('merchant'),
    userWithRole('merchant'),
    userWithRole('shopper'),
  ]);
  await setSiteOwner(site.name, owner.id);
});

afterAll(async () => {
  await apiA?.close();
  await apiB?.close();
  await pipeline?.close();
  await shop?.close();
  await closeConnections();
});

/** Runs a test started: one that fails mid-way must not leave the site busy for the next. */
const started: string[] = [];
const startRun = async () => {
  const run = await pipeline.runs.start(SITE);
  started.push(run.id);
  return run;
};
afterEach(async () => {
  for (const id of started.splice(0)) await pipeline.runs.cancel(id).catch(() => undefined);
});

describe('GET /api/v1/crawls/{id}/live', () => {
  it('streams every second, resumes on another instance without gaps or repeats, and ends with the run', async () => {
    const run = await startRun();
    const url = (api: Api) => `${api.url}/api/v1/crawls/${run.id}/live`;

    const first = await openSse(url(apiA), bearer(operator));
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(first.headers.get('content-security-policy')).toBeTruthy();
    await first.waitFor((m) => first.messages.filter((x) => x.event === 'tick').length >= 4 && !!m);
    first.close();
    const seenFirst = first.messages.filter((m) => m.event === 'tick').map(tick);
    // Ids are Redis seconds, one a second; each tick carries the seconds after the previous id.
    for (let i = 1; i < seenFirst.length; i++) {
      expect(seenFirst[i]!.t).toBeGreaterThan(seenFirst[i - 1]!.t);
      expect(seenFirst[i]!.snapshot.buckets[0]?.t).toBe(seenFirst[i - 1]!.t + 1);
    }
    // The ids prove one tick a second; the clock only that they are not held back (a loaded
    // machine can delay one tick by a few hundred milliseconds).
    const gaps = first.messages.slice(1).map((m, i) => m.at - first.messages[i]!.at);
    expect(Math.max(...gaps.slice(1))).toBeLessThan(3000);
    expect(seenFirst.at(-1)!.snapshot.counters!.fetched).toBeGreaterThan(
      seenFirst[0]!.snapshot.counters!.fetched,
    );
    expect(seenFirst[0]!.snapshot.nodes?.length).toBeGreaterThanOrEqual(1);

    // Away for two seconds, then back on the other instance with the last id received.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const lastId = first.messages.filter((m) => m.event === 'tick').at(-1)!.id!;
    const second = await openSse(url(apiB), { ...bearer(operator), 'last-event-id': lastId });
    const end = await second.waitFor((m) => m.event === 'end', 60_000);
    await second.ended;
    const ticksSecond = second.messages.filter((m) => m.event === 'tick').map(tick);
    expect(ticksSecond[0]!.snapshot.buckets[0]!.t).toBe(Number(lastId) + 1);

    const seconds = [...seenFirst, ...ticksSecond].flatMap((e) => e.snapshot.buckets.map((b) => b.t));
    expect(new Set(seconds).size, 'no second twice').toBe(seconds.length);
    for (let i = 1; i < seconds.length; i++) expect(seconds[i], 'no gap').toBe(seconds[i - 1]! + 1);

    const finished = await waitForRun(pipeline.runs, run.id);
    expect(finished.status).toBe('completed');
    expect(JSON.parse(end.data)).toMatchObject({ status: 'completed', run: { id: run.id } });
    // The first stream started with the run's seconds so far: together they hold every page.
    const pages = [...seenFirst, ...ticksSecond].reduce(
      (n, e) => n + e.snapshot.buckets.reduce((m, b) => m + b.pages, 0),
      0,
    );
    expect(pages).toBe(finished.fetched);
    const host = new URL(shop.url).host;
    expect(
      ticksSecond.some((e) => e.snapshot.buckets.some((b) => (b.hosts[host]?.p50 ?? 0) > 9)),
      'per-host latency of a 10 ms shop',
    ).toBe(true);

    // History: the same seconds, from Postgres, on either instance.
    let history: { width: number; samples: Array<{ t: number; pages: number }> } | undefined;
    for (let i = 0; i < 50 && !history?.samples.length; i++) {
      const response = await fetch(`${apiB.url}/api/v1/crawls/${run.id}/samples`, {
        headers: bearer(operator),
      });
      expect(response.status).toBe(200);
      history = (await response.json()) as typeof history;
      if (!history?.samples.length) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(history!.width).toBe(1);
    expect(history!.samples.reduce((n, s) => n + s.pages, 0)).toBe(finished.fetched);
    const streamed = new Map(
      [...seenFirst, ...ticksSecond].flatMap((e) => e.snapshot.buckets.map((b) => [b.t, b.pages] as const)),
    );
    // The run can end within a second that no tick carried any more (the end event comes
    // first): such a second fetched nothing, since the pages above add up.
    for (const sample of history!.samples)
      expect(streamed.get(sample.t) ?? 0, `second ${sample.t}`).toBe(sample.pages);

    // A finished run's stream says so at once and closes.
    const late = await openSse(url(apiA), bearer(operator));
    await late.waitFor((m) => m.event === 'end', 10_000);
    await late.ended;
  });

  it('lets staff and the shop’s owner watch, and nobody else', async () => {
    const run = await startRun();
    const url = `${apiA.url}/api/v1/crawls/${run.id}/live`;
    const anonymous = await openSse(url);
    expect(anonymous.status).toBe(401);
    const asShopper = await openSse(url, bearer(shopper));
    expect(asShopper.status).toBe(403);
    // Someone else's shop does not exist, as far as a merchant can tell.
    const asStranger = await openSse(url, bearer(stranger));
    expect(asStranger.status).toBe(404);
    const asOwner = await openSse(url, bearer(owner));
    expect(asOwner.status).toBe(200);
    const ownerTick = tick(await asOwner.waitFor((m) => m.event === 'tick'));
    // The owner sees the run, not the crawler machines.
    expect(ownerTick.snapshot.nodes).toBeNull();
    asOwner.close();
    const bad = await openSse(url, { ...bearer(operator), 'last-event-id': 'yesterday' });
    expect(bad.status).toBe(400);
    const samples = await fetch(`${apiA.url}/api/v1/crawls/${run.id}/samples`, { headers: bearer(stranger) });
    expect(samples.status).toBe(404);
    await pipeline.runs.cancel(run.id);
  });

  it('refuses streams past the per-instance cap with 503, and frees a slot when a client leaves', async () => {
    process.env.LIVE_MAX_STREAMS = '2';
    resetConfig();
    const api = await startApi();
    delete process.env.LIVE_MAX_STREAMS;
    resetConfig();
    try {
      const run = await startRun();
      const url = `${api.url}/api/v1/crawls/${run.id}/live`;
      const one = await openSse(url, bearer(operator));
      const two = await openSse(url, bearer(operator));
      const three = await openSse(url, bearer(operator));
      expect([one.status, two.status, three.status]).toEqual([200, 200, 503]);
      expect(three.headers.get('retry-after')).toBe('5');
      one.close();
      await one.ended;
      let again = await openSse(url, bearer(operator));
      for (let i = 0; i < 20 && again.status !== 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        again = await openSse(url, bearer(operator));
      }
      expect(again.status).toBe(200);
      again.close();
      two.close();
      await pipeline.runs.cancel(run.id);
    } finally {
      await api.close();
    }
  });

  it('drops a watcher that stops reading, and gives one that was busy the seconds it missed', async () => {
    const run = await startRun();
    const hub = new LiveHub({
      live: new LiveRuns(),
      getRun: (id) => pipeline.runs.get(id),
      maxStreams: 10,
      stallMs: 1500,
    });
    let stuckClosed = false;
    const unwatchStuck = hub.watch(run.id, {
      position: null,
      nodes: true,
      send: () => new Promise(() => {}),
      close: () => {
        stuckClosed = true;
      },
    });
    // A slow reader: each event takes 2.5 s to write, so it misses ticks meanwhile.
    const seconds: number[] = [];
    let sent = 0;
    const unwatchSlow = hub.watch(run.id, {
      position: null,
      nodes: true,
      send: async (event) => {
        const data = JSON.parse(event.data) as Tick;
        seconds.push(...data.snapshot.buckets.map((b) => b.t));
        sent++;
        await new Promise((resolve) => setTimeout(resolve, 2500));
      },
      close: () => {},
    });
    await new Promise((resolve) => setTimeout(resolve, 7000));
    expect(stuckClosed).toBe(true);
    unwatchStuck();
    unwatchSlow();
    expect(hub.open).toBe(0);
    expect(sent).toBeGreaterThanOrEqual(2);
    expect(sent).toBeLessThan(5);
    for (let i = 1; i < seconds.length; i++) expect(seconds[i]).toBe(seconds[i - 1]! + 1);
    await pipeline.runs.cancel(run.id);
  });

  it('a `trawl api` process with streams open stops at once on SIGTERM (the streams end first)', async () => {
    const run = await startRun();
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const child = spawn('node', ['bin/trawl.mjs', 'api'], {
      env: { ...process.env, PORT: String(port), LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve) =>
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('API and storefront listening')) resolve();
      }),
    );
    const stream = await openSse(`http://127.0.0.1:${port}/api/v1/crawls/${run.id}/live`, bearer(operator));
    await stream.waitFor((m) => m.event === 'tick');
    const stopping = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(5000);
    await stream.ended;
    await pipeline.runs.cancel(run.id);
  });
});
