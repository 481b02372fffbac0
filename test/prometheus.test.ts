/**
 * Prometheus and Grafana, checked for real: Debian's prometheus scrapes the real `trawl api`,
 * `trawl worker crawl` and `trawl worker ingest` processes, with the repository's scrape
 * configuration and alert rules, while they crawl the demo shop. Then every metric the Grafana
 * dashboard names must have series, and every one of its queries must run.
 *
 * The scrape configuration is deploy/prometheus/prometheus.yml, written for docker-compose
 * (targets found through Docker's DNS, the token in a file the container writes). Prometheus
 * has no variables in its configuration, so this test writes a copy in which only what cannot
 * be the same here differs: targets become the local processes' ports, the token file is a
 * temporary one, intervals are 1 s. Jobs, paths, authorization, relabelings and rule files are
 * used as the repository has them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CrawlRuns, putSite } from '../catalog/index.ts';
import { checkPrometheus } from '../core/prereqs.ts';
import { V8_FLAGS } from '../core/v8-flags.ts';
import { type DemoShop, demoSite, generateCatalog, startDemoShop } from '../demo/index.ts';
import { metricNames, withGrafanaVariables } from './promql.ts';
import { closeConnections, waitForRun } from './support.ts';

const configPath = 'deploy/prometheus/prometheus.yml';
const rulesTestPath = 'deploy/prometheus/alerts.test.yml';
const dashboardPath = 'deploy/grafana/dashboards/trawl.json';
const site = 'prometheus-shop';

let binaries: { prometheus: string; promtool: string };
let dir: string;
let shop: DemoShop;
let runs: CrawlRuns;
const token = randomBytes(24).toString('hex');
const processes: ChildProcess[] = [];
let api: string;
let crawlerMetrics: string;
let ingestMetrics: string;
let prometheus: { url: string; child: ChildProcess; log: () => string };
let testConfig: PrometheusConfig;
/** When Prometheus saw the run running, and when it had scraped everything after the run. */
let whileRunning: number;
let afterRun: number;

beforeAll(async () => {
  // Fails (never skips) with the install command when Prometheus is missing.
  binaries = await checkPrometheus();
  dir = await mkdtemp(join(tmpdir(), 'trawl-prometheus-'));
  shop = await startDemoShop({ catalog: generateCatalog({ products: 30 }) });
  runs = new CrawlRuns();
  // Ports chosen up front, so Prometheus starts (and discovers its targets, which takes it about
  // 5 s) while the Trawl processes start, not after.
  const [apiPort, crawlerPort, ingestPort] = await freePorts(3);
  api = `http://127.0.0.1:${apiPort}`;
  crawlerMetrics = `127.0.0.1:${crawlerPort}`;
  ingestMetrics = `127.0.0.1:${ingestPort}`;
  await writeFile(join(dir, 'metrics-token'), token);
  testConfig = localCopy(parse(await readFile(configPath, 'utf8')) as PrometheusConfig, {
    'trawl-api': `127.0.0.1:${apiPort}`,
    'trawl-crawler': crawlerMetrics,
    'trawl-ingest': ingestMetrics,
  });
  await writeFile(join(dir, 'prometheus.yml'), JSON.stringify(testConfig, null, 2));
  const env = { METRICS_TOKEN: token, METRICS_HOST: '127.0.0.1', HOST: '127.0.0.1' };
  [prometheus] = await Promise.all([
    startPrometheus(),
    startTrawl(['api'], 'API and storefront listening', { ...env, PORT: String(apiPort) }),
    startTrawl(['worker', 'crawl'], 'crawl worker started', {
      ...env,
      METRICS_PORT: String(crawlerPort),
      CRAWL_CONCURRENCY: '2',
    }),
    startTrawl(['worker', 'ingest'], 'ingest worker started', { ...env, METRICS_PORT: String(ingestPort) }),
  ]);
});

