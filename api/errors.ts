import type { Context } from 'hono';
import { z } from 'zod';

export const fieldErrorSchema = z.object({ path: z.string(), message: z.string() });
export const errorSchema = z.object({
  error: z.string(),
  issues: z.array(fieldErrorSchema).optional(),
});

/** Zod issues as `{ path: "startUrls.0", message }`, the shape every 400 answer uses. */
export function fieldErrors(error: z.ZodError): Array<z.infer<typeof fieldErrorSchema>> {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}

export function invalid(c: Context, error: z.ZodError) {
  return c.json({ error: 'invalid input', issues: fieldErrors(error) }, 400);
}
