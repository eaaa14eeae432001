import { z } from 'zod';
import type { ApiRoute } from '../openapi/registry';
import { approvalBodySchema, assignBodySchema, caseListQuery, caseParams, decisionBodySchema, queueRunners, reviewers, statsQuery } from './routes';

const caseSchema = z
  .object({ id: z.uuid(), state: z.string(), officeCode: z.string(), outcome: z.string(), slaDueAt: z.string() })
  .loose()
  .meta({ id: 'Case' });

const caseDetailSchema = caseSchema
  .extend({
    postponementId: z.uuid().nullable().meta({ description: 'On a re-review: the postponement this case reconsiders' }),
    postponement: z
      .object({
        id: z.uuid(),
        deadline: z.string().nullable(),
        notice: z.object({ verificationCode: z.string(), issuedAt: z.string() }).nullable().meta({ description: 'Null until the notice is first printed' }),
        lifted: z.boolean(),
        reReviews: z.array(z.object({ caseId: z.uuid(), state: z.string(), action: z.string().nullable(), createdAt: z.string() })),
      })
      .nullable()
      .meta({ description: 'The postponement this case recorded once it became final (GET /postponements/{id}/notice.pdf prints its notice)' }),
    referral: z
      .object({ id: z.uuid(), status: z.string(), agency: z.string(), dueDate: z.string() })
      .nullable()
      .meta({ description: 'The referral of a refer decision (GET /referrals/{id})' }),
  })
  .meta({ id: 'CaseDetail' });

const onCase = (path: string, operationId: string, summary: string, extra: Partial<ApiRoute> = {}): ApiRoute => ({
  method: 'post',
  path: `/api/v1/cases/:id/${path}`,
  operationId,
  tag: 'Review queue',
  summary,
  roles: reviewers,
  params: caseParams,
  success: { status: 200, description: 'The case after the change', schema: caseSchema },
  errors: [404, 409],
  ...extra,
});

export const reviewApi: ApiRoute[] = [
  {
    method: 'post',
    path: '/api/v1/cases/next',
    operationId: 'claimNextCase',
    tag: 'Review queue',
    summary: 'Claim the most urgent open case of your office (a lease; renew it while working)',
    roles: reviewers,
    success: { status: 200, description: 'The claimed case with its application and hits (204 when the queue is empty)', schema: caseSchema },
  },
  {
    method: 'get',
    path: '/api/v1/cases',
    operationId: 'listCases',
    tag: 'Review queue',
    summary: 'List cases by state, office, outcome, kind, escalation and age',
    roles: queueRunners,
    query: caseListQuery,
    success: { status: 200, description: 'One page', schema: z.object({ items: z.array(caseSchema), nextCursor: z.string().nullable() }) },
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/v1/cases/:id',
    operationId: 'getCase',
    tag: 'Review queue',
    summary: 'A case with its application, hits and history, and the postponement or referral it led to',
    params: caseParams,
    success: { status: 200, description: 'The case', schema: caseDetailSchema },
    errors: [404],
  },
  onCase('claim', 'claimCase', 'Claim this case'),
  onCase('release', 'releaseCase', 'Give the case back to the queue', { roles: [...reviewers, 'admin'] }),
  onCase('renew', 'renewCaseClaim', 'Extend your claim'),
  onCase('decision', 'decideCase', 'Decide: clear, postpone (with the note the applicant is told) or refer to the task force', {
    body: decisionBodySchema,
    example: { action: 'postpone', reasonCode: 'nonprocedural_migrant_worker', note: 'Tidak memiliki visa kerja dan ID PMI; silakan melengkapi dokumen.' },
  }),
  onCase('approval', 'approveCasePostponement', 'Approve or reject a postponement awaiting four-eyes approval', {
    roles: queueRunners,
    body: approvalBodySchema,
    example: { approve: true },
  }),
  onCase('assign', 'assignCase', 'Assign the case to an officer', { roles: queueRunners, body: assignBodySchema, example: { userId: '7a1e3f0c-2b5d-4c8e-9f10-0123456789ab' } }),
  {
    method: 'get',
    path: '/api/v1/queue/stats',
    operationId: 'getQueueStats',
    tag: 'Review queue',
    summary: 'Queue counts and ages per office and state, SLA breaches, workload per officer',
    roles: queueRunners,
    query: statsQuery,
    success: { status: 200, description: 'Statistics', schema: z.object({}).loose() },
    errors: [404],
  },
];
