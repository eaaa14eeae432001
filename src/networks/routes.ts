import { Router } from 'express';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDependencies } from '../deps';
import { principalOf, requireRole } from '../auth/middleware';
import { notFound } from '../http/errors';
import { parseBody, parseParams, parseQuery } from '../http/validate';
import { visibleOffice } from '../offices/scope';
import { clusterParams, clusterQuery } from '../links/routes';
import { validFromSchema, validToSchema } from '../watchlists/entries';
import { recordAudit } from '../audit/service';
import { markKnownNetwork, recruiterKeys, watchlistRecruiter } from './known';
import { alertsOf, networkOf, notificationsFor } from './queries';
import { clusterAlerts, notificationResults } from './schema';

export const networkParams = clusterParams;
export const networkQuery = clusterQuery;
export const notificationParams = z.object({ id: z.uuid() });

const text = (max: number) => z.string().trim().min(1).max(max);
export const markKnownBody = z
  .strictObject({
    source: text(200),
    note: text(2000).optional(),
    validFrom: validFromSchema.optional(),
    validTo: validToSchema.optional(),
    withinDays: z.number().int().min(1).max(366).default(90),
  })
  .refine((v) => !v.validFrom || !v.validTo || v.validTo > v.validFrom, { message: 'validTo must be after validFrom', path: ['validTo'] })
  .refine((v) => !v.validTo || v.validTo > new Date(), { message: 'validTo is in the past: the entries would never be in force', path: ['validTo'] });

export const watchlistRecruiterBody = z
  .strictObject({
    keys: z.array(z.enum(recruiterKeys)).min(1).max(recruiterKeys.length).meta({ description: 'Which parties of the application to watchlist; never the traveller' }),
    source: text(200),
    note: text(2000).optional(),
    validFrom: validFromSchema.optional(),
    validTo: validToSchema.optional(),
  })
  .refine((v) => !v.validFrom || !v.validTo || v.validTo > v.validFrom, { message: 'validTo must be after validFrom', path: ['validTo'] })
  .refine((v) => !v.validTo || v.validTo > new Date(), { message: 'validTo is in the past: the entries would never be in force', path: ['validTo'] });

/** Why a member of a grown cluster was not re-opened, in both languages. */
export const notificationReasons = {
  departed: { id: 'Sudah berangkat ketika kelompoknya bertambah; tidak dibuka kembali', en: 'Had already departed when the cluster grew; not re-opened' },
  decided: { id: 'Kasusnya sudah diputuskan petugas; tidak dibuka kembali', en: 'Its case was already decided by an officer; not re-opened' },
} as const;

/** `/networks`: the drawn network around an application, cluster-alert notifications, marking a known network. */
export function networkRoutes(deps: AppDependencies): Router {
  const { db } = deps;
  const router = Router();
  const supervisors = requireRole('supervisor', 'admin');

  router.get('/notifications', supervisors, async (req, res) => {
    const office = await visibleOffice(db, principalOf(req));
    const rows = await notificationsFor(db, office);
    res.json({
      items: rows.map(({ existingCaseId, evidence, ...row }) => ({
        ...row,
        caseId: row.caseId ?? existingCaseId,
        linkedBy: evidence.links.map((link) => link.by),
        reasonText: notificationReasons[row.reason as keyof typeof notificationReasons],
      })),
    });
  });

  router.post('/notifications/:id/acknowledge', supervisors, async (req, res) => {
    const { id } = parseParams(notificationParams, req);
    const principal = principalOf(req);
    const office = await visibleOffice(db, principal);
    const acknowledged = await db.transaction(async (tx) => {
      const [row] = await tx
        .update(clusterAlerts)
        .set({ acknowledgedAt: new Date(), acknowledgedBy: principal.userId })
        .where(and(eq(clusterAlerts.id, id), inArray(clusterAlerts.result, [...notificationResults]), isNull(clusterAlerts.acknowledgedAt), office ? eq(clusterAlerts.officeCode, office) : undefined))
        .returning({ id: clusterAlerts.id, acknowledgedAt: clusterAlerts.acknowledgedAt, memberApplicationId: clusterAlerts.memberApplicationId });
      if (!row) return null;
      await recordAudit(tx, {
        actor: principal,
        action: 'cluster.notification_acknowledged',
        targetType: 'cluster_alert',
        targetId: id,
        after: { applicationId: row.memberApplicationId },
        requestId: String(req.id),
      });
      return row;
    });
    if (!acknowledged) throw notFound('Notification');
    res.json({ id: acknowledged.id, acknowledgedAt: acknowledged.acknowledgedAt });
  });

  router.get('/:applicationId', requireRole('officer', 'passport_officer', 'supervisor', 'admin'), async (req, res) => {
    const { applicationId } = parseParams(networkParams, req);
    const { withinDays } = parseQuery(networkQuery, req);
    const office = await visibleOffice(db, principalOf(req));
    const network = await networkOf(db, applicationId, withinDays, office);
    if (!network) throw notFound('Application');
    res.json({ ...network, alerts: await alertsOf(db, applicationId) });
  });

  router.post('/:applicationId/known', supervisors, async (req, res) => {
    const { applicationId } = parseParams(networkParams, req);
    const body = parseBody(markKnownBody, req);
    const principal = principalOf(req);
    const result = await markKnownNetwork(db, applicationId, body, { actor: principal, requestId: String(req.id), office: await visibleOffice(db, principal) });
    res.status(201).json(result);
  });

  router.post('/:applicationId/recruiter-watchlist', supervisors, async (req, res) => {
    const { applicationId } = parseParams(networkParams, req);
    const body = parseBody(watchlistRecruiterBody, req);
    const principal = principalOf(req);
    const result = await watchlistRecruiter(db, applicationId, { ...body, keys: [...new Set(body.keys)] }, { actor: principal, requestId: String(req.id), office: await visibleOffice(db, principal) });
    res.status(201).json(result);
  });

  return router;
}
