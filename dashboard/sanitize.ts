import sanitizeHtml from 'sanitize-html';

/**
 * Descriptions were sanitised at ingestion, but rows written before a rule change (or by
 * another writer) must not become script on our origin, so the allow-list is applied again
 * at render time. No attributes at all: no links, no styles, no event handlers.
 */
export function sanitizeDescription(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: ['p', 'br', 'ul', 'ol', 'li', 'b', 'strong', 'i', 'em'],
    allowedAttributes: {},
    disallowedTagsMode: 'discard',
  });
}
