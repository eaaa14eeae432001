import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Request } from 'express';
import { canonicalJson } from '../canonical-json';
import { badRequest } from '../errors';

const keySchema = z.string().regex(/^[\x21-\x7e]{1,200}$/, 'must be 1-200 visible ASCII characters');

/** The Idempotency-Key header, if the client sent one. */
export function idempotencyKeyOf(req: Request): string | null {
  const raw = req.get('idempotency-key');
  if (raw === undefined) return null;
  const parsed = keySchema.safeParse(raw);
  if (!parsed.success) throw badRequest('Idempotency-Key header is invalid', [{ path: 'Idempotency-Key', message: parsed.error.issues[0]?.message }]);
  return parsed.data;
}

export function requestHashOf(kind: string, body: unknown): string {
  return createHash('sha256').update(kind).update('\0').update(canonicalJson(body)).digest('hex');
}
