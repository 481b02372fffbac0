/**
 * Regression tests for site rules that attacked the API and crawler nodes (issue 10, point 4):
 * catastrophic regexes, plugins that were code from anywhere, IP literals in privateHosts and
 * sites too large to walk, each through the real API.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSite } from '../catalog/index.ts';
import { db } from '../core/db/index.ts';
import { extractProduct, loadExtractors } from '../crawler/extract/index.ts';
import { UrlFilter } from '../crawler/index.ts';
import { type TestUser, userWithRole } from './accounts.ts';
import { startApi } from './http.ts';
import { closeConnections } from './support.ts';

let api: { url: string; close(): Promise<void> };
let operator: TestUser;
const scratch = mkdtempSync(join(tmpdir(), 'trawl-rules-'));

beforeAll(async () => {
  api = await startApi();
  // An operator may use plugins and preview rules: what is refused below is refused for anyone.
  operator = await userWithRole('operator');
});

afterAll(async () => {
  await api.close();
  await closeConnections();
});

const post = (path: string, body: unknown, token: string | null = operator.token) =>
  fetch(`${api.url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

type Invalid = { error: string; issues: Array<{ path: string; message: string }> };
const issuesOf = async (response: Response) => ((await response.json()) as Invalid).issues;

/** A plugin that, if it ever ran, would leave `marker` behind (what the issue's attack did). */
function markerPlugin(name: string): { marker: string; code: string } {
  const marker = join(scratch, `${name}-ran`);
  const code = `import('node:fs').then((fs) => fs.writeFileSync(${JSON.stringify(marker)}, 'pwned'));
export default { name: ${JSON.stringify(name)}, extract: () => null };`;
  return { marker, code };
}

