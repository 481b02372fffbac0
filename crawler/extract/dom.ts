import type { AnyNode, Document, Element } from 'domhandler';
import { DecodingMode, decodeHTML } from 'entities';
import { DomHandler, Parser, Tokenizer } from 'htmlparser2';
import { resolveHttpUrl } from '../normalise/url.ts';

/**
 * Parses a page with htmlparser2: several times faster than parse5 and linear on deeply nested
 * pages. Cheerio's `load` is not used here: it defines a class per call, and V8's young-generation
 * collector keeps that class, and through it the whole tree, alive until the next full collection:
 * parsing the dataset's pages took 7.2 ms each that way against 3.9 ms without.
 */
export function parsePage(html: string): Document {
  const handler = new DecodingHandler();
  new Parser(handler, { decodeEntities: false, Tokenizer: SkippingTokenizer }).end(html);
  return handler.root;
}

/** The tokenizer's own fields that `fastForwardTo` reads and moves (private in its types). */
interface TokenizerPosition {
  buffer: string;
  index: number;
  offset: number;
}

const ASCII = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code));

/**
 * htmlparser2's tokenizer, skipping to the next `<`, `>` or quote with the engine's string search
 * instead of a JavaScript loop over characters: scripts, styles and text, the characters it
 * skips, are most of a page. Same contract as the method it replaces (the tree is compared with
 * htmlparser2's own in dom.test.ts, so a version that changes it fails there).
 */
class SkippingTokenizer extends Tokenizer {}
if (typeof (Tokenizer.prototype as unknown as Record<string, unknown>).fastForwardTo === 'function')
  Object.defineProperty(SkippingTokenizer.prototype, 'fastForwardTo', {
    value(this: TokenizerPosition, code: number): boolean {
      const { buffer, offset } = this;
      const found = buffer.indexOf(ASCII[code] ?? String.fromCharCode(code), this.index + 1 - offset);
      if (found >= 0) {
        this.index = found + offset;
        return true;
      }
      // As the original: the parse loop increments the index past the buffer's end.
      this.index = buffer.length + offset - 1;
      return false;
    },
  });

/** Elements whose text htmlparser2 keeps as written even when it decodes entities. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'xmp']);

/**
 * Builds the tree as htmlparser2's own handler does, decoding character references itself, and
 * only in the strings that hold an `&`. Decoding them while tokenizing steps through every
 * character of text and attribute values one state at a time, where without it the tokenizer
 * skips to the next `<` or quote: the same tree (compared node by node on every dataset page) for
 * 17% fewer instructions (callgrind, docs/performance.md). A text arrives in pieces cut at `<`, which never ends a
 * reference early, so decoding each piece decodes the whole.
 */
class DecodingHandler extends DomHandler {
  /** Attributes of the tag being read whose values hold an `&`. */
  private encoded: string[] = [];
  /** Whether an attribute of the tag being read starts as JSON (state held in an attribute). */
  private jsonAttribute = false;
  /** The page index, gathered as elements are made: one walk over the tree less. */
  private readonly index = new IndexBuilder(this.root);

  /** Every tag starts here, implied ones too (`</p>` alone opens a `<p>`). */
  onopentagname(): void {
    this.encoded.length = 0;
    this.jsonAttribute = false;
  }

  onattribute(name: string, value: string): void {
    if (value.includes('&')) this.encoded.push(name);
    const c = value.charCodeAt(0);
    if (c === BRACE || c === BRACKET || (c <= 32 && startsAsJson(value))) this.jsonAttribute = true;
  }

  override onopentag(name: string, attribs: Record<string, string>): void {
    for (const key of this.encoded) {
      const value = attribs[key];
      if (value !== undefined) attribs[key] = decodeHTML(value, DecodingMode.Attribute);
    }
    super.onopentag(name, attribs);
    this.index.note(this.tagStack[this.tagStack.length - 1] as Element, this.jsonAttribute);
  }

  override onend(): void {
    super.onend();
    this.index.finish();
  }

  override ontext(data: string): void {
    if (data.includes('&')) {
      const parent = this.tagStack[this.tagStack.length - 1];
      if (!(parent && isElement(parent) && RAW_TEXT.has(parent.name)))
        data = decodeHTML(data, DecodingMode.Legacy);
    }
    super.ontext(data);
  }
}