afterAll(async () => {
  await Promise.all([prometheus?.child, ...processes].map((child) => child && stop(child)));
  await shop?.close();
  await closeConnections();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Prometheus and Grafana against the real processes', () => {
  it('promtool accepts the scrape configuration, which keeps every job as the repository has it', async () => {
    const repo = parse(await readFile(configPath, 'utf8')) as PrometheusConfig;
    expect(testConfig.scrape_configs.map((job) => job.job_name)).toEqual(
      repo.scrape_configs.map((job) => job.job_name),
    );
    for (const [i, job] of repo.scrape_configs.entries()) {
      expect(withoutLocalParts(testConfig.scrape_configs[i]!)).toEqual(withoutLocalParts(job));
    }
    const checked = await promtool(['check', 'config', join(dir, 'prometheus.yml')]);
    expect(checked.output).toMatch(/SUCCESS/);
    expect(checked.code, checked.output).toBe(0);
  });

  it('the alert rules pass their unit tests (each alert firing, and the cases that must not fire)', async () => {
    const tested = await promtool(['test', 'rules', rulesTestPath]);
    expect(tested.code, tested.output).toBe(0);
    expect(tested.output).toMatch(/SUCCESS/);
  });

  it('scrapes the API and both workers while they crawl the demo shop', async () => {
    await waitFor('every target up', async () => {
      const targets = await prometheusApi<{ activeTargets: Target[] }>('/api/v1/targets');
      return targets.activeTargets.length === 3 && targets.activeTargets.every((t) => t.health === 'up');
    });
    await putSite({
      ...demoSite(shop.url),
      name: site,
      // A page that answers 404, so errors have series; a slow pace, so the run lasts for
      // several 1 s scrapes and Prometheus sees it running.
      startUrls: [`${shop.url}/`, `${shop.url}/no-such-page`],
      politeness: { maxInFlightPerHost: 1, minDelayMs: 100 },
    });
    const run = await runs.start(site);
    await waitFor('Prometheus to see the run running', async () => {
      const running = await query(`trawl_crawl_runs{site="${site}",status="running"}`);
      return running.length > 0;
    });
    whileRunning = Date.now() / 1000;
    const finished = await waitForRun(runs, run.id, 45_000);
    expect(finished.status).toBe('completed');
    expect(finished.failed).toBe(1); // the 404
    expect(finished.productsFound).toBeGreaterThan(0);
    // Requests through the API (the scrapes of /metrics count too).
    for (const path of ['/healthz', '/readyz', '/api/v1/search?q=coffee', '/no-such-route']) {
      await fetch(`${api}${path}`);
    }
    // Every target scraped again since: the counters are complete and the run has ended.
    const ended = Date.now();
    await waitFor('scrapes after the run', async () => {
      const targets = await prometheusApi<{ activeTargets: Target[] }>('/api/v1/targets');
      return targets.activeTargets.every((t) => Date.parse(t.lastScrape) > ended + 1000);
    });
    afterRun = Date.now() / 1000;
    const pages = await query(`sum(trawl_pages_fetched_total{site="${site}"})`);
    expect(Number(pages[0]?.value[1])).toBe(finished.fetched + finished.failed);
    expect(await query(`trawl_crawl_runs{site="${site}"}`)).toEqual([]);
  });

  it('promtool check metrics accepts what the API and each worker expose', async () => {
    const expositions = {
      api: await fetchText(`${api}/metrics`, { authorization: `Bearer ${token}` }),
      crawler: await fetchText(`http://${crawlerMetrics}/metrics`),
      ingest: await fetchText(`http://${ingestMetrics}/metrics`),
    };
    for (const [name, text] of Object.entries(expositions)) {
      expect(text, name).toContain('trawl_process_cpu_seconds_total');
      const checked = await promtool(['check', 'metrics'], text);
      expect({ name, ...checked }).toEqual({ name, code: 0, output: '' });
    }
    expect(expositions.crawler).toMatch(/^trawl_fetch_duration_seconds_count\{.*site="prometheus-shop"/m);
    expect(expositions.ingest).toMatch(/^trawl_products_ingested_total\{outcome="inserted"\} [1-9]/m);
    expect(expositions.api).toMatch(/^trawl_http_request_duration_seconds_count\{/m);
  });

  it('every metric the Grafana dashboard names has series, and every panel query returns data', async () => {
    const dashboard = JSON.parse(await readFile(dashboardPath, 'utf8')) as Dashboard;
    const allValues = Object.fromEntries(
      (dashboard.templating?.list ?? []).map((v) => [v.name, v.allValue ?? '.*']),
    );
    const queries = dashboardQueries(dashboard).map(({ title, expr }) => ({
      title,
      expr: withGrafanaVariables(expr, allValues),
    }));
    expect(queries.length).toBeGreaterThan(20);
    const names = new Set<string>();
    for (const { title, expr } of queries) {
      const found = metricNames(expr);
      expect(found.length, `no metric found in "${title}": ${expr}`).toBeGreaterThan(0);
      for (const name of found) names.add(name);
    }
    const missing: string[] = [];
    for (const name of [...names].sort()) {
      if ((await query(`count(last_over_time(${name}[10m]))`, afterRun)).length === 0) missing.push(name);
    }
    expect.soft(missing, 'metrics the dashboard names that Prometheus never scraped').toEqual([]);
    const problems: string[] = [];
    for (const { title, expr } of queries) {
      if (expr.startsWith('label_values(')) continue;
      // The query runs, and returns data while the crawl ran or after it.
      try {
        const [during, after] = [await query(expr, whileRunning), await query(expr, afterRun)];
        if (during.length === 0 && after.length === 0) problems.push(`no data: "${title}": ${expr}`);
      } catch (error) {
        problems.push(`fails: "${title}": ${(error as Error).message}`);
      }
    }
    expect(problems, 'panel queries that fail or return no data').toEqual([]);
    // The metrics this suite brought in, so a change to the dashboard shows up here.
    expect(names).toContain('trawl_crawl_runs');
    expect(names).toContain('trawl_queue_oldest_job_age_seconds');
  });

  it('Prometheus loads the alert rules, evaluates them without error, and they name only real metrics', async () => {
    const { groups } = await prometheusApi<{ groups: RuleGroup[] }>('/api/v1/rules');
    const rules = groups.flatMap((group) => group.rules);
    expect(rules.filter((rule) => rule.type === 'alerting').map((rule) => rule.name)).toEqual([
      'TrawlCrawlFailureRate',
      'TrawlCrawlNoProgress',
      'TrawlQueueBacklog',
      'TrawlIngestLag',
      'TrawlIngestRetrying',
      'TrawlTargetDown',
    ]);
    for (const rule of rules)
      expect({ rule: rule.name, health: rule.health }).toEqual({ rule: rule.name, health: 'ok' });
    // A short healthy crawl sets off nothing.
    expect(rules.filter((rule) => rule.state === 'firing').map((rule) => rule.name)).toEqual([]);
    const missing: string[] = [];
    for (const name of new Set(rules.flatMap((rule) => metricNames(rule.query)))) {
      if ((await query(`count(last_over_time(${name}[10m]))`, afterRun)).length === 0) missing.push(name);
    }
    expect(missing, 'metrics the alert rules name that Prometheus never scraped').toEqual([]);
  });

  it('reads metric names out of PromQL and Grafana queries', () => {
    expect(metricNames('sum by (le, host) (rate(a_bucket{site=~"x|y", b="c"}[5m] offset 1h))')).toEqual([
      'a_bucket',
    ]);
    expect(metricNames('max by (q) (a{s="b"}) > 0 unless on (site) (sum(b) > 0.5) or vector(1) * c')).toEqual(
      ['a', 'b', 'c'],
    );
    expect(metricNames('label_values(trawl_pages_fetched_total{a="b"}, site)')).toEqual([
      'trawl_pages_fetched_total',
    ]);
    expect(metricNames('histogram_quantile(0.95, sum by (le) (rate(x:y_bucket[1m:10s])))')).toEqual([
      'x:y_bucket',
    ]);
    expect(withGrafanaVariables('rate(a{s=~"$site"}[$__rate_interval])', { site: '.*' })).toBe(
      'rate(a{s=~".*"}[1m])',
    );
    expect(() => withGrafanaVariables('a{s="$nope"}', {})).toThrow(/unknown Grafana variable \$nope/);
  });
});

// --- the repository's configuration, pointed at this machine -------------------------------

interface ScrapeConfig {
  job_name: string;
  scrape_interval?: string;
  scrape_timeout?: string;
  static_configs?: Array<{ targets: string[] }>;
  authorization?: { type?: string; credentials_file?: string; credentials?: string };
  [key: string]: unknown;
}
interface PrometheusConfig {
  global?: Record<string, unknown>;
  rule_files?: string[];
  scrape_configs: ScrapeConfig[];
  [key: string]: unknown;
}

/** Keys the test copy changes; everything else of a job must stay as the repository has it. */
function withoutLocalParts(job: ScrapeConfig): ScrapeConfig {
  const rest: ScrapeConfig = { ...job };
  for (const key of Object.keys(rest))
    if (key.endsWith('_sd_configs') || key === 'static_configs' || key.startsWith('scrape_'))
      delete rest[key];
  if (rest.authorization?.credentials_file)
    rest.authorization = { ...rest.authorization, credentials_file: '' };
  return rest;
}

function localCopy(repo: PrometheusConfig, targets: Record<string, string>): PrometheusConfig {
  const jobs = repo.scrape_configs.map((job) => job.job_name).sort();
  // A job added to the repository without a process here (or the reverse) fails loudly.
  expect(jobs).toEqual(Object.keys(targets).sort());
  return {
    ...repo,
    global: { ...repo.global, scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    // Prometheus reads rule files relative to its configuration file, which is elsewhere now.
    rule_files: (repo.rule_files ?? []).map((file) => resolve('deploy/prometheus', file)),
    scrape_configs: repo.scrape_configs.map((job) => {
      const local: ScrapeConfig = { ...job };
      for (const key of Object.keys(local)) if (key.endsWith('_sd_configs')) delete local[key];
      delete local.scrape_interval;
      delete local.scrape_timeout;
      local.static_configs = [{ targets: [targets[job.job_name]!] }];
      if (job.authorization?.credentials_file)
        local.authorization = { ...job.authorization, credentials_file: join(dir, 'metrics-token') };
      return local;
    }),
  };
}

// --- processes ----------------------------------------------------------------------------

/** A `trawl ...` process, resolved with its JSON log line that says it is ready. */
function startTrawl(
  args: string[],
  readyMessage: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; ready: Record<string, unknown> }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('node', [...V8_FLAGS, 'bin/trawl.mjs', ...args], {
      env: { ...process.env, ...env, LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    processes.push(child);
    const failed = (code: number | null) =>
      reject(new Error(`trawl ${args.join(' ')} exited with ${code} before it was ready`));
    child.once('error', reject);
    child.once('exit', failed);
    // Read every line, so the pipe never fills and blocks the process.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.includes(readyMessage)) return;
      const ready = JSON.parse(line) as Record<string, unknown>;
      if (ready.msg !== readyMessage) return;
      child.off('exit', failed);
      resolvePromise({ child, ready });
    });
  });
}

/** Stops a process this test started: SIGTERM, and SIGKILL if it is still there after 10 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolvePromise) => child.once('exit', resolvePromise));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function startPrometheus(): Promise<typeof prometheus> {
  // A free port, found by binding one; should another process take it meanwhile, try again.
  for (let attempt = 1; ; attempt++) {
    const [port] = await freePorts(1);
    let log = '';
    const child = spawn(
      binaries.prometheus,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, `data-${attempt}`)}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr!.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-20_000);
    });
    const url = `http://127.0.0.1:${port}`;
    const exited = new Promise<'exited'>((resolvePromise) =>
      child.once('exit', () => resolvePromise('exited')),
    );
    const ready = (async () => {
      for (;;) {
        const response = await fetch(`${url}/-/ready`).catch(() => null);
        if (response?.ok) return 'ready' as const;
        await sleep(100);
      }
    })();
    const outcome = await Promise.race([ready, exited, sleep(20_000).then(() => 'timeout' as const)]);
    if (outcome === 'ready') return { url, child, log: () => log };
    child.kill('SIGKILL');
    if (attempt >= 3 || !/address already in use/.test(log))
      throw new Error(`prometheus did not start (${outcome}):\n${log}`);
  }
}

/** Ports free right now, distinct (held open together while they are picked). */
/**
 * Ports free now, below Linux's ephemeral range (32768 and up): a port the kernel hands out for
 * `listen(0)` is also handed to the outgoing connections of the test files running beside this
 * one, and CI once saw one taken between choosing it here and a worker binding it.
 */
async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (ports.includes(port)) continue;
    const free = await new Promise<boolean>((resolvePromise) => {
      const server = createServer();
      server.once('error', () => resolvePromise(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolvePromise(true)));
    });
    if (free) ports.push(port);
  }
  return ports;
}

