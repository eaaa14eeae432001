import { Router } from 'express';
import { z } from 'zod';
import type { AppDependencies } from '../deps';
import { principalOf, requireRole } from '../auth/middleware';
import { notFound } from '../http/errors';
import { paginationQuery } from '../http/pagination';
import { parseQuery } from '../http/validate';
import { visibleOffice } from '../offices/scope';
import { listAudit, verifyChain } from './queries';

const timeBound = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .transform((value) => new Date(value));

export const auditListQuery = z
  .strictObject({
    action: z
      .string()
      .trim()
      .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*(\.\*)?$/, 'an action such as case.decided, or a prefix such as case.*')
      .max(100)
      .optional(),
    actor: z.string().trim().min(1).max(100).optional(),
    targetType: z.string().trim().min(1).max(60).optional(),
    targetId: z.string().trim().min(1).max(100).optional(),
    office: z.string().trim().min(1).max(40).optional(),
    from: timeBound.optional(),
    to: timeBound.optional(),
    ...paginationQuery,
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { path: ['to'], message: 'must be after from' });

const auditors = ['supervisor', 'admin'] as const;

/**
 * GET /audit: the trail, newest first, filtered and paged; supervisors and admins outside
 * headquarters see the records written by their office's staff.
 * GET /audit/verify: walks the hash chain and reports the first broken link.
 */
export function auditRoutes(deps: Pick<AppDependencies, 'db'>): Router {
  const { db } = deps;
  const router = Router();

  router.get('/audit', requireRole(...auditors), async (req, res) => {
    const query = parseQuery(auditListQuery, req);
    const scope = await visibleOffice(db, principalOf(req));
    if (scope !== null && query.office !== undefined && query.office !== scope) throw notFound('Office');
    res.json(await listAudit(db, { ...query, office: scope ?? query.office ?? null }));
  });

  router.get('/audit/verify', requireRole(...auditors), async (_req, res) => {
    res.json(await verifyChain(db));
  });

  return router;
}
