import { OpenAPIHono, z } from '@hono/zod-openapi';
import { fetch } from 'undici';
import { getSite } from '../catalog/index.ts';
import type { Principal } from '../commerce/accounts/index.ts';
import { ForbiddenError, NotFoundError } from '../core/errors.ts';
import { extractionSchema } from '../core/site.ts';
import { loadExtractors } from '../crawler/extract/index.ts';
import { previewExtraction } from '../crawler/extract/preview.ts';
import {
  guardedDispatcher,
  isPrivateNetworkError,
  type NetworkPolicy,
  PUBLIC_ONLY,
} from '../crawler/network-guard.ts';
import { access, secureRoute } from './access.ts';
import type { AppEnv } from './env.ts';
import { errorSchema, validationHook } from './errors.ts';

const MAX_HTML_BYTES = 5_000_000;
const FETCH_TIMEOUT_MS = 15_000;
const MAX_REDIRECTS = 5;

const scoredSchema = z.record(z.string(), z.object({ value: z.unknown(), confidence: z.number() }));

const previewRequestSchema = z
  .object({
    url: z
      .url({ protocol: /^https?$/ })
      .max(4000)
      .optional()
      .describe('page to fetch (public addresses only)'),
    html: z.string().max(MAX_HTML_BYTES).optional().describe('page HTML, instead of a URL'),
    pageUrl: z
      .url({ protocol: /^https?$/ })
      .max(4000)
      .optional()
      .describe(
        'URL the given HTML was served from (resolves relative links); default https://example.invalid/',
      ),
    rules: extractionSchema.optional().describe('the site\'s "extraction" rules to try'),
    site: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe(
        'a site whose network rules the fetch follows (its privateHosts, allowPrivateNetwork) and whose ' +
          'extraction rules apply unless `rules` is given',
      ),
  })
  .strict()
  .refine((body) => (body.url === undefined) !== (body.html === undefined), {
    message: 'give exactly one of url and html',
    path: ['url'],
  });

const previewResponseSchema = z.object({
  url: z.string(),
  extractors: z.record(z.string(), scoredSchema).describe('what each extractor found, with confidences'),
  chosen: z.record(z.string(), z.object({ source: z.string(), confidence: z.number() })),
  product: z.record(z.string(), z.unknown()).nullable().describe('merged fields as extracted'),
  normalised: z.record(z.string(), z.unknown()).nullable().describe('the product as it would be stored'),
  errors: z.array(z.string()),
  explanation: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('per field: the candidates, their sources and confidences, and why the winner won'),
});

class FetchError extends Error {}

/**
 * GET with a timeout and a size limit, public addresses only: each hop connects through the
 * guarded dispatcher, which checks the address the socket connects to (a check before the
 * fetch would let a rebinding name answer public to it and loopback to the fetch).
 */
async function fetchPage(url: string, policy: NetworkPolicy): Promise<{ url: string; html: string }> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await fetch(current, {
      redirect: 'manual',
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      headers: { 'user-agent': 'Trawl/0.1 (+rule preview)', accept: 'text/html,*/*;q=0.5' },
      dispatcher: guardedDispatcher(policy),
    });
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      current = new URL(location, current).href;
      if (!/^https?:/.test(current)) throw new FetchError(`redirect to ${current} refused`);
      continue;
    }
    if (!response.ok) throw new FetchError(`${current} answered HTTP ${response.status}`);
    const reader = response.body?.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_HTML_BYTES) {
        await reader.cancel();
        throw new FetchError(`${current} is larger than ${MAX_HTML_BYTES} bytes`);
      }
      chunks.push(value);
    }
    return { url: current, html: Buffer.concat(chunks).toString('utf8') };
  }
  throw new FetchError(`more than ${MAX_REDIRECTS} redirects`);
}

/** Rule preview: what each extractor finds on a page, and the merged, normalised product. */
export function extractRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    secureRoute({
      access: access.anyOf('rules:preview'),
      method: 'post',
      path: '/extract/preview',
      tags: ['operator'],
      summary: 'Preview extraction rules on a page (by URL or HTML)',
      request: {
        body: { content: { 'application/json': { schema: previewRequestSchema } }, required: true },
      },
      responses: {
        200: {
          content: { 'application/json': { schema: previewResponseSchema } },
          description: 'Extraction',
        },
        400: { content: { 'application/json': { schema: errorSchema } }, description: 'Invalid input' },
        422: { content: { 'application/json': { schema: errorSchema } }, description: 'Page not fetched' },
      },
    }),
    async (c) => {
      const outcome = await previewOnPage(c.req.valid('json'), c.get('principal'));
      if ('error' in outcome) return c.json({ error: outcome.error }, 422);
      return c.json(outcome, 200);
    },
  );
  return app;
}

export type PreviewRequest = z.infer<typeof previewRequestSchema>;
export type PreviewResult = z.infer<typeof previewResponseSchema>;

/**
 * Fetches the page (or takes the given HTML) and runs the extraction rules on it. With `site`,
 * the fetch follows that site's network rules (an admin may have let it reach a private host)
 * and its extraction rules apply unless others are given; the caller must be able to read it.
 */
export async function previewOnPage(
  body: PreviewRequest,
  principal: Principal,
): Promise<PreviewResult | { error: string }> {
  if ((body.rules?.plugins?.length ?? 0) > 0 && !principal.can('plugins:use'))
    throw new ForbiddenError(
      'rules.plugins needs the permission plugins:use',
      'plugins:use',
      'rules.plugins',
    );
  let policy: NetworkPolicy = PUBLIC_ONLY;
  let siteRules: PreviewRequest['rules'];
  if (body.site !== undefined) {
    const site = await getSite(body.site);
    const mayRead =
      site &&
      (principal.can('sites:read') || (principal.can('sites:read:own') && site.ownerId === principal.userId));
    if (!site || !mayRead) throw new NotFoundError(`no site "${body.site}"`);
    policy = { allowPrivateNetwork: site.rules.allowPrivateNetwork, privateHosts: site.rules.privateHosts };
    siteRules = site.rules.extraction;
  }
  let page: { url: string; html: string };
  if (body.url !== undefined) {
    try {
      page = await fetchPage(body.url, policy);
    } catch (error) {
      // fetch wraps what went wrong (a refused address, ECONNREFUSED) as its cause.
      const cause = (error as Error).cause instanceof Error ? ((error as Error).cause as Error) : undefined;
      const message =
        error instanceof FetchError
          ? error.message
          : isPrivateNetworkError(error)
            ? (cause ?? (error as Error)).message
            : `cannot fetch ${body.url}: ${(cause ?? (error as Error)).message}`;
      return { error: message };
    }
  } else page = { url: body.pageUrl ?? 'https://example.invalid/', html: body.html ?? '' };
  const rules = body.rules ?? siteRules ?? {};
  const extractors = await loadExtractors(rules);
  const preview = previewExtraction({ url: page.url, html: page.html, rules, extractors });
  return {
    url: page.url,
    extractors: preview.scored as PreviewResult['extractors'],
    chosen: preview.chosen as PreviewResult['chosen'],
    product: preview.product,
    normalised: preview.normalised,
    errors: preview.errors,
    explanation: preview.explanation as PreviewResult['explanation'],
  };
}
