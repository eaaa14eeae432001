import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { HttpError } from './errors';

/** Honours a sane incoming X-Request-Id (from a gateway), otherwise mints one. */
export function requestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
}

const methodsWithBody = new Set(['POST', 'PUT', 'PATCH']);

/** A request that carries a body must say it is JSON, unless the route accepts other types. */
export function requireJsonBody(acceptsOtherTypes: (path: string) => boolean): RequestHandler {
  return (req, _res, next) => {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (!methodsWithBody.has(req.method) || !hasBody || acceptsOtherTypes(req.path)) return next();
    if (!req.is('application/json')) {
      return next(new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json'));
    }
    next();
  };
}
