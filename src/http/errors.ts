import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ZodError } from 'zod';

/** The one error body every endpoint returns: `{ error: { code, message, details } }`. */
export interface ErrorBody {
  error: { code: string; message: string; details: unknown };
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, details: unknown = null) =>
  new HttpError(400, 'BAD_REQUEST', message, details);
export const unauthenticated = (message = 'Authentication required') =>
  new HttpError(401, 'UNAUTHENTICATED', message);
export const forbidden = (message = 'Your role may not do this') => new HttpError(403, 'FORBIDDEN', message);
export const notFound = (what = 'Resource') => new HttpError(404, 'NOT_FOUND', `${what} not found`);
export const conflict = (message: string, details: unknown = null) =>
  new HttpError(409, 'CONFLICT', message, details);
export const unprocessable = (message: string, details: unknown = null) =>
  new HttpError(422, 'UNPROCESSABLE', message, details);

export interface FieldProblem {
  path: string;
  message: string;
  code: string;
}

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

export function validationError(error: ZodError, where: 'body' | 'query' | 'params' = 'body'): HttpError {
  const problems = fieldProblems(error);
  const first = problems[0];
  const summary = first ? `${first.path}: ${first.message}` : 'invalid input';
  return new HttpError(400, 'VALIDATION_FAILED', `Invalid request ${where}: ${summary}`, problems);
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'NOT_FOUND', `No route for ${req.method} ${req.path}`));
};

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  expose?: boolean;
}

/** Translates body-parser failures into the error format instead of HTML or a 500. */
function fromBodyParser(err: BodyParserError): HttpError | null {
  switch (err.type) {
    case 'entity.parse.failed':
      return new HttpError(400, 'MALFORMED_JSON', 'Request body is not valid JSON');
    case 'entity.too.large':
      return new HttpError(413, 'PAYLOAD_TOO_LARGE', 'Request body is larger than the limit');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', err.message);
    case 'request.aborted':
      return new HttpError(400, 'REQUEST_ABORTED', 'Request was aborted by the client');
    default:
      // Other client errors from the body reader (a body claiming gzip or br that is not) carry a
      // 4xx status meant for the client: keep it, in the error format, rather than answer 500.
      if (typeof err.status === 'number' && err.status >= 400 && err.status < 500 && err.expose !== false) {
        return new HttpError(err.status, CLIENT_ERROR_CODES[err.status] ?? 'BAD_REQUEST', err.status === 400 ? 'Request body could not be read' : err.message);
      }
      return null;
  }
}

const CLIENT_ERROR_CODES: Record<number, string> = { 400: 'MALFORMED_BODY', 404: 'NOT_FOUND', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' };

/** Postgres error classes that mean "the database is not reachable right now", not "your request is bad". */
const unavailableSqlStates = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004']);

function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string; cause?: unknown };
  if (e?.code && unavailableSqlStates.has(e.code)) return true;
  if (e?.code === 'ECONNREFUSED' || e?.code === 'ECONNRESET') return true;
  if (typeof e?.message === 'string' && /Connection terminated|connection timeout/i.test(e.message)) return true;
  return e?.cause ? isDatabaseUnavailable(e.cause) : false;
}

export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const parsed = fromBodyParser(err as BodyParserError);
  if (parsed) return parsed;
  if (isDatabaseUnavailable(err)) {
    return new HttpError(503, 'SERVICE_UNAVAILABLE', 'The database is unavailable; retry shortly', null, {
      'Retry-After': '5',
    });
  }
  return new HttpError(500, 'INTERNAL', 'Internal server error');
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const httpError = toHttpError(err);
  if (httpError.status >= 500) {
    req.log?.error({ err }, 'request failed');
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.set(httpError.headers);
  const body: ErrorBody = {
    error: { code: httpError.code, message: httpError.message, details: httpError.details },
  };
  res.status(httpError.status).json(body);
};
