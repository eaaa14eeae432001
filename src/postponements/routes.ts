import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppDependencies } from '../deps';
import { principalOf, requireRole } from '../auth/middleware';
import { notFound } from '../http/errors';
import { paginationQuery } from '../http/pagination';
import { parseBody, parseParams, parseQuery } from '../http/validate';
import { visibleOffice } from '../offices/scope';
import { streamPostponementsCsv } from './export';
import { decisionFairness } from './fairness';
import { findPostponement, followUpsOf, listPostponements, postponementStats, postponementView, statsDimensions, type PostponementFilter } from './queries';
import { postponementReasonCodes, reasonAllows, reasonCodeSchema, type ReasonCodeValue } from './reasons';
import { followUpOutcome, postponementKind } from './schema';
import { addFollowUp, createPostponement, type PostponementContext } from './service';
import { fromBound, jakartaDateBound, toBound } from './time';
import { noticeFor, normaliseVerificationCode, renderNoticePdf, verifyNotice } from './notice';
import { openReReview, reReviewGrounds } from './re-review';
import { noticeVerificationRateLimit } from '../http/rate-limits';

const countryCode = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code'));


const filterFields = {
  kind: z.enum(postponementKind.enumValues).optional(),
  office: z.string().trim().min(1).max(40).optional(),
  destination: countryCode.optional(),
  reason: z.enum(postponementReasonCodes).optional(),
  from: jakartaDateBound.optional(),
  to: jakartaDateBound.optional(),
  approvedBy: z.string().trim().min(1).max(64).optional().meta({ description: 'Only postponements approved by this user id (four eyes)' }),
  approved: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .meta({ description: 'true: approved by a second person; false: took effect without one' }),
};

/** `from` is inclusive; `to` is exclusive, except that a date-only `to` includes that whole Jakarta day. */
function withBounds<T extends { from?: string | undefined; to?: string | undefined }>(query: T, issues: z.RefinementCtx) {
  const from = query.from === undefined ? undefined : fromBound(query.from);
  const to = query.to === undefined ? undefined : toBound(query.to);
  if (from && to && from.getTime() >= to.getTime()) issues.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
  return { ...query, from, to };
}

export const listQueryFields = z.strictObject({ ...filterFields, ...paginationQuery });
export const exportQueryFields = z.strictObject(filterFields);
const listQuerySchema = listQueryFields.transform(withBounds);
const exportQuerySchema = exportQueryFields.transform(withBounds);

const groupByValue = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value.join(',') : value).split(',').map((part) => part.trim()).filter(Boolean))
  .pipe(z.array(z.enum(statsDimensions, { error: `each groupBy value must be one of ${statsDimensions.join(', ')}` })))
  .transform((dims) => [...new Set(dims)]);

export const statsQueryFields = z.strictObject({
  ...filterFields,
  groupBy: groupByValue.optional().meta({ description: `Comma-separated: any of ${statsDimensions.join(', ')}; none gives the total only`, example: 'month,destination' }),
});
const statsQuerySchema = statsQueryFields.transform(withBounds);

export const fairnessQueryFields = z.strictObject({
  from: jakartaDateBound.optional().meta({ description: 'Applications received from (default: a year before to)' }),
  to: jakartaDateBound.optional().meta({ description: 'Applications received before (default: now)' }),
  office: filterFields.office,
  kind: z.enum(['departure', 'passport']).optional(),
});
const fairnessQuerySchema = fairnessQueryFields.transform((query, issues) => {
  const bounded = withBounds(query, issues);
  const to = bounded.to ?? new Date();
  return { ...bounded, to, from: bounded.from ?? new Date(to.getTime() - 365 * 86_400_000) };
});

export const newPostponementSchema = z
  .strictObject({
    kind: z.enum(postponementKind.enumValues),
    officeCode: z.string().trim().min(1).max(40).optional(),
    applicationId: z.uuid().optional(),
    destinationCountry: countryCode.optional(),
    reasonCode: reasonCodeSchema,
    note: z
      .string({ error: 'a postponement needs the note the applicant is told' })
      .trim()
      .min(1, 'a postponement needs the note the applicant is told')
      .max(2000),
    deadline: z.iso.date().optional(),
    decidedAt: z.iso
      .datetime({ offset: true, error: 'expected an ISO 8601 date-time with an offset' })
      .transform((value) => new Date(value))
      .optional(),
  })
  .superRefine((body, issues) => {
    if (!reasonAllows(body.reasonCode, 'postpone')) {
      issues.addIssue({ code: 'custom', path: ['reasonCode'], message: `reason ${body.reasonCode} may not be used to postpone` });
    }
    if (body.applicationId === undefined && body.destinationCountry === undefined) {
      issues.addIssue({ code: 'custom', path: ['destinationCountry'], message: 'required when no applicationId is given' });
    }
  });

