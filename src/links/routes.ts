import { Router } from 'express';
import { z } from 'zod';
import type { AppDependencies } from '../deps';
import { principalOf, requireRole } from '../auth/middleware';
import { notFound } from '../http/errors';
import { parseParams, parseQuery } from '../http/validate';
import { visibleOffice } from '../offices/scope';
import { clusterOf } from './queries';

export const clusterParams = z.object({ applicationId: z.uuid() });
export const clusterQuery = z.strictObject({ withinDays: z.coerce.number().int().min(1).max(366).default(90) });

/** `/links/:applicationId`: the network around an application, for the officer deciding on it. */
export function linkRoutes(deps: AppDependencies): Router {
  const { db } = deps;
  const router = Router();

  router.get('/:applicationId', requireRole('officer', 'passport_officer', 'supervisor', 'admin'), async (req, res) => {
    const { applicationId } = parseParams(clusterParams, req);
    const { withinDays } = parseQuery(clusterQuery, req);
    const office = await visibleOffice(db, principalOf(req));
    const cluster = await clusterOf(db, applicationId, withinDays);
    if (!cluster || (office !== null && cluster.application.officeCode !== office)) throw notFound('Application');
    // Callers scoped to one office see that office's linked applications; elsewhere only how many, per office.
    const visible = office === null ? cluster.members : cluster.members.filter((m) => m.officeCode === office);
    const elsewhere = new Map<string, number>();
    for (const m of cluster.members) if (office !== null && m.officeCode !== office) elsewhere.set(m.officeCode, (elsewhere.get(m.officeCode) ?? 0) + 1);
    res.json({
      application: cluster.application,
      keys: cluster.keys,
      withinDays: cluster.withinDays,
      items: visible,
      otherOffices: [...elsewhere].sort(([a], [b]) => (a < b ? -1 : 1)).map(([officeCode, count]) => ({ officeCode, count })),
      truncated: cluster.truncated,
    });
  });

  return router;
}
