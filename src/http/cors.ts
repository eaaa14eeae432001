import type { RequestHandler } from 'express';
import { HttpError } from './errors';

const allowedMethods = 'GET, POST, PUT, PATCH, DELETE';
const allowedHeaders = 'Authorization, Content-Type, Idempotency-Key, X-Request-Id';
const exposedHeaders = 'X-Request-Id, Retry-After, RateLimit, RateLimit-Policy, Location, Content-Disposition';

/**
 * Cross-origin access, closed by default: only origins on the allow-list (CORS_ALLOWED_ORIGINS) get
 * CORS headers. A preflight from any other origin is refused with 403; other requests from it are
 * served without CORS headers, so a browser will not hand the response to the calling page. (The
 * console is served from the API's own origin and needs no entry.) Tokens travel in the
 * Authorization header, never cookies, so credentials are not allowed.
 */
export function corsPolicy(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins.map((origin) => origin.toLowerCase()));
  return (req, res, next) => {
    const origin = req.get('origin');
    if (!origin) return next();
    res.vary('Origin');
    const isPreflight = req.method === 'OPTIONS' && req.get('access-control-request-method') !== undefined;
    if (!allowed.has(origin.toLowerCase())) {
      if (isPreflight) return next(new HttpError(403, 'CORS_ORIGIN_NOT_ALLOWED', 'This origin may not call the API from a browser'));
      return next();
    }
    res.set('Access-Control-Allow-Origin', origin);
    if (!isPreflight) {
      res.set('Access-Control-Expose-Headers', exposedHeaders);
      return next();
    }
    res.set({
      'Access-Control-Allow-Methods': allowedMethods,
      'Access-Control-Allow-Headers': allowedHeaders,
      'Access-Control-Max-Age': '600',
    });
    res.status(204).end();
  };
}
