import { decodeHTML } from 'entities';

const ENTITY = /&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/i;

/**
 * Structured data (JSON-LD, meta content) often carries HTML-escaped text ("Elo&iacute;sa")
 * that the HTML parser never decoded. Decoded as HTML decodes text content, with the same
 * decoder htmlparser2 uses, so markup in the text stays text.
 */
export function decodeEntities(text: string): string {
  if (!ENTITY.test(text)) return text;
  return decodeHTML(text);
}
