import type { Database } from '../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { referralEvents, referrals, type ReferralRow, type referralAgency } from './schema';
import type { ReferralIndicator } from './indicators';

export interface ReferralInput {
  agency: (typeof referralAgency.enumValues)[number];
  agencyDetail?: string | undefined;
  indicators?: ReferralIndicator[] | undefined;
  details?: string | undefined;
  /** When the agency should have answered; DEFAULT_REFERRAL_DUE_DAYS after the decision when omitted. */
  dueDate?: string | undefined;
}

/** Days an agency has to acknowledge a referral unless the officer sets another date. */
export const DEFAULT_REFERRAL_DUE_DAYS = 7;

/**
 * Writes the referral of a `refer` decision and its first history row, inside the decision's
 * transaction. It touches no watchlist: the traveller is a person to protect, not a suspect.
 */
export async function recordReferral(
  tx: Database,
  decided: { caseId: string; applicationId: string; officeCode: string; reasonCode: string; localToday: string; now: Date },
  input: ReferralInput,
  actor: Actor,
  requestId: string | null,
): Promise<ReferralRow> {
  const dueDate = input.dueDate ?? addDays(decided.localToday, DEFAULT_REFERRAL_DUE_DAYS);
  const [row] = await tx
    .insert(referrals)
    .values({
      caseId: decided.caseId,
      applicationId: decided.applicationId,
      officeCode: decided.officeCode,
      agency: input.agency,
      agencyDetail: input.agencyDetail ?? null,
      indicators: input.indicators ?? [],
      reasonCode: decided.reasonCode,
      details: input.details ?? null,
      dueDate,
      createdBy: actor.userId,
      createdAt: decided.now,
    })
    .returning();
  await tx.insert(referralEvents).values({ referralId: row!.id, status: 'sent', recordedBy: actor.userId, recordedAt: decided.now });
  await recordAudit(tx, {
    actor,
    action: 'referral.sent',
    targetType: 'referral',
    targetId: row!.id,
    after: { caseId: decided.caseId, agency: row!.agency, indicators: row!.indicators, dueDate },
    requestId,
  });
  return row!;
}

const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
