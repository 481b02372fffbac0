import type { AnyNode, Element } from 'domhandler';
import { isElement } from './dom.ts';
import type { LdNode } from './schema-org.ts';

/** How a markup vocabulary written into elements (microdata, RDFa) marks items and properties. */
export interface ItemMarkup {
  /** Names of the properties the element gives its value to (itemprop, property); may be empty. */
  properties(element: Element): string[];
  /** Whether the element starts an item (itemscope, typeof). */
  startsItem(element: Element): boolean;
  /** The item an element that starts one stands for, with its type and id. */
  newItem(element: Element): LdNode;
  /** The element's value for its properties. */
  value(element: Element): string;
  /** Subtrees not read at all. */
  skips?(element: Element): boolean;
}

/** Appends `value` to each named property of `item` (every property a list, as in JSON-LD). */
export function addValues(item: LdNode, names: string[], value: unknown): void {
  for (const name of names) {
    const existing = item[name];
    if (existing === undefined) item[name] = [value];
    else (existing as unknown[]).push(value);
  }
}

/**
 * The top-level items under `root`, as JSON-LD-shaped objects. An element that starts an item
 * and names properties is the value of those properties of the enclosing item; one that names
 * none starts a new top-level item, even when nested. Properties outside every item are dropped.
 * An explicit stack, not recursion: hostile pages nest thousands of unclosed tags.
 */
export function readItems(root: AnyNode | AnyNode[], markup: ItemMarkup, maxItems: number): LdNode[] {
  const top: LdNode[] = [];
  let count = 0;
  const roots = Array.isArray(root) ? root : [root];
  const stack: { node: AnyNode; item: LdNode | null }[] = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push({ node: roots[i] as AnyNode, item: null });
  while (stack.length > 0) {
    const { node, item: parent } = stack.pop() as { node: AnyNode; item: LdNode | null };
    let item = parent;
    if (isElement(node)) {
      if (markup.skips?.(node)) continue;
      const names = markup.properties(node);
      if (markup.startsItem(node) && count < maxItems) {
        count++;
        item = markup.newItem(node);
        if (names.length > 0 && parent) addValues(parent, names, item);
        else top.push(item);
      } else if (names.length > 0 && parent) {
        addValues(parent, names, markup.value(node));
      }
    }
    const children = 'children' in node ? node.children : [];
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i] as AnyNode, item });
  }
  return top;
}
