import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Express, Router } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { AppDependencies } from './deps';
import { metricsAccess } from './config';
import { authenticate } from './auth/middleware';
import { accountRoutes, authRoutes } from './auth/routes';
import { officeRoutes } from './offices/routes';
import { noticeVerificationRoutes, postponementRoutes } from './postponements/routes';
import { reviewRoutes } from './review/routes';
import { caseworkRoutes, createAttachmentStore, isAttachmentUpload } from './casework';
import { referralRoutes } from './referrals/routes';
import { applicationRoutes } from './applications/routes';
import { watchlistRoutes } from './watchlists/routes';
import { allowlistRoutes } from './allowlists/routes';
import { linkRoutes } from './links/routes';
import { networkRoutes } from './networks/routes';
import { personRoutes } from './persons/routes';
import { subjectRoutes } from './subjects';
import { batchRoutes } from './batches/routes';
import { webhookRoutes } from './webhooks/routes';
import { rulesetRoutes } from './rulesets/routes';
import { auditRoutes } from './audit/routes';
import { carrierFeedScope, manifestRoutes } from './manifests';
import { TokenService } from './auth/tokens';
import { healthRoutes } from './health/routes';
import { consoleRoutes } from './console/routes';
import { openApiRoutes } from './openapi/routes';
import { errorHandler, notFoundHandler } from './http/errors';
import { corsPolicy } from './http/cors';
import { requestId, requireJsonBody } from './http/middleware';
import { apiRateLimit, loginRateLimits } from './http/rate-limits';
import { Metrics } from './observability/metrics';
import { errorSerializers } from './logger';
import { unauthenticated } from './http/errors';

export type { AppDependencies } from './deps';

/** Compares a presented secret in constant time (by digest, so lengths do not show either). */
const sameSecret = (presented: string, expected: string) =>
  timingSafeEqual(createHash('sha256').update(presented).digest(), createHash('sha256').update(expected).digest());

/** Builds the HTTP application without listening, so tests drive it through supertest. */
export function createApp(deps: AppDependencies): Express {
  const { config, db, jobs, logger } = deps;
  const tokens = new TokenService(config);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = requestId(req);
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Who and where, never what: ids and office codes only.
      customProps: (req) => {
        const principal = (req as { principal?: { userId: string; role: string; officeCode: string } }).principal;
        return principal ? { userId: principal.userId, role: principal.role, office: principal.officeCode } : {};
      },
      // Log the route, never the query string or body: they can carry personal data. Errors go through
      // the logger's own error serializer (pino-http would otherwise put pino's standard one, which
      // copies every property of the error, on its request loggers); unwrapped, each sees the raw value.
      wrapSerializers: false,
      serializers: {
        ...errorSerializers,
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  const metrics = new Metrics();
  metrics.observePool(db.$client);
  metrics.observeReviewQueue(db.$client);
  metrics.observeJobs(jobs, db.$client);
  metrics.observeAuditSealing(db.$client);
  app.use(metrics.httpTimer());
  app.use(helmet());
  app.use(corsPolicy(config.CORS_ALLOWED_ORIGINS));
  app.use(requireJsonBody((path) => path === '/api/v1/batches' || path === '/api/v1/watchlists/import' || path === '/api/v1/subjects/import' || isAttachmentUpload(path) || path === '/api/v1/manifests'));
  app.use(express.json({ limit: config.BODY_LIMIT, strict: true }));

  app.use(healthRoutes(db, jobs));
  app.use(openApiRoutes());
  if (config.METRICS_ENABLED) {
    const access = metricsAccess(config);
    if (access === 'closed') logger.warn('METRICS_TOKEN is not set in production: /metrics answers 401 until it is (or METRICS_PUBLIC=true opens it)');
    app.get('/metrics', async (req, res) => {
      if (access === 'closed') throw unauthenticated('Metrics need METRICS_TOKEN in production (or METRICS_PUBLIC=true); none is configured');
      if (access === 'token' && !sameSecret(req.get('authorization') ?? '', `Bearer ${config.METRICS_TOKEN}`)) throw unauthenticated('Metrics need the scrape token');
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  }

  // A person who opens the bare address wants the console.
  app.get('/', (_req, res) => res.redirect(302, '/console/'));
  app.use('/console', consoleRoutes());

  const api = Router();
  api.use('/auth/login', ...loginRateLimits(config.LOGIN_RATE_LIMIT, undefined, deps.rateLimitCounters));
  api.use('/auth', authRoutes(db, tokens));
  api.use('/notices', noticeVerificationRoutes(deps));
  api.use(authenticate(tokens, db, config.JWT_ISSUER));
  api.use(carrierFeedScope);
  api.use(apiRateLimit(config.API_RATE_LIMIT_PER_MINUTE, deps.rateLimitCounters));
  api.use('/auth/password', ...loginRateLimits(config.LOGIN_RATE_LIMIT, undefined, deps.rateLimitCounters, 'password'));
  api.get('/me', (req, res) => {
    res.json({ principal: req.principal });
  });
  api.use(accountRoutes(db));
  api.use('/offices', officeRoutes(db));
  api.use(applicationRoutes(deps, metrics));
  api.use(batchRoutes(deps));
  api.use(webhookRoutes(deps));
  api.use(reviewRoutes(deps));
  api.use(caseworkRoutes(deps, createAttachmentStore(config)));
  api.use(rulesetRoutes(deps));
  api.use(auditRoutes(deps));
  api.use('/postponements', postponementRoutes(deps));
  api.use('/referrals', referralRoutes(deps));
  api.use('/watchlists', watchlistRoutes(deps));
  api.use('/allowlists', allowlistRoutes(deps));
  api.use('/links', linkRoutes(deps));
  api.use(manifestRoutes(deps, tokens));
  api.use('/networks', networkRoutes(deps));
  api.use(personRoutes(deps));
  api.use('/subjects', subjectRoutes(deps));
  app.use('/api/v1', api);

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
