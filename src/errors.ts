/**
 * Domain errors: what services, jobs and CLIs throw when a request cannot be honoured. They carry a
 * stable code, a message and details, and know nothing of HTTP; src/http/errors.ts maps each code to
 * its status in one table, and the batch worker and CLIs read the same code and message.
 */
import type { ZodError } from 'zod';

export const domainErrorCodes = [
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'INVALID_CSV_HEADER',
  'MALFORMED_CSV',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'TOO_MANY_ROWS',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNPROCESSABLE',
] as const;
export type DomainErrorCode = (typeof domainErrorCodes)[number];

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** One problem with one field of the input, as the error's details list them. */
export interface FieldProblem {
  path: string;
  message: string;
  code: string;
}

export const badRequest = (message: string, details: unknown = null) => new DomainError('BAD_REQUEST', message, details);
export const unauthenticated = (message = 'Authentication required') => new DomainError('UNAUTHENTICATED', message);
export const forbidden = (message = 'Your role may not do this') => new DomainError('FORBIDDEN', message);
export const notFound = (what = 'Resource') => new DomainError('NOT_FOUND', `${what} not found`);
export const conflict = (message: string, details: unknown = null) => new DomainError('CONFLICT', message, details);
export const unprocessable = (message: string, details: unknown = null) => new DomainError('UNPROCESSABLE', message, details);
/** One field of the input is invalid (the same shape as a schema validation failure). */
export const invalidField = (path: string, message: string, where: 'body' | 'query' = 'body') =>
  new DomainError('VALIDATION_FAILED', `Invalid request ${where}: ${path}: ${message}`, [{ path, message, code: 'custom' }]);

/** Maps zod issues to field paths the client can point at (`trip.returnDate`, `hits.0.ruleId`). */
export function fieldProblems(error: ZodError, prefix?: string): FieldProblem[] {
  return error.issues.map((issue) => {
    const keys = 'keys' in issue && Array.isArray(issue.keys) ? issue.keys : [];
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    // Unknown keys are reported at their own path so the client sees exactly which field to drop.
    const path = keys.length === 1 ? [base, String(keys[0])].filter(Boolean).join('.') : base;
    return { path: path || '(root)', message: issue.message, code: issue.code };
  });
}