// Hostile pages nest thousands of unclosed tags; every walk here uses an explicit stack
// rather than recursion, and stops collecting text past a limit.
const DEFAULT_TEXT_LIMIT = 200_000;
const INVISIBLE = new Set(['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'object', 'head']);
/** Elements whose boundaries separate words in the visible text. */
export const BREAKS = new Set([
  'br',
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'td',
  'th',
  'tr',
  'table',
  'section',
  'article',
  'dd',
  'dt',
  'dl',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'footer',
  'blockquote',
  'option',
  // The rest of HTML's block-level elements: a code at the end of one does not run into the
  // first word of the next ("RH-ESPCL-1000</p></div><details><summary>Beschreibung").
  'address',
  'aside',
  'caption',
  'details',
  'dialog',
  'fieldset',
  'figcaption',
  'figure',
  'form',
  'hgroup',
  'hr',
  'legend',
  'main',
  'menu',
  'nav',
  'pre',
  'summary',
]);

/**
 * Elements drawn as a box of their own inside a line (an icon, an image, a field): the words on
 * either side are apart on screen even with no space between them in the HTML
 * ("1734562</span><a><svg class=star>…4.6" shows the code, stars, then the rating).
 */
export const SPACERS = new Set([
  'svg',
  'img',
  'picture',
  'video',
  'audio',
  'canvas',
  'iframe',
  'object',
  'embed',
  'input',
  'select',
  'textarea',
  'meter',
  'progress',
]);

/** Elements only: domhandler gives <!DOCTYPE> (a ProcessingInstruction) nodeType 1 too. */
export function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

// Shared by every node without children (read only): one array less per text node walked.
const NO_CHILDREN: readonly AnyNode[] = [];

function childrenOf(node: AnyNode): readonly AnyNode[] {
  return 'children' in node ? node.children : NO_CHILDREN;
}

/** Visible text of a node: script and style contents skipped, block boundaries become spaces. */
export function textOf(root: AnyNode, limit = DEFAULT_TEXT_LIMIT): string {
  let out = '';
  const stack: AnyNode[] = [root];
  while (stack.length > 0 && out.length < limit) {
    const node = stack.pop() as AnyNode;
    if (node.nodeType === 3 && 'data' in node) {
      out += node.data;
      continue;
    }
    if (isElement(node)) {
      if (BREAKS.has(node.name) || (node !== root && SPACERS.has(node.name))) out += ' ';
      if (node !== root && INVISIBLE.has(node.name)) continue;
    }
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as AnyNode);
  }
  return out.length > limit ? out.slice(0, limit) : out;
}

/** Raw character data of an element (a script's JSON, for instance). */
export function rawTextOf(node: AnyNode): string {
  let out = '';
  for (const child of childrenOf(node)) if ('data' in child) out += child.data;
  return out;
}

/** Depth-first walk in document order. Return false from `visit` to skip a subtree. */
export function walk(root: AnyNode, visit: (element: Element) => boolean): void {
  const stack: AnyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    if (isElement(node) && visit(node) === false) continue;
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as AnyNode);
  }
}

/** The elements the extractors look at, found in one walk over the page. */
export interface PageIndex {
  root: AnyNode;
  jsonLd: Element[];
  /** Inline scripts other than JSON-LD (application state, analytics data). */
  scripts: Element[];
  metas: Element[];
  links: Element[];
  /** `<a href>` elements, in document order (the page's links to follow). */
  anchors: Element[];
  base: Element | undefined;
  /** The page's main heading: the first `<h1>` outside navigation, sidebars and footers. */
  h1: Element | undefined;
  title: Element | undefined;
  hasItemscope: boolean;
  /** Outermost elements with `itemscope` (microdata items start there), in document order. */
  itemscopes: Element[];
  /** Outermost elements with `typeof` (RDFa items start there), in document order. */
  typeofs: Element[];
  /** Elements with an attribute whose value starts as JSON does (`{` or `[`), at most MAX_JSON_ATTRIBUTED. */
  jsonAttributed: Element[];
}

const MAX_JSON_ATTRIBUTED = 200;
const BRACE = 0x7b;
const BRACKET = 0x5b;

/** Whether an attribute value starts as a JSON object or array (leading white space allowed). */
export function startsAsJson(value: string): boolean {
  let i = 0;
  while (i < value.length && value.charCodeAt(i) <= 32) i++;
  const c = value.charCodeAt(i);
  return c === BRACE || c === BRACKET;
}

const MAX_HEADINGS = 20;

/** Inside page chrome: a nav, aside or footer, or a header that is not part of the content. */
function inChrome(element: Element): boolean {
  let header = false;
  for (let node = element.parent; node; node = node.parent) {
    if (!isElement(node)) continue;
    const name = node.name;
    if (name === 'nav' || name === 'aside' || name === 'footer') return true;
    if (name === 'header') header = true;
    else if (name === 'main' || name === 'article') return false;
  }
  return header;
}

/** Whether an ancestor of `element` is in `marked`. */
function nestedIn(element: Element, marked: Set<Element>): boolean {
  for (let node = element.parent; node; node = node.parent) if (marked.has(node as Element)) return true;
  return false;
}

