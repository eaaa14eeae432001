import express, { type Express, Router } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Config } from './config';
import type { RootDatabase } from './db/client';
import type { JobRunner } from './jobs';
import type { Logger } from './logger';
import { authenticate } from './auth/middleware';
import { accountRoutes, authRoutes } from './auth/routes';
import { officeRoutes } from './offices/routes';
import { postponementRoutes } from './postponements/routes';
import { reviewRoutes } from './review/routes';
import { TokenService } from './auth/tokens';
import { healthRoutes } from './health/routes';
import { errorHandler, notFoundHandler } from './http/errors';
import { requestId, requireJsonBody } from './http/middleware';

export interface AppDependencies {
  config: Config;
  db: RootDatabase;
  jobs: JobRunner;
  logger: Logger;
}

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
      // Log the route, never the query string or body: they can carry personal data.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  app.use(helmet());
  app.use(requireJsonBody(() => false));
  app.use(express.json({ limit: config.BODY_LIMIT, strict: true }));

  app.use(healthRoutes(db, jobs));

  const api = Router();
  api.use('/auth', authRoutes(db, tokens));
  api.use(authenticate(tokens, db, config.JWT_ISSUER));
  api.get('/me', (req, res) => {
    res.json({ principal: req.principal });
  });
  api.use(accountRoutes(db));
  api.use('/offices', officeRoutes(db));
  api.use(reviewRoutes(deps));
  api.use('/postponements', postponementRoutes(deps));
  app.use('/api/v1', api);

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
