import { z } from 'zod';
import { referralIndicatorCodes } from './indicators';
import { referralAgency, referralOutcome, referralStatus } from './schema';

/** The referral part of a `refer` decision. */
export const referralBodySchema = z.strictObject({
  agency: z.enum(referralAgency.enumValues),
  agencyDetail: z.string().trim().min(1).max(200).optional().meta({ description: 'Which unit or embassy, e.g. "BP3MI Banten", "KBRI Phnom Penh"' }),
  indicators: z
    .array(z.enum(referralIndicatorCodes))
    .max(referralIndicatorCodes.length)
    .transform((list) => [...new Set(list)])
    .optional(),
  details: z.string().trim().min(1).max(2000).optional(),
  dueDate: z.iso.date().optional().meta({ description: 'When the agency should have acknowledged it; 7 days by default' }),
});

/** A status change: sent → acknowledged → closed (closing names the outcome). */
export const referralStatusBodySchema = z
  .strictObject({
    status: z.enum(referralStatus.enumValues).exclude(['sent']),
    outcome: z.enum(referralOutcome.enumValues).optional(),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .superRefine((body, issues) => {
    if (body.status === 'closed' && body.outcome === undefined) issues.addIssue({ code: 'custom', path: ['outcome'], message: 'closing a referral names its outcome' });
    if (body.status !== 'closed' && body.outcome !== undefined) issues.addIssue({ code: 'custom', path: ['outcome'], message: 'only a closed referral has an outcome' });
    if (body.outcome === 'other' && body.note === undefined) issues.addIssue({ code: 'custom', path: ['note'], message: 'say what happened when the outcome is other' });
  });

export const referralListQuery = z.strictObject({
  status: z.enum(['open', ...referralStatus.enumValues]).optional().meta({ description: 'open = sent or acknowledged' }),
  overdue: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
  office: z.string().trim().min(1).max(40).optional(),
  agency: z.enum(referralAgency.enumValues).optional(),
});

export const referralExportQuery = referralListQuery.extend({
  personalData: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .meta({ description: "true adds the person's name and birth date (supervisors and admins only; audited)" }),
});

export const referralParams = z.object({ id: z.uuid() });
