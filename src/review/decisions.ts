import { eq } from 'drizzle-orm';
import type { RootDatabase, Transaction } from '../db/client';
import { recordAudit } from '../audit/service';
import { applications } from '../applications/schema';
import { badRequest, conflict, forbidden } from '../errors';
import { offices } from '../offices/schema';
import { DEFAULT_DEADLINE_DAYS, recordPostponement } from '../postponements/record';
import { recordReReviewOutcome } from '../postponements/re-review';
import { recordReferral, type ReferralInput } from '../referrals/record';
import { postponementReasonCodes, type ReasonCodeValue } from '../postponements/reasons';
import { hasLiveLease, leaseExpired, lockCase, type ClaimContext } from './claims';
import { cases, type CaseRow } from './schema';

export type CaseAction = 'clear' | 'postpone' | 'refer';

export interface DecisionInput {
  action: CaseAction;
  reasonCode: string;
  note?: string | undefined;
  deadline?: string | undefined;
  /** A `refer` decision's referral; without one the traveller is referred to KP2MI/BP3MI. */
  referral?: ReferralInput | undefined;
}

const decisionSnapshot = (row: CaseRow) => ({
  state: row.state,
  action: row.action,
  reasonCode: row.reasonCode,
  note: row.note,
  postponementDeadline: row.postponementDeadline,
  decidedBy: row.decidedBy,
  claimedBy: row.claimedBy,
});

/** A calendar date (YYYY-MM-DD) as seen in the office's timezone: deadlines are dates the applicant reads locally. */
function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

const addDays = (at: Date, days: number) => new Date(at.getTime() + days * 86_400_000);

async function officeOf(tx: Transaction, code: string) {
  const [office] = await tx.select().from(offices).where(eq(offices.code, code)).limit(1);
  if (!office) throw new Error(`case office ${code} does not exist`);
  return office;
}

function postponementDeadline(input: DecisionInput, now: Date, timeZone: string): string {
  const today = localDate(now, timeZone);
  if (!input.deadline) return localDate(addDays(now, DEFAULT_DEADLINE_DAYS), timeZone);
  if (input.deadline < today) throw badRequest('deadline is in the past', [{ path: 'deadline', message: `must be ${today} or later` }]);
  return input.deadline;
}

/**
 * Records the claimant's decision. Postponements in offices with four-eyes approval wait in
 * `pending_approval`; everything else is final at once, and a final postponement writes its log
 * entry in this same transaction.
 */
export async function decideCase(db: RootDatabase, caseId: string, input: DecisionInput, ctx: ClaimContext): Promise<CaseRow> {
  return db.transaction(async (tx) => {
    const row = await lockCase(tx, caseId, ctx.scope);
    if (row.state === 'decided' || row.state === 'pending_approval') {
      throw conflict('The case has already been decided', { state: row.state, decidedBy: row.decidedBy });
    }
    if (row.state !== 'claimed' || row.claimedBy !== ctx.actor.userId) throw conflict('Only the officer who claimed the case may decide it');
    if (!hasLiveLease(row, ctx.now)) throw leaseExpired(row);

    const office = await officeOf(tx, row.officeCode);
    const isReReview = row.postponementId !== null;
    if (isReReview && input.action === 'refer') {
      throw badRequest('A re-review lifts (clear) or upholds (postpone) the postponement', [{ path: 'action', message: 'must be clear or postpone on a re-review' }]);
    }
    // A re-review upholding a postponement leaves the approved one in force: nothing new to approve.
    const isPostpone = input.action === 'postpone' && !isReReview;
    const awaitsApproval = isPostpone && office.requiresPostponementApproval;
    const [after] = await tx
      .update(cases)
      .set({
        state: awaitsApproval ? 'pending_approval' : 'decided',
        action: input.action,
        reasonCode: input.reasonCode,
        note: input.note ?? null,
        postponementDeadline: isPostpone ? postponementDeadline(input, ctx.now, office.timezone) : null,
        decidedBy: ctx.actor.userId,
        decidedAt: ctx.now,
        leaseExpiresAt: null,
      })
      .where(eq(cases.id, row.id))
      .returning();
    await recordAudit(tx, {
      actor: ctx.actor,
      action: awaitsApproval ? 'case.decision_submitted' : 'case.decided',
      targetType: 'case',
      targetId: row.id,
      before: decisionSnapshot(row),
      after: decisionSnapshot(after!),
      requestId: ctx.requestId,
    });
    if (isPostpone && !awaitsApproval) await logPostponement(tx, after!, ctx);
    if (isReReview) await recordReReviewOutcome(tx, after!, ctx.actor, ctx.requestId, ctx.now);
    if (input.action === 'refer') {
      const referralInput = input.referral ?? { agency: 'kp2mi_bp3mi' as const };
      const today = localDate(ctx.now, office.timezone);
      if (referralInput.dueDate !== undefined && referralInput.dueDate < today) {
        throw badRequest('referral.dueDate is in the past', [{ path: 'referral.dueDate', message: `must be ${today} or later` }]);
      }
      await recordReferral(
        tx,
        { caseId: row.id, applicationId: row.applicationId, officeCode: row.officeCode, reasonCode: input.reasonCode, localToday: today, now: ctx.now },
        referralInput,
        ctx.actor,
        ctx.requestId,
      );
    }
    return after!;
  });
}

