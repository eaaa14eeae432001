import { Router, type Request } from 'express';
import type { AppDependencies } from '../deps';
import { recordAudit } from '../audit/service';
import { principalOf, requireRole } from '../auth/middleware';
import { notFound } from '../http/errors';
import { parseBody, parseParams, parseQuery } from '../http/validate';
import { visibleOffice } from '../offices/scope';
import { writeReferralsCsv } from './export';
import { changeReferralStatus, getReferral, listReferrals, referralSummary } from './service';
import { referralExportQuery, referralListQuery, referralParams, referralStatusBodySchema } from './validation';

export const referralUpdaters = ['officer', 'passport_officer', 'supervisor'] as const;
export const referralExporters = ['supervisor', 'admin'] as const;

/** Referrals to protection: /referrals, /referrals/summary, /referrals/export.csv, /referrals/:id and its status. */
export function referralRoutes(deps: AppDependencies): Router {
  const { db } = deps;
  const router = Router();

  const contextOf = async (req: Request) => {
    const actor = principalOf(req);
    return { actor, scope: await visibleOffice(db, actor), requestId: String(req.id), now: new Date() };
  };
  const officeWithin = (scope: string | null, requested: string | undefined): string | null => {
    if (scope !== null && requested !== undefined && requested !== scope) throw notFound('Office');
    return requested ?? scope;
  };

  router.get('/summary', async (req, res) => {
    const ctx = await contextOf(req);
    res.json(await referralSummary(db, ctx.scope));
  });

  router.get('/export.csv', requireRole(...referralExporters), async (req, res) => {
    const { personalData, ...query } = parseQuery(referralExportQuery, req);
    const ctx = await contextOf(req);
    const filter = { ...query, office: officeWithin(ctx.scope, query.office) };
    if (personalData) {
      await recordAudit(db, {
        actor: ctx.actor,
        action: 'referral.exported_with_personal_data',
        targetType: 'referral',
        targetId: null,
        after: { filter },
        requestId: ctx.requestId,
      });
    }
    await writeReferralsCsv(db, filter, personalData ?? false, res, ctx.now);
  });

  router.get('/', async (req, res) => {
    const query = parseQuery(referralListQuery, req);
    const ctx = await contextOf(req);
    res.json(await listReferrals(db, { ...query, office: officeWithin(ctx.scope, query.office) }, ctx.now));
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseParams(referralParams, req);
    const ctx = await contextOf(req);
    res.json(await getReferral(db, id, ctx.scope, ctx.now));
  });

  router.post('/:id/status', requireRole(...referralUpdaters), async (req, res) => {
    const { id } = parseParams(referralParams, req);
    const body = parseBody(referralStatusBodySchema, req);
    const ctx = await contextOf(req);
    res.json(await changeReferralStatus(db, id, body, ctx));
  });

  return router;
}
