import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppDependencies } from '../deps';
import { principalOf, requireRole } from '../auth/middleware';
import { notFound, unprocessable } from '../http/errors';
import { decodeCursor, paginationQuery } from '../http/pagination';
import { parseInput, parseParams, parseQuery } from '../http/validate';
import { officeKindOf, visibleOffice } from '../offices/scope';
import {
  checkConsistency,
  type DepartureCheck,
  departureCheckInputSchema,
  passportApplicationInputSchema,
} from '../screening/application-schema';
import type { Metrics } from '../observability/metrics';
import { idempotencyKeyOf, requestHashOf } from './idempotency';
import { findApplication, listApplications } from './queries';
import { identifiersFor } from '../audit/identifiers';
import { admitSubmission, submitterRoles } from './admission';
import { IntakeService, type Intake } from './service';
import { linkDepartureCheckAudited } from '../manifests';
import { outboxFor } from '../jobs/outbox';
import { clusterAlertJobFor } from '../networks/evidence';

export const listQuerySchema = z.strictObject({
  kind: z.enum(['departure', 'passport']).optional(),
  outcome: z.enum(['CLEAR', 'REVIEW', 'POSTPONE_RECOMMENDED']).optional(),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).transform((v) => new Date(v)).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).transform((v) => new Date(v)).optional(),
  office: z.string().min(1).max(40).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  ...paginationQuery,
});

export const idParams = z.object({ id: z.uuid() });

export function applicationRoutes(deps: AppDependencies, metrics?: Metrics): Router {
  const { db } = deps;
  const router = Router();
  const intake = new IntakeService(deps, (kind, decision) => metrics?.countScreening(kind, decision));

  async function submit(req: Request, kind: Intake['kind']) {
    const schema = kind === 'departure' ? departureCheckInputSchema : passportApplicationInputSchema;
    const data = parseInput(schema, req.body, 'body');
    const problems = checkConsistency(kind, data);
    if (problems.length > 0) throw unprocessable(problems[0]!, problems.map((message) => ({ message })));

    const principal = principalOf(req);
    admitSubmission(principal, await officeKindOf(db, principal), kind);
    const result = await intake.submit({
      intake: { kind, data } as Intake,
      actor: principal,
      requestId: String(req.id),
      idempotencyKey: idempotencyKeyOf(req),
      requestHash: requestHashOf(kind, req.body),
      receivedAt: new Date(),
    });
    if (kind === 'departure' && result.status === 201) {
      // A traveller a carrier's manifest listed: the check is linked to that manifest passenger.
      const { traveller, trip } = data as DepartureCheck;
      await linkDepartureCheckAudited(
        db,
        { applicationId: result.body.id, passportNumber: traveller.passportNumber, officeCode: principal.officeCode, departureAt: new Date(trip.departureAt) },
        principal,
        String(req.id),
      );
    }
    // A cluster grew: hand its alert job (committed with the application) to the runner now.
    if (result.status === 201 && clusterAlertJobFor(result.body.id, result.body.decision.hits)) outboxFor(deps).kick();
    return result;
  }

  router.post('/departure-checks', requireRole(...submitterRoles.departure), async (req, res) => {
    const result = await submit(req, 'departure');
    res.status(result.status).json(result.body);
  });

  router.post('/passport-applications', requireRole(...submitterRoles.passport), async (req, res) => {
    const result = await submit(req, 'passport');
    res.status(result.status).json(result.body);
  });

  router.get('/applications', async (req, res) => {
    const query = parseQuery(listQuerySchema, req);
    const own = await visibleOffice(db, principalOf(req));
    // Callers scoped to one office cannot widen it; national callers may narrow to any office.
    const office = own ?? query.office ?? null;
    if (own && query.office && query.office !== own) {
      res.json({ items: [], nextCursor: null });
      return;
    }
    const page = await listApplications(db, { ...query, office, cursor: decodeCursor(query.cursor) });
    // NIK and passport numbers are masked for roles that do not need them; `q` still matches the exact value.
    res.json({ ...page, items: page.items.map((item) => identifiersFor(principalOf(req).role, item)) });
  });

  router.get('/applications/:id', async (req, res) => {
    const { id } = parseParams(idParams, req);
    const found = await findApplication(db, id, await visibleOffice(db, principalOf(req)));
    if (!found) throw notFound('Application');
    const { application, caseId, caseState, decisions } = found;
    const latest = decisions[0];
    res.json({
      ...application,
      idempotencyKey: undefined,
      requestHash: undefined,
      decision: latest
        ? { outcome: latest.outcome, score: latest.score, hits: latest.hits, ruleSetVersion: latest.ruleSetVersion, ...(latest.suppressed ? { suppressed: latest.suppressed } : {}) }
        : null,
      decisions,
      caseId,
      caseState,
    });
  });

  return router;
}
