import sanitizeHtml from 'sanitize-html';
import { truncate } from './text.ts';

export { cleanText, collapseWhitespace, truncate } from './text.ts';

export const MAX_DESCRIPTION = 100_000;
// Sanitising is linear but not free; nothing past this is worth keeping anyway.
const MAX_INPUT = 1_000_000;

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'ul', 'ol', 'li', 'b', 'strong', 'i', 'em'],
  allowedAttributes: {},
  disallowedTagsMode: 'discard',
  // Text inside these is code or UI, never description.
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'noscript',
    'template',
    'iframe',
    'object',
    'svg',
    'head',
    'title',
  ],
};

function sanitise(html: string): string {
  return sanitizeHtml(html, OPTIONS)
    .replace(/[ \t\r\n\f\u00a0]+/g, ' ')
    .replace(/\s*(<br \/>|<\/?(?:p|ul|ol|li)>)\s*/g, '$1')
    .trim();
}

/**
 * Product description as safe HTML: only p, br, ul, ol, li, b, strong, i, em, with no
 * attributes; everything else is reduced to its text. Plain text comes back HTML-escaped.
 */
export function sanitiseDescription(html: string | null | undefined, max = MAX_DESCRIPTION): string {
  if (!html) return '';
  let out = sanitise(truncate(html, MAX_INPUT));
  // Cutting may split a tag or an entity; sanitising the cut text again repairs it, and the
  // closing tags it adds may need another, shorter cut.
  for (let limit = max; out.length > max && limit > 0; limit = Math.floor(limit * 0.9)) {
    out = sanitise(truncate(out, limit).replace(/<[^>]*$|&[#\w]*$/, ''));
  }
  return out.length > max ? '' : out;
}
