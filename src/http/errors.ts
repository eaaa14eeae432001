import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ZodError } from 'zod';
import { DomainError, fieldProblems, type DomainErrorCode } from '../errors';

// Services throw domain errors (src/errors.ts); the factories are re-exported so routes keep one import.
export { badRequest, conflict, fieldProblems, forbidden, notFound, unauthenticated, unprocessable, type FieldProblem } from '../errors';

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

/** The one place a domain error becomes an HTTP status. */
const statusOf: Readonly<Record<DomainErrorCode, number>> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  INVALID_CSV_HEADER: 400,
  MALFORMED_CSV: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_ROWS: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
};

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
  if (err instanceof DomainError) return new HttpError(statusOf[err.code], err.code, err.message, err.details);
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
