import type { FC } from 'hono/jsx';
import { usePage } from '../context.ts';

/** The session's CSRF token as a hidden field: every form that changes something includes it. */
export const CsrfField: FC = () => {
  const { csrfToken } = usePage();
  return csrfToken ? <input type="hidden" name="_csrf" value={csrfToken} /> : null;
};
