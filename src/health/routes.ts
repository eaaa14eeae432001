import { Router } from 'express';
import { sql } from 'drizzle-orm';
import type { RootDatabase } from '../db/client';
import type { JobRunner } from '../jobs';

async function databaseReachable(db: RootDatabase): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}

/** `/healthz`: the process is up. `/readyz`: it can serve, with each dependency's state. */
export function healthRoutes(db: RootDatabase, jobs: JobRunner): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [database, jobTransport] = await Promise.all([databaseReachable(db), jobs.healthy()]);
    const checks = {
      database: database ? 'ok' : 'unreachable',
      jobs: jobs.kind === 'in-process' ? 'in-process' : jobTransport ? 'ok' : 'unreachable',
    };
    const ready = database && jobTransport;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });
  return router;
}
