import { z } from 'zod';
import type { ApiRoute } from '../openapi/registry';
import { deciders, exportQueryFields, fairnessQueryFields, followUpSchema, idParams, listQueryFields, newPostponementSchema, noticeCodeParams, noticeQuery, reReviewSchema, statsQueryFields } from './routes';
import { postponementReasonCodeSchema } from './reasons';
import { followUpOutcome, postponementKind } from './schema';

const bilingual = z.object({ id: z.string(), en: z.string() });

const followUpView = z
  .object({
    id: z.uuid(),
    outcome: z.enum(followUpOutcome.enumValues),
    outcomeLabel: bilingual,
    note: z.string().nullable(),
    recordedBy: z.string(),
    recordedAt: z.string(),
  })
  .meta({ id: 'PostponementFollowUp' });

const postponementView = z
  .object({
    id: z.uuid(),
    kind: z.enum(postponementKind.enumValues),
    source: z.enum(['review_queue', 'manual']),
    applicationId: z.uuid().nullable(),
    caseId: z.uuid().nullable(),
    officeCode: z.string(),
    destinationCountry: z.string().meta({ description: 'The final destination (the last onward leg, else the ticketed destination)' }),
    viaCountries: z.array(z.string()).meta({ description: 'Countries passed through before the destination, in travel order' }),
    reasonCode: postponementReasonCodeSchema,
    reasonLabel: bilingual.nullable(),
    note: z.string(),
    deadline: z.string().nullable(),
    decidedBy: z.string(),
    decidedAt: z.string(),
    approvedBy: z.string().nullable().meta({ description: 'The second person who approved it (four eyes); null where none did' }),
    approvedAt: z.string().nullable(),
    followUps: z.array(followUpView),
  })
  .meta({ id: 'Postponement' });

const statsView = z
  .object({
    timeZone: z.literal('Asia/Jakarta'),
    groupBy: z.array(z.string()),
    total: z.number().int(),
    syntheticTotal: z.number().int().meta({ description: 'How many of the total are synthetic demo rows (npm run seed:demo)' }),
    outcomes: z
      .object({ lifted: z.number().int(), upheld: z.number().int(), reReviewOpen: z.number().int(), deadlineLapsed: z.number().int() })
      .meta({ description: 'Lifted or upheld on re-review, under re-review now, and deadline passed with no follow-up and no re-review' }),
    groups: z.array(
      z
        .object({
          month: z.string().optional().meta({ description: 'YYYY-MM, an Asia/Jakarta calendar month' }),
          office: z.string().optional(),
          destination: z.string().optional().meta({ description: 'The final destination country' }),
          via: z.string().optional().meta({ description: "Countries passed through before it, comma-separated in travel order ('' when direct)" }),
          reason: z.string().optional(),
          reasonLabel: bilingual.nullable().optional(),
          kind: z.string().optional(),
          approver: z.string().optional().meta({ description: "Approving user's id; empty where no second person approved" }),
          count: z.number().int(),
        })
        .loose(),
    ),
  })
  .meta({ id: 'PostponementStats' });

const decisionRates = z.object({
  group: z.string(),
  applications: z.number().int(),
  engineFlagged: z.number().int(),
  engineFlagRate: z.number(),
  engineFlagRatio: z.number().nullable(),
  reviewed: z.number().int().meta({ description: 'Applications whose case a person decided (not counting re-reviews)' }),
  postponed: z.number().int(),
  postponementRate: z.number().meta({ description: 'postponed / reviewed' }),
  postponementRatio: z.number().nullable().meta({ description: "postponementRate / the office and quarter's rate" }),
  smallSample: z.boolean(),
});
const decisionFairnessView = z
  .object({
    timeZone: z.string(),
    from: z.string(),
    to: z.string(),
    minimumGroupSize: z.number().int(),
    periods: z.array(
      z.object({
        officeCode: z.string(),
        quarter: z.string().meta({ example: '2026-Q4' }),
        overall: decisionRates.omit({ group: true, engineFlagRatio: true, postponementRatio: true }),
        bySex: z.array(decisionRates),
        byAgeBand: z.array(decisionRates),
        byProvince: z.array(decisionRates),
      }),
    ),
  })
  .meta({ id: 'DecisionFairness' });

const tag = 'Postponement log';
const filters = 'Filters: kind, office, destination, reason, from, to, approvedBy, approved; a date-only from/to is an Asia/Jakarta calendar day (both inclusive).';