/** Runs promtool; `output` is stdout and stderr together, trimmed. */
function promtool(args: string[], input?: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(binaries.promtool, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolvePromise({ code, output: output.trim() }));
    child.stdin.end(input ?? '');
  });
}

// --- Prometheus's HTTP API ----------------------------------------------------------------

interface Target {
  health: string;
  lastScrape: string;
  scrapePool: string;
}
interface RuleGroup {
  name: string;
  rules: Array<{ name: string; query: string; type: string; health: string; state?: string }>;
}
interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

async function prometheusApi<T>(path: string, params: Record<string, string> = {}): Promise<T> {
  const response = await fetch(`${prometheus.url}${path}?${new URLSearchParams(params)}`);
  const body = (await response.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${path} ${JSON.stringify(params)}: ${body.error}`);
  return body.data;
}

/** An instant query (/api/v1/query) at `time` (Unix seconds), or now. */
async function query(expr: string, time?: number): Promise<Sample[]> {
  const data = await prometheusApi<{ resultType: string; result: Sample[] }>('/api/v1/query', {
    query: expr,
    ...(time ? { time: String(time) } : {}),
  });
  return data.resultType === 'vector' ? data.result : [];
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${prometheus.log()}`);
    await sleep(200);
  }
}

async function fetchText(url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, { headers });
  expect(response.status, url).toBe(200);
  return response.text();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolvePromise) => setTimeout(resolvePromise, ms));
}

// --- the dashboard ------------------------------------------------------------------------

interface Panel {
  title?: string;
  targets?: Array<{ expr?: string }>;
  panels?: Panel[];
}
interface Dashboard {
  panels: Panel[];
  templating?: { list: Array<{ name: string; allValue?: string; query?: string | { query?: string } }> };
}

/** Every PromQL expression of the dashboard: panel targets (rows included) and variable queries. */
function dashboardQueries(dashboard: Dashboard): Array<{ title: string; expr: string }> {
  const found: Array<{ title: string; expr: string }> = [];
  const visit = (panels: Panel[]) => {
    for (const panel of panels) {
      for (const target of panel.targets ?? [])
        if (target.expr) found.push({ title: panel.title ?? '(untitled)', expr: target.expr });
      visit(panel.panels ?? []);
    }
  };
  visit(dashboard.panels);
  for (const variable of dashboard.templating?.list ?? []) {
    const expr = typeof variable.query === 'string' ? variable.query : variable.query?.query;
    if (expr) found.push({ title: `variable ${variable.name}`, expr });
  }
  return found;
}