function outermost(list: Element[]): Element[] {
  if (list.length < 2) return list;
  const marked = new Set(list);
  return list.filter((e) => !nestedIn(e, marked));
}

// CSS queries cost a full walk each (and grow quadratically on deeply nested pages), so the
// fixed lookups share one walk, kept on the document itself. Not in a WeakMap: V8's
// young-generation collector keeps a WeakMap's entries alive, and the index holds the tree, so
// every page's tree survived until the next full collection: extraction took 12.2 to 12.7 ms per
// dataset page that way, against 8.3 to 9.0 with the index on the document.
const INDEX = Symbol('pageIndex');
type IndexedNode = AnyNode & { [INDEX]?: PageIndex };

export function indexPage(root: AnyNode): PageIndex {
  const cached = (root as IndexedNode)[INDEX];
  if (cached) return cached;
  const index = new IndexBuilder(root);
  // The walk of \`walk\`, written out: a callback per element (a call \`walk\` makes for every
  // caller's callback, so never inlined) costs more than the look at each element.
  const stack: AnyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    // Script and style children are text only.
    if (isElement(node) && index.note(node)) continue;
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as AnyNode);
  }
  return index.finish();
}

/** A page index gathered element by element in document order: by a walk, or as the parser builds the tree. */
class IndexBuilder {
  private readonly index: PageIndex;
  private readonly headings: Element[] = [];

  constructor(root: AnyNode) {
    this.index = {
      root,
      jsonLd: [],
      scripts: [],
      metas: [],
      links: [],
      anchors: [],
      base: undefined,
      h1: undefined,
      title: undefined,
      hasItemscope: false,
      itemscopes: [],
      typeofs: [],
      jsonAttributed: [],
    };
  }

  /**
   * Notes one element; true for a script or style, whose text is no element. `jsonAttribute`:
   * whether one of its attributes starts as JSON, when the parser already knows (else looked up).
   */
  note(node: Element, jsonAttribute?: boolean): boolean {
    const { index } = this;
    const { name, attribs } = node;
    if (
      (jsonAttribute ?? Object.values(attribs).some(startsAsJson)) &&
      index.jsonAttributed.length < MAX_JSON_ATTRIBUTED
    )
      index.jsonAttributed.push(node);
    if (attribs.itemscope !== undefined) {
      index.hasItemscope = true;
      index.itemscopes.push(node);
    }
    if (attribs.typeof !== undefined) index.typeofs.push(node);
    if (name === 'script') {
      if (/ld\+json/i.test(attribs.type ?? '')) index.jsonLd.push(node);
      else if (attribs.src === undefined) index.scripts.push(node);
      return true;
    }
    if (name === 'meta') index.metas.push(node);
    else if (name === 'a') {
      if (attribs.href !== undefined) index.anchors.push(node);
    } else if (name === 'link') index.links.push(node);
    else if (name === 'base' && attribs.href !== undefined) index.base ??= node;
    else if (name === 'h1' && this.headings.length < MAX_HEADINGS) this.headings.push(node);
    else if (name === 'title') index.title ??= node;
    else if (name === 'style') return true;
    return false;
  }

  /** The index, once every element is noted (and the tree is whole: the heading's ancestors are read). */
  finish(): PageIndex {
    const { index } = this;
    index.h1 = this.headings.find((h) => !inChrome(h)) ?? this.headings[0];
    index.itemscopes = outermost(index.itemscopes);
    index.typeofs = outermost(index.typeofs);
    (index.root as IndexedNode)[INDEX] = index;
    return index;
  }
}

/** The URL relative links resolve against: `<base href>` when it is usable, else the page URL. */
export function baseUrl(root: AnyNode, url: string): string {
  return resolveHttpUrl(indexPage(root).base?.attribs.href, url) ?? url;
}

/** Text of the first `<h1>`, used to pick the page's main product among several. */
export function firstHeading(root: AnyNode): string | undefined {
  const h1 = indexPage(root).h1;
  return h1 ? textOf(h1, 2000) : undefined;
}

/** Comparable form of a product name. */
export function nameKey(text: string | undefined): string {
  return (text ?? '')
    .replace(/[\s\u200b]+/g, ' ')
    .trim()
    .toLowerCase();
}

/** The image an `<img>` shows, looking past lazy-loading placeholders in `src`. */
export function imageSource(element: Element): string | undefined {
  const { attribs } = element;
  const src = attribs.src?.trim();
  // Lazy-loading pages put a placeholder in src and the real image elsewhere.
  if (src && !src.startsWith('data:')) return src;
  const lazy = attribs['data-src'] ?? attribs['data-lazy-src'] ?? attribs['data-original'];
  if (lazy) return lazy;
  const srcset = attribs.srcset ?? attribs['data-srcset'];
  return srcset?.trim().split(/\s+/)[0] ?? src;
}