export const postponementApi: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/postponements/stats',
    operationId: 'getPostponementStats',
    tag,
    summary: `Postponement counts grouped by any of month (Asia/Jakarta), office, destination, reason, kind, approver, with the total. ${filters}`,
    query: statsQueryFields,
    success: { status: 200, description: 'Groups and total, read in one snapshot so they add up', schema: statsView },
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/v1/postponements/fairness',
    operationId: 'getDecisionFairness',
    tag,
    summary:
      'Fairness of human decisions: per office and quarter (Asia/Jakarta), the postponement rate after review by sex, age band and province of origin, beside the engine flag rate of the same applications; groups with fewer than 30 reviewed are marked smallSample. Office-scoped like the statistics.',
    query: fairnessQueryFields,
    success: { status: 200, description: 'One entry per office and quarter', schema: decisionFairnessView },
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/v1/postponements/export.csv',
    operationId: 'exportPostponementsCsv',
    tag,
    summary: `The matching postponements as streamed CSV (UTF-8 with BOM, header row), oldest first. ${filters}`,
    query: exportQueryFields,
    success: { status: 200, description: 'CSV', contentType: 'text/csv' },
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/v1/postponements',
    operationId: 'listPostponements',
    tag,
    summary: `The postponement log, newest first, each record with its follow-ups. ${filters}`,
    query: listQueryFields,
    success: { status: 200, description: 'One page', schema: z.object({ items: z.array(postponementView), nextCursor: z.string().nullable() }) },
    errors: [404],
  },
  {
    method: 'post',
    path: '/api/v1/postponements',
    operationId: 'recordPostponement',
    tag,
    summary: 'Record a postponement decided outside the review queue (same rules as a queue decision)',
    roles: deciders,
    body: newPostponementSchema,
    example: {
      kind: 'departure',
      destinationCountry: 'KH',
      reasonCode: 'nonprocedural_migrant_worker',
      note: 'Keberangkatan ditunda: tidak memiliki ID PMI; silakan melengkapi dokumen penempatan.',
    },
    success: { status: 201, description: 'The recorded postponement', schema: postponementView },
    errors: [409],
  },
  {
    method: 'get',
    path: '/api/v1/postponements/:id',
    operationId: 'getPostponement',
    tag,
    summary: 'One postponement with its follow-ups',
    params: idParams,
    success: { status: 200, description: 'The postponement', schema: postponementView },
    errors: [404],
  },
  {
    method: 'post',
    path: '/api/v1/postponements/:id/follow-ups',
    operationId: 'addPostponementFollowUp',
    tag,
    summary: 'Append what happened next; the postponement itself is never changed',
    roles: deciders,
    params: idParams,
    body: followUpSchema,
    example: { outcome: 'returned_home', note: 'Kembali ke Karawang bersama keluarga.' },
    success: { status: 201, description: 'The follow-up', schema: followUpView },
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/v1/postponements/:id/notice.pdf',
    operationId: 'getPostponementNotice',
    tag,
    summary:
      "The applicant's notice as a PDF (Bahasa Indonesia; English with lang=en): office, date, name and masked document number, the reason in plain words, what the person can do, the deadline, how to ask for a re-review, the office's contact and a verification code",
    params: idParams,
    query: noticeQuery,
    success: { status: 200, description: 'A one- or two-page A4 PDF', contentType: 'application/pdf' },
    errors: [404],
  },
  {
    method: 'post',
    path: '/api/v1/postponements/:id/re-reviews',
    operationId: 'openPostponementReReview',
    tag,
    summary:
      "Open a re-review (the applicant returned with documents, or objects): a case in the office's queue linked to the postponement; deciding it clear lifts the postponement, postpone upholds it, appended as a follow-up",
    roles: deciders,
    params: idParams,
    body: reReviewSchema,
    example: { ground: 'documents_completed', note: 'Kembali dengan ID PMI dan perjanjian kerja.' },
    success: {
      status: 201,
      description: 'The re-review case',
      schema: z.object({ caseId: z.uuid(), postponementId: z.uuid(), officeCode: z.string(), state: z.string(), slaDueAt: z.string() }),
    },
    errors: [404, 409],
  },
  {
    method: 'get',
    path: '/api/v1/notices/:code',
    operationId: 'verifyNotice',
    tag,
    summary:
      'Check that a printed notice is genuine by its verification code: where and when it was issued and whether the postponement is in force, under re-review, lifted or upheld. No personal data; no token needed; rate-limited per address',
    roles: 'public',
    params: noticeCodeParams,
    success: {
      status: 200,
      description: 'The notice is genuine',
      schema: z
        .object({
          genuine: z.literal(true),
          code: z.string().meta({ example: '7K3M-Q9TD-2HXA' }),
          issuedAt: z.string(),
          office: z.object({ code: z.string(), name: z.string() }),
          kind: z.enum(postponementKind.enumValues),
          deadline: z.string().nullable(),
          status: z.enum(['in_force', 're_review_open', 'lifted', 'upheld']),
          statusLabel: bilingual,
        })
        .meta({ id: 'NoticeVerification' }),
    },
    errors: [404, 429],
  },
];
