/**
 * `trawl extract INPUT [--rules FILE] [--render] [--url URL] [--format json|benchmark] [--explain]`
 *
 * INPUT is an http(s) URL (fetched; with --render, rendered in Chromium), an HTML file
 * (.html or .html.gz), or a directory of them. Prints JSON on stdout. `--format benchmark`
 * prints `{page id: {price, currency, sku, availability, …}}`, the shape of the product-pages
 * dataset's output/*.json files. `--explain` prints, per field, the candidates, their sources and
 * confidences and why the winner won (as text; in the JSON with --format json).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { z } from 'zod';
import { fieldErrors } from '../../api/errors.ts';
import { extractionSchema, siteSchema } from '../../core/site.ts';
import { benchmarkRecord } from '../../crawler/extract/eval/benchmark.ts';
import { isHtmlFile, pageId, readHtml } from '../../crawler/extract/eval/score.ts';
import {
  type ExtractionRules,
  type Extractor,
  formatExplanation,
  loadExtractors,
} from '../../crawler/extract/index.ts';
import { type Preview, previewExtraction } from '../../crawler/extract/preview.ts';
import { CHROMIUM_ARGS } from '../../crawler/render/index.ts';

const USAGE = `Usage: trawl extract INPUT [--rules SITE.json] [--render] [--url URL] [--format json|benchmark] [--explain]

  INPUT            an http(s) URL, an .html/.html.gz file, or a directory of them
  --rules FILE     a site definition (JSON); its "extraction" rules are used
  --render         render URL inputs in Chromium (CHROMIUM_PATH, default /usr/bin/chromium)
  --url URL        the page URL for a file input (relative links, URL identifiers)
  --format F       json (default): extraction, per-extractor findings and normalised product;
                   benchmark: {page id: {price, currency, sku, availability}} for a directory
  --explain        per field: the candidates, their sources and confidences, why the winner won
                   (text; with --format json, an "explanation" object in the JSON)`;

const FETCH_TIMEOUT_MS = 30_000;

/** Reads the `extraction` rules from a site definition file (or a bare extraction object). */
function readRules(file: string): ExtractionRules {
  const input = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  if ('startUrls' in input || 'name' in input) return siteSchema.parse(input).extraction;
  return extractionSchema.parse(input.extraction ?? input);
}

/** Page URLs of a dataset folder: ground-truth.json's `url` per page id, when there is one. */
function knownUrls(dir: string): Record<string, string> {
  for (const candidate of [join(dir, 'ground-truth.json'), join(dirname(dir), 'ground-truth.json')]) {
    if (!existsSync(candidate)) continue;
    const truth = JSON.parse(readFileSync(candidate, 'utf8')) as Record<string, { url?: unknown }>;
    const out: Record<string, string> = {};
    for (const [id, record] of Object.entries(truth))
      if (typeof record.url === 'string') out[id] = record.url;
    return out;
  }
  return {};
}

