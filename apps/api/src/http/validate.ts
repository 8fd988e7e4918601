/** Parses request parts with zod; a failure becomes a 400 naming each field (see errorHandler). */
import type { z } from 'zod';
import { BadRequestError } from '../errors.js';

export function parse<T extends z.ZodType>(schema: T, value: unknown, what: 'query' | 'body' | 'params'): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new BadRequestError(
    `Invalid request ${what}`,
    r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || what, message: i.message })),
  );
}
