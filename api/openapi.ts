import { z } from '@hono/zod-openapi';
import { errorSchema } from './errors.ts';

/** A JSON response of the given schema. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** A required JSON request body of the given schema. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

export const errorResponse = (description: string) => json(errorSchema, description);

/** Dates as ISO strings, Decimals as strings: what JSON.stringify makes of a service's result. */
export function plain<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value));
}

export const isoDate = z.string().describe('ISO 8601 date-time');

export const idParam = z.object({ id: z.uuid() });
