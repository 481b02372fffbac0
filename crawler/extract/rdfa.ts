/**
 * RDFa Lite with the schema.org vocabulary: `typeof="Product"` (or "schema:Product") starts an
 * item, `property="price"` adds a value to the nearest enclosing item. Items are turned into the
 * JSON-LD shape schema-org.ts reads. OpenGraph written as RDFa (`<meta property="og:…">`) is
 * read by the OpenGraph extractor.
 */
import type { AnyNode, Element } from 'domhandler';
import { baseUrl, firstHeading, imageSource, indexPage, textOf } from './dom.ts';
import { compact } from './fields.ts';
import { type ItemMarkup, readItems } from './item-tree.ts';
import {
  Graph,
  isBreadcrumbList,
  isProduct,
  type LdNode,
  pickMainProduct,
  type ReadContext,
  readBreadcrumb,
  readProduct,
  shortName,
} from './schema-org.ts';
import type { ExtractInput, Fields } from './types.ts';

const MAX_ITEMS = 5000;
const MAX_VALUE_LENGTH = 100_000;

function propertyValue(element: Element): string {
  const { attribs, name } = element;
  if (attribs.content != null) return attribs.content;
  if (attribs.resource != null) return attribs.resource;
  if (name === 'img') return imageSource(element) ?? '';
  if ((name === 'a' || name === 'link') && attribs.href) return attribs.href;
  if (name === 'time' && attribs.datetime) return attribs.datetime;
  return textOf(element, MAX_VALUE_LENGTH);
}

const names = (value: string | undefined): string[] =>
  (value ?? '')
    .split(/\s+/)
    .filter((n) => n !== '' && !/^(og|fb|twitter|product|article):/i.test(n))
    .map(shortName);

/** The page's top-level RDFa items (every property a list). */
export function rdfaItems(root: AnyNode | AnyNode[]): LdNode[] {
  return readItems(root, RDFA, MAX_ITEMS);
}

const RDFA: ItemMarkup = {
  properties: (element) => names(element.attribs.property),
  startsItem: (element) => element.attribs.typeof !== undefined,
  newItem(element) {
    const item: LdNode = { '@type': names(element.attribs.typeof) };
    const id = element.attribs.resource ?? element.attribs.about;
    if (id) item['@id'] = id;
    return item;
  },
  value: propertyValue,
  skips: (element) => element.name === 'script' || element.name === 'style',
};

/** Product, offer and breadcrumb from RDFa (typeof/property) markup. */
export function extractRdfa(input: ExtractInput): Fields | null {
  const { document } = input;
  const page = indexPage(document);
  if (page.typeofs.length === 0) return null;
  // Properties outside every item are ignored, so only the outermost items' subtrees are walked.
  const items = rdfaItems(page.typeofs);
  const products: LdNode[] = [];
  const breadcrumbs: LdNode[] = [];
  const queue: LdNode[] = [...items];
  for (let i = 0; i < queue.length && i < MAX_ITEMS; i++) {
    const node = queue[i] as LdNode;
    if (isProduct(node)) products.push(node);
    else if (isBreadcrumbList(node)) breadcrumbs.push(node);
    for (const key of ['mainEntity', 'breadcrumb', 'about'])
      for (const child of (node[key] as unknown[] | undefined) ?? [])
        if (typeof child === 'object' && child !== null) queue.push(child as LdNode);
  }
  if (products.length === 0 && breadcrumbs.length === 0) return null;
  const ctx: ReadContext = { graph: new Graph(), base: baseUrl(document, input.url), pageUrl: input.url };
  const heading = firstHeading(document);
  const product = pickMainProduct(products, heading, ctx);
  const fields: Fields = product ? readProduct(product, ctx) : {};
  for (const list of breadcrumbs) {
    const path = readBreadcrumb(list, ctx, [fields.title, heading]);
    if (path.length > 0) {
      fields.categoryPath = path;
      break;
    }
  }
  return compact(fields);
}
