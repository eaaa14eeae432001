import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { HttpError } from './errors';
import { inMemoryCounters, type RateLimitCounters } from './rate-limit-store';

const tooMany: RequestHandler = (_req, _res, next) =>
  next(new HttpError(429, 'RATE_LIMITED', 'Too many requests; wait a moment and try again'));

const jakartaTime = (at: Date) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Jakarta', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at).replace(':', '.');

/**
 * The refusal of a sign-in after too many failures: when to try again, as seconds, a moment and in
 * words in both languages.
 */
const tooManyFailures: RequestHandler = (req, res, next) => {
  const resetTime = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime ?? new Date(Date.now() + 15 * 60_000);
  const seconds = Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000));
  const minutes = Math.ceil(seconds / 60);
  const at = jakartaTime(resetTime);
  res.set('Retry-After', String(seconds));
  next(
    new HttpError(
      429,
      'RATE_LIMITED',
      `Too many failed sign-in attempts; try again in ${minutes} minute(s), after ${at} WIB`,
      {
        retryAfterSeconds: seconds,
        retryAt: resetTime.toISOString(),
        message: {
          id: `Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam ${minutes} menit, setelah pukul ${at} WIB.`,
          en: `Too many failed sign-in attempts. Try again in ${minutes} minute(s), after ${at} WIB.`,
        },
      },
      { 'Retry-After': String(seconds) },
    ),
  );
};

/**
 * Failed sign-ins are limited per client address and, separately, per username, so neither a
 * single machine nor a distributed guesser can try many passwords against one account. Successful
 * sign-ins do not count: a shift of officers signing in at one counter is never locked out.
 * The same limits guard a password change (`limiter: 'password'`, counted apart, per signed-in user),
 * where the current password is checked: a stolen token must not become a password oracle.
 */
export function loginRateLimits(perWindow: number, windowMs = 15 * 60_000, counters: RateLimitCounters = inMemoryCounters, limiter: 'login' | 'password' = 'login'): RequestHandler[] {
  const shared = { passOnStoreError: true } as const;
  const byAddress = rateLimit({ windowMs, limit: perWindow * 4, standardHeaders: 'draft-8', legacyHeaders: false, skipSuccessfulRequests: true, handler: tooManyFailures, store: counters.store(`${limiter}-address`), ...shared });
  const byUsername = rateLimit({
    store: counters.store(`${limiter}-username`),
    ...shared,
    windowMs,
    limit: perWindow,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    handler: tooManyFailures,
    keyGenerator: (req) => {
      // A password change is made signed in: the account is the caller's, whatever the body says.
      if (req.principal) return `user-id:${req.principal.userId}`;
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

/**
 * The public notice check, per client address: enough for a person checking a notice or two, far
 * too few to walk a 60-bit code space.
 */
export function noticeVerificationRateLimit(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: tooMany,
    keyGenerator: (req) => `notice:${ipKeyGenerator(req.ip ?? '')}`,
  });
}
