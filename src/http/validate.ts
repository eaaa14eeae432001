import type { Request } from 'express';
import type { z } from 'zod';
import { validationError } from './errors';
import { storableInput } from './storable-text';

type Where = 'body' | 'query' | 'params';

/**
 * Parses request input with a zod schema, throwing the standard 400 on failure. Every string of the
 * input (keys included) must first be text PostgreSQL can store (no NUL, no unpaired surrogate): one
 * check at the edge for every endpoint, so the endpoint's schema never sees such text.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where: Where): z.output<S> {
  const storable = storableInput.safeParse(input);
  if (!storable.success) throw validationError(storable.error, where);
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error, where);
  return result.data;
}

export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return parseInput(schema, req.body, 'body');
}

export function parseQuery<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return parseInput(schema, req.query, 'query');
}

export function parseParams<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return parseInput(schema, req.params, 'params');
}
