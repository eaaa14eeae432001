import { prescreenOfApplication } from '../manifests';
import { Router, type Request } from 'express';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDependencies } from '../deps';
import { principalOf, requireRole } from '../auth/middleware';
import { forbidden, notFound } from '../http/errors';
import { paginationQuery } from '../http/pagination';
import { parseBody, parseParams, parseQuery } from '../http/validate';
import { visibleOffice } from '../offices/scope';
import { reasonAllows, reasonCodeSchema } from '../postponements/reasons';
import { assignCase, claimCase, claimNextCase, releaseCase, renewLease, type ClaimContext } from './claims';
import { decideCase, resolveApproval } from './decisions';
import { caseHistory, listCases, queueStats } from './queries';
import { caseState, cases } from './schema';
import { caseProtection, caseView, caseWithApplication } from './view';
import { referralBodySchema } from '../referrals/validation';

export const caseParams = z.object({ id: z.uuid() });

const optionalNote = z.string().trim().max(2000).optional();

export const decisionBodySchema = z
  .strictObject({
    action: z.enum(['clear', 'postpone', 'refer']),
    reasonCode: reasonCodeSchema,
    note: optionalNote,
    deadline: z.iso.date().optional(),
    referral: referralBodySchema.optional(),
  })
  .superRefine((body, issues) => {
    if (!reasonAllows(body.reasonCode, body.action)) {
      issues.addIssue({ code: 'custom', path: ['reasonCode'], message: `reason ${body.reasonCode} may not be used to ${body.action}` });
    }
    if (body.action === 'postpone' && !body.note) {
      issues.addIssue({ code: 'custom', path: ['note'], message: 'a postponement needs the note the applicant is told' });
    }
    if (body.action !== 'refer' && body.referral !== undefined) {
      issues.addIssue({ code: 'custom', path: ['referral'], message: 'only a referral decision has a referral' });
    }
    if (body.action !== 'postpone' && body.deadline !== undefined) {
      issues.addIssue({ code: 'custom', path: ['deadline'], message: 'only a postponement has a deadline' });
    }
  });

export const approvalBodySchema = z
  .strictObject({ approve: z.boolean(), note: optionalNote })
  .refine((body) => body.approve || !!body.note, { path: ['note'], message: 'say why the postponement is rejected' });

export const assignBodySchema = z.strictObject({ userId: z.uuid() });

export const caseListQuery = z.strictObject({
  state: z.enum(caseState.enumValues).optional(),
  office: z.string().min(1).max(40).optional(),
  outcome: z.enum(['REVIEW', 'POSTPONE_RECOMMENDED']).optional(),
  kind: z.enum(['departure', 'passport']).optional(),
  escalated: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
  olderThanMinutes: z.coerce.number().int().min(0).max(366 * 24 * 60).optional(),
  ...paginationQuery,
});

export const statsQuery = z.strictObject({ office: z.string().min(1).max(40).optional() });

export const reviewers = ['officer', 'passport_officer', 'supervisor'] as const;
export const queueRunners = ['supervisor', 'admin'] as const;

/** Review queue endpoints: /cases/* and /queue/stats. */
export function reviewRoutes(deps: AppDependencies): Router {
  const { db, config } = deps;
  const router = Router();

  const contextOf = async (req: Request): Promise<ClaimContext> => {
    const principal = principalOf(req);
    return {
      actor: principal,
      scope: await visibleOffice(db, principal),
      leaseMinutes: config.CASE_LEASE_MINUTES,
      requestId: String(req.id),
      now: new Date(),
    };
  };

  /** An office the caller names in a filter must be one they may see; others do not exist for them. */
  const officeWithin = (scope: string | null, requested: string | undefined): string | null => {
    if (scope !== null && requested !== undefined && requested !== scope) throw notFound('Office');
    return requested ?? scope;
  };

  const caseIdOf = (req: Request) => parseParams(caseParams, req).id;

  router.post('/cases/next', requireRole(...reviewers), async (req, res) => {
    const ctx = await contextOf(req);
    const claimed = await claimNextCase(db, ctx);
    if (!claimed) {
      res.status(204).end();
      return;
    }
    res.json(await caseWithApplication(db, claimed, ctx.now));
  });

  router.get('/cases', requireRole(...queueRunners), async (req, res) => {
    const query = parseQuery(caseListQuery, req);
    const ctx = await contextOf(req);
    const page = await listCases(db, { ...query, office: officeWithin(ctx.scope, query.office) ?? undefined }, ctx.now);
    res.json({ items: page.items.map((row) => caseView(row, ctx.now)), nextCursor: page.nextCursor });
  });

  router.get('/cases/:id', async (req, res) => {
    const id = caseIdOf(req);
    const ctx = await contextOf(req);
    const [row] = await db
      .select()
      .from(cases)
      .where(and(eq(cases.id, id), ctx.scope === null ? undefined : eq(cases.officeCode, ctx.scope)))
      .limit(1);
    if (!row) throw notFound('Case');
    res.json({
      ...(await caseWithApplication(db, row, ctx.now)),
      history: await caseHistory(db, row.id),
      manifestPrescreen: await prescreenOfApplication(db, row.applicationId),
      ...(await caseProtection(db, row)),
    });
  });

  router.post('/cases/:id/claim', requireRole(...reviewers), async (req, res) => {
    const id = caseIdOf(req);
    const ctx = await contextOf(req);
    res.json(await caseWithApplication(db, await claimCase(db, id, ctx), ctx.now));
  });

  router.post('/cases/:id/release', requireRole(...reviewers, 'admin'), async (req, res) => {
    const id = caseIdOf(req);
    const ctx = await contextOf(req);
    const runsQueue = (queueRunners as readonly string[]).includes(ctx.actor.role);
    res.json(caseView(await releaseCase(db, id, ctx, runsQueue), ctx.now));
  });

  router.post('/cases/:id/renew', requireRole(...reviewers), async (req, res) => {
    const id = caseIdOf(req);
    const ctx = await contextOf(req);
    res.json(caseView(await renewLease(db, id, ctx), ctx.now));
  });

  router.post('/cases/:id/decision', requireRole(...reviewers), async (req, res) => {
    const id = caseIdOf(req);
    const body = parseBody(decisionBodySchema, req);
    const ctx = await contextOf(req);
    res.json(caseView(await decideCase(db, id, body, ctx), ctx.now));
  });

  router.post('/cases/:id/approval', requireRole(...queueRunners), async (req, res) => {
    const id = caseIdOf(req);
    const body = parseBody(approvalBodySchema, req);
    const ctx = await contextOf(req);
    // Admins approve only nationally; in an office, approval is a supervisor's call.
    if (ctx.actor.role === 'admin' && ctx.scope !== null) throw forbidden('Only supervisors, or headquarters admins, approve postponements');
    res.json(caseView(await resolveApproval(db, id, body, ctx), ctx.now));
  });

  router.post('/cases/:id/assign', requireRole(...queueRunners), async (req, res) => {
    const id = caseIdOf(req);
    const { userId } = parseBody(assignBodySchema, req);
    const ctx = await contextOf(req);
    res.json(caseView(await assignCase(db, id, userId, ctx), ctx.now));
  });

  router.get('/queue/stats', requireRole(...queueRunners), async (req, res) => {
    const { office } = parseQuery(statsQuery, req);
    const ctx = await contextOf(req);
    res.json(await queueStats(db, officeWithin(ctx.scope, office), ctx.now));
  });

  return router;
}
