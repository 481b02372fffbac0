import type { AnyNode, Element } from 'domhandler';
import { baseUrl, firstHeading, imageSource, indexPage, textOf } from './dom.ts';
import { compact } from './fields.ts';
import { type ItemMarkup, readItems } from './item-tree.ts';
import {
  asList,
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
  trimBreadcrumb,
  typesOf,
} from './schema-org.ts';
import type { ExtractInput, Fields, ScoredFields } from './types.ts';

const MAX_ITEMS = 5000;
const MAX_VALUE_LENGTH = 100_000;

const URL_ATTRIBUTE: Record<string, string> = {
  a: 'href',
  area: 'href',
  link: 'href',
  img: 'src',
  audio: 'src',
  embed: 'src',
  iframe: 'src',
  source: 'src',
  track: 'src',
  video: 'src',
  object: 'data',
};

/**
 * A property's value per the microdata rules, except that a `content` attribute wins on any
 * element: shops put the machine-readable price there and a formatted one in the text.
 */
function propertyValue(element: Element): string {
  const { attribs, name } = element;
  if (attribs.content != null) return attribs.content;
  if (name === 'img') return imageSource(element) ?? '';
  const urlAttribute = URL_ATTRIBUTE[name];
  if (urlAttribute) return attribs[urlAttribute] ?? '';
  if (name === 'data' || name === 'meter') return attribs.value ?? '';
  if (name === 'time' && attribs.datetime) return attribs.datetime;
  return textOf(element, MAX_VALUE_LENGTH);
}

const MICRODATA: ItemMarkup = {
  properties: (element) => {
    const itemprop = element.attribs.itemprop;
    return itemprop === undefined ? [] : itemprop.split(/\s+/).filter(Boolean);
  },
  startsItem: (element) => element.attribs.itemscope !== undefined,
  newItem,
  value: propertyValue,
};

function newItem(element: Element): LdNode {
  const item: LdNode = {};
  const types = (element.attribs.itemtype ?? '').split(/\s+/).filter(Boolean);
  if (types.length > 0) item['@type'] = types;
  const id =
    element.attribs.itemid ??
    (element.name === 'a' || element.name === 'link' ? element.attribs.href : undefined);
  if (id) item['@id'] = id;
  return item;
}

/**
 * The page's top-level microdata items as JSON-LD-shaped objects (every property a list). An
 * element with itemscope and itemprop is the value of that property of the enclosing item;
 * itemscope without itemprop starts a new top-level item, even when nested.
 */
export function microdataItems(root: AnyNode | AnyNode[]): LdNode[] {
  return readItems(root, MICRODATA, MAX_ITEMS);
}

// Followed from page-level items to the product and breadcrumb, as in JSON-LD.
const CONTAINERS = ['mainEntity', 'breadcrumb', 'about'];

function collect(items: LdNode[]): { products: LdNode[]; breadcrumbs: LdNode[]; oldCrumbs: LdNode[] } {
  const products: LdNode[] = [];
  const breadcrumbs: LdNode[] = [];
  const oldCrumbs: LdNode[] = [];
  const queue: unknown[] = [...items];
  for (let i = 0; i < queue.length && i < MAX_ITEMS; i++) {
    const node = queue[i];
    if (!isNode(node)) continue;
    if (isProduct(node)) products.push(node);
    else if (isBreadcrumbList(node)) breadcrumbs.push(node);
    else if (typesOf(node).includes('Breadcrumb')) oldCrumbs.push(node);
    for (const key of CONTAINERS) for (const child of asList(get(node, key))) queue.push(child);
  }
  return { products, breadcrumbs, oldCrumbs };
}

/** data-vocabulary.org breadcrumbs: one item per crumb, or nested through `child`. */
function oldBreadcrumb(crumbs: LdNode[], ctx: ReadContext, names: (string | undefined)[]): string[] {
  const entries: { name: string; url?: string | undefined }[] = [];
  const queue = [...crumbs];
  for (let i = 0; i < queue.length && entries.length < 100; i++) {
    const crumb = queue[i] as LdNode;
    const name = text(get(crumb, 'title'), 500) ?? text(get(crumb, 'name'), 500);
    if (name) entries.push({ name, url: text(get(crumb, 'url'), 4000) });
    queue.push(...asList(get(crumb, 'child')).filter(isNode));
  }
  return trimBreadcrumb(entries, ctx.pageUrl, names);
}

/** Product, offer and breadcrumb from itemscope/itemprop markup. */
export function extractMicrodata(input: ExtractInput): Fields | null {
  return readMicrodata(input).fields;
}

/** extractMicrodata's fields, scored (an AggregateOffer's range below the variant shown: see scoreProduct). */
export function extractMicrodataScored(input: ExtractInput): ScoredFields | null {
  const { fields, notes } = readMicrodata(input);
  return scoreProduct(fields, 0.88, 0.82, notes);
}

function readMicrodata(input: ExtractInput): { fields: Fields | null; notes: OfferNotes } {
  const none = { fields: null, notes: {} };
  const { document } = input;
  const page = indexPage(document);
  if (!page.hasItemscope) return none;
  // Properties outside every item are ignored, so only the outermost items' subtrees are walked.
  const items = microdataItems(page.itemscopes);
  const { products, breadcrumbs, oldCrumbs } = collect(items);
  if (products.length === 0 && breadcrumbs.length === 0 && oldCrumbs.length === 0) return none;
  const ctx: ReadContext = { graph: new Graph(), base: baseUrl(document, input.url), pageUrl: input.url };
  const heading = firstHeading(document);
  const product = pickMainProduct(products, heading, ctx);
  const notes: OfferNotes = {};
  const fields: Fields = product ? readProduct(product, ctx, notes) : {};
  const names = [fields.title, heading];
  for (const list of breadcrumbs) {
    const path = readBreadcrumb(list, ctx, names);
    if (path.length > 0) {
      fields.categoryPath = path;
      break;
    }
  }
  if (!fields.categoryPath?.length && oldCrumbs.length > 0)
    fields.categoryPath = oldBreadcrumb(oldCrumbs, ctx, names);
  return { fields: compact(fields), notes };
}