function isPostponementReason(code: string | null): code is ReasonCodeValue {
  return code !== null && (postponementReasonCodes as readonly string[]).includes(code);
}

async function logPostponement(tx: Transaction, decided: CaseRow, ctx: ClaimContext): Promise<void> {
  const [application] = await tx
    .select({ destinationCountry: applications.destinationCountry, viaCountries: applications.viaCountries })
    .from(applications)
    .where(eq(applications.id, decided.applicationId))
    .limit(1);
  if (!application) throw new Error(`case ${decided.id} has no application`);
  if (!isPostponementReason(decided.reasonCode)) throw new Error(`case ${decided.id} was postponed with reason ${decided.reasonCode}`);
  await recordPostponement(
    tx,
    {
      kind: decided.kind === 'departure' ? 'departure' : 'passport_issuance',
      applicationId: decided.applicationId,
      caseId: decided.id,
      officeCode: decided.officeCode,
      destinationCountry: application.destinationCountry,
      viaCountries: application.viaCountries,
      reasonCode: decided.reasonCode,
      note: decided.note ?? '',
      deadline: decided.postponementDeadline,
      // The officer who decided owns the postponement; it takes effect when it becomes final.
      decidedBy: decided.decidedBy!,
      decidedAt: ctx.now,
      approvedBy: decided.approvedBy,
      approvedAt: decided.approvedAt,
    },
    ctx.actor,
    ctx.requestId,
  );
}

export interface ApprovalInput {
  approve: boolean;
  note?: string | undefined;
}

/**
 * Settles a postponement waiting for four-eyes approval. Approval makes it final and logs it.
 * Rejection hands the case back to the officer who decided it, claimed with a fresh lease, so the
 * person who knows the case revises it; if they do not, the lease lapses and the case is open to all.
 */
export async function resolveApproval(db: RootDatabase, caseId: string, input: ApprovalInput, ctx: ClaimContext): Promise<CaseRow> {
  return db.transaction(async (tx) => {
    const row = await lockCase(tx, caseId, ctx.scope);
    if (row.state !== 'pending_approval') throw conflict('The case is not waiting for approval', { state: row.state });
    if (row.decidedBy === ctx.actor.userId) throw forbidden('Four-eyes: a decision needs approval by someone other than its author');
    const [after] = await tx
      .update(cases)
      .set(
        input.approve
          ? { state: 'decided', approvedBy: ctx.actor.userId, approvedAt: ctx.now }
          : {
              state: 'claimed',
              claimedBy: row.decidedBy,
              claimedAt: ctx.now,
              leaseExpiresAt: new Date(ctx.now.getTime() + ctx.leaseMinutes * 60_000),
              action: null,
              reasonCode: null,
              note: null,
              postponementDeadline: null,
              decidedBy: null,
              decidedAt: null,
            },
      )
      .where(eq(cases.id, row.id))
      .returning();
    await recordAudit(tx, {
      actor: ctx.actor,
      action: input.approve ? 'case.approval_granted' : 'case.approval_rejected',
      targetType: 'case',
      targetId: row.id,
      before: decisionSnapshot(row),
      after: { ...decisionSnapshot(after!), approvalNote: input.note ?? null },
      requestId: ctx.requestId,
    });
    if (input.approve) await logPostponement(tx, after!, ctx);
    return after!;
  });
}