export const followUpSchema = z
  .strictObject({
    outcome: z.enum(followUpOutcome.enumValues),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .refine((body) => body.outcome !== 'other' || body.note !== undefined, { path: ['note'], message: 'say what happened when the outcome is other' });

export const idParams = z.object({ id: z.uuid() });

export const noticeQuery = z.strictObject({
  lang: z.enum(['id', 'en']).default('id').meta({ description: 'Bahasa Indonesia (default) or English' }),
});

export const reReviewSchema = z.strictObject({
  ground: z.enum(reReviewGrounds).meta({ description: 'documents_completed: the applicant came back with the documents; objection: they disagree' }),
  note: z.string().trim().min(1).max(2000).optional(),
});

export const noticeCodeParams = z.object({
  code: z
    .string()
    .max(40)
    .transform((value, issues) => {
      const code = normaliseVerificationCode(value);
      if (!code) issues.addIssue({ code: 'custom', message: 'expected a 12-character verification code, e.g. 7K3M-Q9TD-2HXA' });
      return code ?? '';
    }),
});

/**
 * The public check of a notice's verification code, mounted before authentication: the applicant, a
 * family member, an employer or another agency may check a notice without an account. It shows no
 * personal data, codes carry 60 random bits, and each address may try only a few per minute.
 */
export function noticeVerificationRoutes(deps: AppDependencies): Router {
  const router = Router();
  router.get('/:code', noticeVerificationRateLimit(deps.config.NOTICE_VERIFY_RATE_LIMIT), async (req, res) => {
    const { code } = parseParams(noticeCodeParams, req);
    const notice = await verifyNotice(deps.db, code);
    if (!notice) throw notFound('Notice');
    res.setHeader('Cache-Control', 'no-store');
    res.json(notice);
  });
  return router;
}

export const deciders = ['officer', 'passport_officer', 'supervisor'] as const;

/**
 * Postponement log endpoints: /postponements, /postponements/stats, /postponements/export.csv,
 * /postponements/:id and its follow-ups. Every read is limited to the offices the caller may see.
 */
export function postponementRoutes(deps: AppDependencies): Router {
  const { db } = deps;
  const router = Router();

  const contextOf = async (req: Request): Promise<PostponementContext> => {
    const principal = principalOf(req);
    return { actor: principal, scope: await visibleOffice(db, principal), requestId: String(req.id), now: new Date() };
  };

  /** An office the caller names in a filter must be one they may see; others do not exist for them. */
  const filterWithin = (scope: string | null, query: PostponementFilter): PostponementFilter => {
    if (scope !== null && query.office !== undefined && query.office !== scope) throw notFound('Office');
    return { ...query, office: query.office ?? scope };
  };

  // Fixed paths first, so they are never taken for an id.
  router.get('/stats', async (req, res) => {
    const { groupBy, ...query } = parseQuery(statsQuerySchema, req);
    const ctx = await contextOf(req);
    res.json(await postponementStats(db, filterWithin(ctx.scope, query), groupBy ?? []));
  });

  router.get('/fairness', async (req, res) => {
    const { office, ...query } = parseQuery(fairnessQuerySchema, req);
    const ctx = await contextOf(req);
    const scoped = filterWithin(ctx.scope, { office });
    res.json(await decisionFairness(db, { ...query, office: scoped.office ?? null }));
  });

  router.get('/export.csv', async (req, res) => {
    const query = parseQuery(exportQuerySchema, req);
    const ctx = await contextOf(req);
    await streamPostponementsCsv(db, filterWithin(ctx.scope, query), res, { now: ctx.now, logger: req.log });
  });

  router.get('/', async (req, res) => {
    const { cursor, limit, ...query } = parseQuery(listQuerySchema, req);
    const ctx = await contextOf(req);
    res.json(await listPostponements(db, { ...filterWithin(ctx.scope, query), cursor, limit }));
  });

  router.post('/', requireRole(...deciders), async (req, res) => {
    const body = parseBody(newPostponementSchema, req);
    const ctx = await contextOf(req);
    // The schema has checked that the code is a postponement reason.
    res.status(201).json(await createPostponement(db, { ...body, reasonCode: body.reasonCode as ReasonCodeValue }, ctx));
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseParams(idParams, req);
    const ctx = await contextOf(req);
    const row = await findPostponement(db, id, ctx.scope);
    if (!row) throw notFound('Postponement');
    res.json(postponementView(row, (await followUpsOf(db, [row.id])).get(row.id) ?? []));
  });

  router.get('/:id/notice.pdf', async (req, res) => {
    const { id } = parseParams(idParams, req);
    const { lang } = parseQuery(noticeQuery, req);
    const ctx = await contextOf(req);
    const pdf = await renderNoticePdf(await noticeFor(db, id, ctx.scope, ctx.actor, ctx.requestId), lang);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="pemberitahuan-penundaan-${id.slice(0, 8)}-${lang}.pdf"`);
    res.setHeader('Cache-Control', 'no-store');
    res.send(pdf);
  });

  router.post('/:id/re-reviews', requireRole(...deciders), async (req, res) => {
    const { id } = parseParams(idParams, req);
    const body = parseBody(reReviewSchema, req);
    const ctx = await contextOf(req);
    const opened = await openReReview(db, id, body, { ...ctx, slaHours: deps.config.PASSPORT_SLA_HOURS });
    res.status(201).json({ caseId: opened.id, postponementId: id, officeCode: opened.officeCode, state: opened.state, slaDueAt: opened.slaDueAt.toISOString() });
  });

  router.post('/:id/follow-ups', requireRole(...deciders), async (req, res) => {
    const { id } = parseParams(idParams, req);
    const body = parseBody(followUpSchema, req);
    const ctx = await contextOf(req);
    res.status(201).json(await addFollowUp(db, id, body, ctx));
  });

  return router;
}
