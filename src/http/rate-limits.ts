import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { HttpError } from './errors';
import { inMemoryCounters, type RateLimitCounters } from './rate-limit-store';

const tooMany: RequestHandler = (_req, _res, next) =>
  next(new HttpError(429, 'RATE_LIMITED', 'Too many requests; wait a moment and try again'));

/**
 * Login attempts are limited per client address and, separately, per username, so neither a
 * single machine nor a distributed guesser can try many passwords against one account.
 */
export function loginRateLimits(perWindow: number, windowMs = 15 * 60_000, counters: RateLimitCounters = inMemoryCounters): RequestHandler[] {
  const shared = { passOnStoreError: true } as const;
  const byAddress = rateLimit({ windowMs, limit: perWindow * 4, standardHeaders: 'draft-8', legacyHeaders: false, handler: tooMany, store: counters.store('login-address'), ...shared });
  const byUsername = rateLimit({
    store: counters.store('login-username'),
    ...shared,
    windowMs,
    limit: perWindow,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: tooMany,
    keyGenerator: (req) => {
      const username = (req.body as { username?: unknown } | undefined)?.username;
      return typeof username === 'string' ? `user:${username.trim().toLowerCase()}` : `ip:${ipKeyGenerator(req.ip ?? '')}`;
    },
  });
  return [byAddress, byUsername];
}

/** A per-caller ceiling on API calls, keyed by the authenticated user. */
export function apiRateLimit(perMinute: number, counters: RateLimitCounters = inMemoryCounters): RequestHandler {
  return rateLimit({
    store: counters.store('api'),
    passOnStoreError: true,
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: tooMany,
    keyGenerator: (req) => (req.principal ? `user:${req.principal.userId}` : `ip:${ipKeyGenerator(req.ip ?? '')}`),
  });
}