describe('catastrophic regexes', () => {
  const evil = { price: { selector: '.price', regex: '(a+)+$' } };
  const page = `<html><body><h1>Kettle</h1><span class="price">${'a'.repeat(50_000)}!</span></body></html>`;

  it('run in linear time in the rule preview (POST /api/v1/extract/preview)', async () => {
    const started = performance.now();
    const response = await post('/extract/preview', { html: page, rules: { selectors: evil } });
    const elapsed = performance.now() - started;
    expect(response.status).toBe(200);
    // JavaScript's RegExp needed 19 s for 28 characters of this; 10,000 are matched here.
    expect(elapsed).toBeLessThan(3000);
    const health = performance.now();
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    expect(performance.now() - health).toBeLessThan(500);
  });

  it('pass site validation quickly and run in linear time from the stored site', async () => {
    const started = performance.now();
    const created = await post('/sites', {
      name: 'regex-site',
      startUrls: ['https://shop.example/'],
      extraction: { selectors: evil },
    });
    expect(created.status).toBe(201);
    const site = await getSite('regex-site');
    const result = await post('/extract/preview', { html: page, rules: site?.rules.extraction });
    expect(result.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('are refused, naming the field, when RE2 cannot run them', async () => {
    const site = await post('/sites', {
      name: 'lookaround-site',
      startUrls: ['https://shop.example/'],
      extraction: {
        selectors: {
          price: { selector: '.p', regex: '(?=\\d)(\\d+)' },
          sku: { selector: '.s', regex: '(a)\\1' },
        },
      },
    });
    expect(site.status).toBe(400);
    expect(await issuesOf(site)).toEqual([
      {
        path: 'extraction.selectors.price.regex',
        message: expect.stringMatching(/RE2 accepts.*no lookaround/),
      },
      { path: 'extraction.selectors.sku.regex', message: expect.stringMatching(/no backreferences/) },
    ]);
    const preview = await post('/extract/preview', {
      html: '<p>',
      rules: { selectors: { price: { selector: '.p', regex: '(?<=€)\\d+' } } },
    });
    expect(preview.status).toBe(400);
    expect((await issuesOf(preview)).map((i) => i.path)).toEqual(['rules.selectors.price.regex']);
  });

  it('catastrophic globs pass validation and match in linear time; globs RE2 cannot run are refused', async () => {
    const glob = `/${'*a'.repeat(25)}*b`;
    const created = await post('/sites', {
      name: 'glob-site',
      startUrls: ['https://shop.example/'],
      include: [glob],
    });
    expect(created.status).toBe(201);
    // The crawl filter a node builds from the stored site; picomatch took minutes on 60 characters.
    const filter = new UrlFilter((await getSite('glob-site'))!.rules);
    const started = performance.now();
    expect(filter.reject(`https://shop.example/${'a'.repeat(5000)}`)).toBe('filter');
    expect(performance.now() - started).toBeLessThan(1000);
    const refused = await post('/sites', {
      name: 'glob-site-2',
      startUrls: ['https://shop.example/'],
      exclude: ['/x/!(a)'],
    });
    expect(refused.status).toBe(400);
    expect(await issuesOf(refused)).toEqual([
      { path: 'exclude.0', message: expect.stringMatching(/negated extglob/) },
    ]);
  });
});

describe('plugins', () => {
  it('a data: URL plugin is refused by the preview and never runs', async () => {
    const { marker, code } = markerPlugin('data-url');
    const attack = {
      html: '<h1>Kettle</h1>',
      rules: { plugins: [`data:text/javascript,${encodeURIComponent(code)}`] },
    };
    // The issue's attack came from nobody at all: now it does not get past sign-in.
    expect((await post('/extract/preview', attack, null)).status).toBe(401);
    const response = await post('/extract/preview', attack);
    expect(response.status).toBe(400);
    expect(await issuesOf(response)).toEqual([
      { path: 'rules.plugins.0', message: expect.stringMatching(/URL specifiers are not plugins/) },
    ]);
    expect(existsSync(marker)).toBe(false);
  });

  it('a data: URL or a file on disk is refused in a site, naming the field', async () => {
    const fromUrl = markerPlugin('site-data-url');
    const onDisk = markerPlugin('on-disk');
    const file = join(scratch, 'evil-plugin.mjs');
    writeFileSync(file, onDisk.code);
    const response = await post('/sites', {
      name: 'plugin-site',
      startUrls: ['https://shop.example/'],
      extraction: {
        plugins: [
          './plugins/example-plugin',
          `data:text/javascript,${encodeURIComponent(fromUrl.code)}`,
          file,
          `./plugins/../${join('node_modules', 'picomatch')}`,
          'picomatch',
        ],
      },
    });
    expect(response.status).toBe(400);
    expect(await issuesOf(response)).toEqual([
      { path: 'extraction.plugins.1', message: expect.stringMatching(/URL specifiers are not plugins/) },
      {
        path: 'extraction.plugins.2',
        message: expect.stringMatching(/outside the plugin folders this installation allows/),
      },
      { path: 'extraction.plugins.3', message: expect.stringMatching(/outside the plugin folders/) },
      {
        path: 'extraction.plugins.4',
        message: expect.stringMatching(/not a plugin package this installation allows/),
      },
    ]);
    // The preview refuses the file on disk too.
    const preview = await post('/extract/preview', { html: '<h1>Kettle</h1>', rules: { plugins: [file] } });
    expect(preview.status).toBe(400);
    expect((await issuesOf(preview)).map((i) => i.path)).toEqual(['rules.plugins.0']);
    expect(existsSync(fromUrl.marker)).toBe(false);
    expect(existsSync(onDisk.marker)).toBe(false);
  });

  it('the shipped plugin folder is allowed', async () => {
    const response = await post('/extract/preview', {
      html: '<h1>Kettle</h1><meta name="twitter:label1" content="Price"><meta name="twitter:data1" content="9.50 €">',
      rules: { plugins: ['./plugins/example-plugin'] },
    });
    expect(response.status).toBe(200);
    expect(
      ((await response.json()) as { extractors: Record<string, unknown> }).extractors['twitter-cards'],
    ).toBeDefined();
  });

  it('rules stored before the allow-list still load, and the loader refuses their plugins', async () => {
    const { marker, code } = markerPlugin('stored');
    const file = join(scratch, 'stored-plugin.mjs');
    writeFileSync(file, code);
    // Written straight to the table, as rules saved before validation knew the allow-list.
    await db().site.create({
      data: {
        name: 'stored-plugins',
        rules: {
          name: 'stored-plugins',
          startUrls: ['https://shop.example/'],
          extraction: { plugins: [`data:text/javascript,${encodeURIComponent(code)}`, file] },
        },
      },
    });
    const site = await getSite('stored-plugins');
    expect(site?.rules.extraction.plugins).toHaveLength(2);
    // What a crawler node does with a site's rules.
    const extractors = await loadExtractors(site!.rules.extraction);
    const { errors } = extractProduct({ url: 'https://shop.example/p', html: '<h1>K</h1>', extractors });
    expect(errors).toEqual([
      expect.stringMatching(/URL specifiers are not plugins/),
      expect.stringMatching(/outside the plugin folders/),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(marker)).toBe(false);
  });
});

describe('privateHosts', () => {
  it('refuses IP literals with a clear message', async () => {
    const response = await post('/sites', {
      name: 'literal-hosts',
      startUrls: ['https://shop.example/'],
      privateHosts: ['intranet.example', '127.0.0.1', '[::1]', '::ffff:7f00:1'],
    });
    expect(response.status).toBe(400);
    expect(await issuesOf(response)).toEqual(
      ['privateHosts.1', 'privateHosts.2', 'privateHosts.3'].map((path) => ({
        path,
        message: 'must be a host name, not an IP address (use allowPrivateNetwork for addresses)',
      })),
    );
  });
});

describe('site size', () => {
  it('refuses a 36 MB site of 20,000 globs quickly, and caps globs in a site small enough to read', async () => {
    const include = Array.from({ length: 20_000 }, (_, i) => `/p/${'x'.repeat(1800)}/${i}/**`);
    const started = performance.now();
    const response = await post('/sites', {
      name: 'huge-site',
      startUrls: ['https://shop.example/'],
      include,
    });
    // The body limit refuses it before it is read; the schema's caps hold for what fits under it.
    expect(response.status).toBe(413);
    expect(performance.now() - started).toBeLessThan(5000);
    const many = await post('/sites', {
      name: 'huge-site',
      startUrls: ['https://shop.example/'],
      include: include.slice(0, 300).map((_, i) => `/p/${i}/**`),
    });
    expect(many.status).toBe(400);
    expect(await issuesOf(many)).toEqual([{ path: 'include', message: 'at most 200 globs' }]);
  });

  it('caps every list and string of the rules', async () => {
    const many = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i));
    const response = await post('/sites', {
      name: 'capped-site',
      startUrls: [`https://shop.example/${'p'.repeat(2100)}`],
      allowedHosts: many(101, (i) => `h${i}.example`),
      exclude: ['/a'.repeat(300)],
      productUrls: many(201, (i) => `/p/${i}`),
      extraction: {
        selectors: {
          title: 'h1'.repeat(600),
          price: { selector: '.p', attribute: 'a'.repeat(101), regex: `(${'x'.repeat(500)})` },
        },
        disable: many(8, () => 'jsonld'),
      },
      privateHosts: many(101, (i) => `p${i}.example`),
    });
    expect(response.status).toBe(400);
    expect(await issuesOf(response)).toEqual(
      expect.arrayContaining([
        { path: 'startUrls.0', message: 'at most 2000 characters' },
        { path: 'allowedHosts', message: 'at most 100 hosts' },
        { path: 'exclude.0', message: 'at most 500 characters' },
        { path: 'productUrls', message: 'at most 200 globs' },
        { path: 'extraction.selectors.title', message: expect.stringMatching(/at most 1000 characters/) },
        { path: 'extraction.selectors.price.attribute', message: 'at most 100 characters' },
        { path: 'extraction.selectors.price.regex', message: 'at most 500 characters' },
        { path: 'extraction.disable', message: 'at most 7 entries' },
        { path: 'privateHosts', message: 'at most 100 hosts' },
      ]),
    );
  });
});