/** The URL a saved page was served from: canonical link or og:url, else the file's URL. */
function urlFromHtml(html: string, file: string): string {
  const head = html.slice(0, 200_000);
  const canonical =
    /<link[^>]+rel=["']?canonical["']?[^>]*href=["']([^"']+)["']/i.exec(head)?.[1] ??
    /<meta[^>]+property=["']og:url["'][^>]*content=["']([^"']+)["']/i.exec(head)?.[1];
  if (canonical && /^https?:\/\//i.test(canonical)) return canonical.replace(/&amp;/g, '&');
  return pathToFileURL(resolve(file)).href;
}

async function fetchPage(url: string): Promise<string> {
  const response = await fetch(url, {
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    headers: { 'user-agent': 'Trawl/0.1 (+extract)', accept: 'text/html,*/*;q=0.5' },
  });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

async function renderPage(url: string): Promise<string> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: 'load', timeout: FETCH_TIMEOUT_MS });
    await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => undefined);
    return await page.content();
  } finally {
    await browser.close();
  }
}

function view(preview: Preview, url: string, explain: boolean) {
  return {
    url,
    product: preview.product,
    normalised: preview.normalised,
    chosen: preview.chosen,
    extractors: preview.scored,
    errors: preview.errors,
    ...(explain ? { explanation: preview.explanation } : {}),
  };
}

/** One page's explanation as text: the page, the stored product's key fields, then every field. */
function explainText(preview: Preview, url: string): string {
  const n = preview.normalised;
  const head = n
    ? `${url}\n${n.title}\n  price ${n.price ?? '-'} ${n.currency ?? ''}  sku ${n.sku ?? '-'}  ${n.availability}`
    : `${url}\n  no product found`;
  const body = preview.explanation ? formatExplanation(preview.explanation) : '';
  const errors = preview.errors.map((e) => `error: ${e}`).join('\n');
  return [head, body, errors].filter(Boolean).join('\n');
}

export async function extractCommand(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  const parse = (argv: string[]) =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        rules: { type: 'string' },
        render: { type: 'boolean', default: false },
        url: { type: 'string' },
        format: { type: 'string', default: 'json' },
        explain: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  try {
    parsed = parse(args);
  } catch (error) {
    process.stderr.write(`trawl extract: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const input = positionals[0];
  const format = values.format ?? 'json';
  if (!input || positionals.length > 1 || (format !== 'json' && format !== 'benchmark')) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }

  let rules: ExtractionRules = {};
  if (values.rules) {
    try {
      rules = readRules(values.rules);
    } catch (error) {
      if (error instanceof z.ZodError) {
        process.stderr.write(`trawl extract: ${values.rules} has invalid rules:\n`);
        for (const issue of fieldErrors(error)) process.stderr.write(`  ${issue.path}: ${issue.message}\n`);
      } else
        process.stderr.write(`trawl extract: cannot read ${values.rules}: ${(error as Error).message}\n`);
      return 2;
    }
  }
  const extractors: Extractor[] = await loadExtractors(rules, {
    baseDir: values.rules ? dirname(resolve(values.rules)) : process.cwd(),
  });
  const explain = values.explain === true;
  // --explain alone prints text for a person; with an explicit --format, the JSON carries it.
  const explainAsText = explain && !args.some((a) => a === '--format' || a.startsWith('--format='));
  const out = (value: unknown): void => {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  };
  const show = (preview: Preview, url: string): unknown =>
    format === 'benchmark'
      ? benchmarkRecord(url, preview.product, preview.normalised)
      : view(preview, url, explain);

  try {
    if (/^https?:\/\//i.test(input)) {
      const html = values.render ? await renderPage(input) : await fetchPage(input);
      const request = values.render
        ? { url: input, html, renderedHtml: html, rules, extractors, explain }
        : { url: input, html, rules, extractors, explain };
      const preview = previewExtraction(request);
      if (explainAsText) process.stdout.write(`${explainText(preview, input)}\n`);
      else out(show(preview, input));
      return 0;
    }
    if (!existsSync(input)) {
      process.stderr.write(`trawl extract: ${input}: no such file, directory or URL\n`);
      return 2;
    }
    if (!statSync(input).isDirectory()) {
      const html = readHtml(input);
      const url = values.url ?? knownUrls(dirname(resolve(input)))[pageId(input)] ?? urlFromHtml(html, input);
      const preview = previewExtraction({ url, html, rules, extractors, explain });
      if (explainAsText) process.stdout.write(`${explainText(preview, url)}\n`);
      else out(format === 'benchmark' ? { [pageId(input)]: show(preview, url) } : show(preview, url));
      return 0;
    }

    const dir =
      existsSync(join(input, 'html')) && statSync(join(input, 'html')).isDirectory()
        ? join(input, 'html')
        : input;
    const files = readdirSync(dir).filter(isHtmlFile).sort();
    const urls = knownUrls(resolve(dir));
    const bar = new SingleBar({
      format: ' {bar} {percentage}% | {value}/{total} pages | {file}',
      stream: process.stderr,
      hideCursor: true,
    });
    const tty = process.stderr.isTTY === true;
    if (tty) bar.start(files.length, 0, { file: '' });
    const results: Record<string, unknown> = {};
    for (const [i, file] of files.entries()) {
      const id = pageId(file);
      const path = join(dir, file);
      try {
        const html = readHtml(path);
        const url = urls[id] ?? urlFromHtml(html, path);
        const preview = previewExtraction({ url, html, rules, extractors, explain });
        if (explainAsText) process.stdout.write(`${explainText(preview, url)}\n\n`);
        else results[id] = show(preview, url);
      } catch (error) {
        process.stderr.write(`trawl extract: ${basename(path)}: ${(error as Error).message}\n`);
      }
      if (tty) bar.update(i + 1, { file: id.slice(0, 24) });
      else if ((i + 1) % 100 === 0 || i + 1 === files.length)
        process.stderr.write(`extract: ${i + 1}/${files.length} pages\n`);
    }
    if (tty) bar.stop();
    if (!explainAsText) out(results);
    return 0;
  } catch (error) {
    process.stderr.write(`trawl extract: ${(error as Error).message}\n`);
    return 1;
  }
}
