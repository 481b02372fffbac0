import { baseUrl, firstHeading, indexPage, rawTextOf } from './dom.ts';
import { compact } from './fields.ts';
import {
  Graph,
  get,
  isBreadcrumbList,
  isNode,
  isProduct,
  type LdNode,
  type OfferNotes,
  pickMainProduct,
  type ReadContext,
  readBreadcrumb,
  readProduct,
  scoreProduct,
  text,
} from './schema-org.ts';
import type { ExtractInput, Fields, ScoredFields } from './types.ts';

const MAX_BLOCKS = 50;
const MAX_BLOCK_LENGTH = 2_000_000;
const MAX_NODES = 20_000;

/** Shop templates wrap JSON-LD in comments or CDATA, and leave raw newlines or trailing commas in it. */
function parseBlock(source: string): unknown {
  const trimmed = source
    .trim()
    .replace(/^(?:\/\/\s*)?<!\[CDATA\[|(?:\/\/\s*)?\]\]>$/g, '')
    .replace(/^<!--|-->$/g, '')
    .replace(/;\s*$/, '')
    .trim();
  try {
    return JSON.parse(trimmed);
  } catch (error) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: raw control characters inside strings are what breaks these blocks
    const repaired = trimmed.replace(/[\u0000-\u001f]+/g, ' ').replace(/,\s*([}\]])/g, '$1');
    try {
      return JSON.parse(repaired);
    } catch {
      throw error;
    }
  }
}

// Pages point from the page node to the product and the breadcrumb; these are followed, other
// properties (isRelatedTo, itemListElement of listings…) are not, so related products stay out.
const CONTAINERS = ['mainEntity', 'breadcrumb', 'about', 'itemReviewed'];

interface Found {
  products: LdNode[];
  breadcrumbs: LdNode[];
  graph: Graph;
}

function collect(documents: unknown[]): Found {
  const graph = new Graph();
  const products: LdNode[] = [];
  const breadcrumbs: LdNode[] = [];
  const seen = new Set<LdNode>();

  // Every node with an @id is registered, however deep, so references resolve.
  const stack: unknown[] = [...documents];
  let visited = 0;
  while (stack.length > 0 && visited++ < MAX_NODES) {
    const value = stack.pop();
    if (Array.isArray(value)) for (const item of value) stack.push(item);
    else if (isNode(value)) {
      graph.add(value);
      for (const child of Object.values(value))
        if (typeof child === 'object' && child !== null) stack.push(child);
    }
  }

  const queue: unknown[] = [...documents];
  for (let i = 0; i < queue.length && i < MAX_NODES; i++) {
    const value = queue[i];
    if (Array.isArray(value)) {
      for (const item of value) queue.push(item);
      continue;
    }
    const node = graph.deref(value);
    if (!isNode(node) || seen.has(node)) continue;
    seen.add(node);
    if (isProduct(node)) products.push(node);
    else if (isBreadcrumbList(node)) breadcrumbs.push(node);
    queue.push(node['@graph']);
    for (const key of CONTAINERS) queue.push(get(node, key));
  }
  return { products, breadcrumbs, graph };
}

/** Parsed JSON-LD blocks of the page; broken ones are skipped and reported in `errors`. */
export function jsonLdDocuments(input: ExtractInput): unknown[] {
  const documents: unknown[] = [];
  const scripts = indexPage(input.document).jsonLd.slice(0, MAX_BLOCKS);
  scripts.forEach((script, index) => {
    const source = rawTextOf(script);
    if (source.trim() === '') return;
    if (source.length > MAX_BLOCK_LENGTH) {
      input.errors?.push(`jsonld: block ${index + 1} skipped: ${source.length} characters`);
      return;
    }
    try {
      documents.push(parseBlock(source));
    } catch (error) {
      input.errors?.push(
        `jsonld: block ${index + 1} is not valid JSON: ${(error as Error).message.slice(0, 200)}`,
      );
    }
  });
  return documents;
}

/** Product, offer, brand, identifiers and breadcrumb from the page's JSON-LD. */
export function extractJsonLd(input: ExtractInput): Fields | null {
  return readJsonLd(input).fields;
}

/** extractJsonLd's fields, scored (an AggregateOffer's range below the variant shown: see scoreProduct). */
export function extractJsonLdScored(input: ExtractInput): ScoredFields | null {
  const { fields, notes } = readJsonLd(input);
  return scoreProduct(fields, 0.9, 0.82, notes);
}

function readJsonLd(input: ExtractInput): { fields: Fields | null; notes: OfferNotes } {
  const documents = jsonLdDocuments(input);
  if (documents.length === 0) return { fields: null, notes: {} };
  const { products, breadcrumbs, graph } = collect(documents);
  const ctx: ReadContext = { graph, base: baseUrl(input.document, input.url), pageUrl: input.url };
  const heading = products.length > 1 || breadcrumbs.length > 0 ? firstHeading(input.document) : undefined;
  const product = pickMainProduct(products, heading, ctx);
  const notes: OfferNotes = {};
  const fields: Fields = product ? readProduct(product, ctx, notes) : {};

  const names = [fields.title, heading, product ? text(get(product, 'name')) : undefined];
  for (const list of breadcrumbs) {
    const path = readBreadcrumb(list, ctx, names);
    if (path.length > 0) {
      fields.categoryPath = path;
      break;
    }
  }
  return { fields: compact(fields), notes };
}
