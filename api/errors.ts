import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, ForbiddenError, RateLimitedError, ValidationError } from '../core/errors.ts';

export const fieldErrorSchema = z.object({ path: z.string(), message: z.string() });
export const errorSchema = z
  .object({
    error: z.string().describe('what went wrong, in words'),
    code: z.string().optional().describe('stable machine-readable kind of error'),
    issues: z.array(fieldErrorSchema).optional().describe('the failing fields of a 400'),
    permission: z.string().optional().describe('the permission a 403 needed'),
    field: z.string().optional().describe('the part of the input a 403 refers to'),
  })
  .openapi('Error');

export type ErrorBody = z.infer<typeof errorSchema>;

/** Zod issues as `{ path: "startUrls.0", message }`, the shape every 400 answer uses. */
export function fieldErrors(error: z.ZodError): Array<z.infer<typeof fieldErrorSchema>> {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}

export function invalid(c: Context, error: z.ZodError) {
  return c.json({ error: 'invalid input', code: 'invalid_input', issues: fieldErrors(error) }, 400);
}

/** Hook for OpenAPIHono: request validation failures answer like every other 400. */
export const validationHook = (result: { success: boolean; error?: unknown }, c: Context) => {
  if (!result.success) return invalid(c, result.error as z.ZodError);
};

/**
 * The one mapping from errors to HTTP: domain errors carry their status, zod errors are 400s
 * with the failing fields, HTTPExceptions keep theirs; anything else is a 500 that says nothing
 * more (the log has the details).
 */
export function errorResponse(error: unknown): {
  status: ContentfulStatusCode;
  body: ErrorBody;
  headers?: Record<string, string>;
} {
  if (error instanceof z.ZodError)
    return {
      status: 400,
      body: { error: 'invalid input', code: 'invalid_input', issues: fieldErrors(error) },
    };
  if (error instanceof DomainError) {
    const body: ErrorBody = { error: error.message, code: error.code };
    if (error instanceof ValidationError && error.issues.length > 0) body.issues = error.issues;
    if (error instanceof ForbiddenError) {
      if (error.permission) body.permission = error.permission;
      if (error.field) body.field = error.field;
    }
    if (error instanceof RateLimitedError)
      return { status: 429, body, headers: { 'retry-after': String(error.retryAfterSeconds) } };
    return { status: error.status, body };
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    const message = status === 413 ? 'the request body is too large' : error.message || 'request refused';
    return { status, body: { error: message, code: status === 413 ? 'too_large' : 'http_error' } };
  }
  return { status: 500, body: { error: 'internal error', code: 'internal' } };
}
