import { z } from 'zod';
import type { ApiRoute } from '../openapi/registry';
import { referralExporters, referralUpdaters } from './routes';
import { reasonCodeSchema } from '../postponements/reasons';
import { referralAgency, referralOutcome, referralStatus } from './schema';
import { referralExportQuery, referralListQuery, referralParams, referralStatusBodySchema } from './validation';

const bilingual = z.object({ id: z.string(), en: z.string() });

const referralView = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    applicationId: z.uuid(),
    officeCode: z.string(),
    agency: z.enum(referralAgency.enumValues),
    agencyLabel: bilingual,
    agencyDetail: z.string().nullable(),
    indicators: z.array(z.string()),
    reasonCode: reasonCodeSchema,
    details: z.string().nullable(),
    status: z.enum(referralStatus.enumValues),
    outcome: z.enum(referralOutcome.enumValues).nullable(),
    dueDate: z.string(),
    overdue: z.boolean(),
    createdBy: z.string(),
    createdAt: z.string(),
    acknowledgedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    history: z.array(z.object({ status: z.string(), outcome: z.string().nullable(), note: z.string().nullable(), recordedBy: z.string(), recordedAt: z.string() })),
  })
  .meta({ id: 'Referral' });

const tag = 'Referrals to protection';

export const referralApi: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/referrals/summary',
    operationId: 'getReferralSummary',
    tag,
    summary: 'Open and overdue referrals, in total and per office (the supervisor board)',
    success: {
      status: 200,
      description: 'Counts',
      schema: z.object({ open: z.number().int(), overdue: z.number().int(), offices: z.array(z.object({ office: z.string(), open: z.number().int(), overdue: z.number().int() })) }),
    },
  },
  {
    method: 'get',
    path: '/api/v1/referrals/export.csv',
    operationId: 'exportReferralsCsv',
    tag,
    summary:
      "Referrals as CSV with columns named after IOM's Human Trafficking Case Data Standard (cas_, org_, vic_) where it has a field, saring_ otherwise; no personal data unless personalData=true (audited)",
    roles: referralExporters,
    query: referralExportQuery,
    success: { status: 200, description: 'CSV', contentType: 'text/csv' },
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/v1/referrals',
    operationId: 'listReferrals',
    tag,
    summary: 'Referrals, open ones first by due date; filters status (open, sent, acknowledged, closed), overdue, office, agency',
    query: referralListQuery,
    success: { status: 200, description: 'Up to 200 referrals', schema: z.object({ items: z.array(referralView) }) },
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/v1/referrals/:id',
    operationId: 'getReferral',
    tag,
    summary: 'One referral with its history',
    params: referralParams,
    success: { status: 200, description: 'The referral', schema: referralView },
    errors: [404],
  },
  {
    method: 'post',
    path: '/api/v1/referrals/:id/status',
    operationId: 'changeReferralStatus',
    tag,
    summary: 'Record that the agency acknowledged the referral, or close it with its outcome (sent → acknowledged → closed)',
    roles: referralUpdaters,
    params: referralParams,
    body: referralStatusBodySchema,
    example: { status: 'closed', outcome: 'assisted', note: 'BP3MI Banten menampung dan memulangkan ke Karawang.' },
    success: { status: 200, description: 'The referral with its history', schema: referralView },
    errors: [404, 409],
  },
];
