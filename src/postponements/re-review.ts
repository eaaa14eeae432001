import { and, eq, ne } from 'drizzle-orm';
import type { Database, RootDatabase } from '../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { applications } from '../applications/schema';
import { conflict, notFound } from '../errors';
import { offices } from '../offices/schema';
import { cases, type CaseRow } from '../review/schema';
import { reasonLabel } from './reasons';
import { postponementFollowUps, postponements } from './schema';
import type { PostponementContext } from './service';

export const reReviewGrounds = ['documents_completed', 'objection'] as const;
export type ReReviewGround = (typeof reReviewGrounds)[number];

export interface ReReviewInput {
  /** Why it is reconsidered: the applicant came back with the documents, or objects to the decision. */
  ground: ReReviewGround;
  note?: string | undefined;
}

/**
 * Opens a re-review: a case in the postponement's office queue, linked to the postponement, for
 * another officer to lift or uphold it. One re-review is open at a time per postponement.
 */
export async function openReReview(
  db: RootDatabase,
  postponementId: string,
  input: ReReviewInput,
  ctx: PostponementContext & { slaHours: number },
): Promise<CaseRow> {
  return db.transaction(async (tx) => {
    const [target] = await tx
      .select()
      .from(postponements)
      .where(and(eq(postponements.id, postponementId), ctx.scope === null ? undefined : eq(postponements.officeCode, ctx.scope)))
      .for('update')
      .limit(1);
    if (!target) throw notFound('Postponement');
    if (!target.applicationId) {
      throw conflict('This postponement was recorded without an application, so there is nothing to review in the queue; record the outcome as a follow-up');
    }
    const [open] = await tx
      .select({ id: cases.id })
      .from(cases)
      .where(and(eq(cases.postponementId, target.id), ne(cases.state, 'decided')))
      .limit(1);
    if (open) throw conflict('A re-review of this postponement is already open', { caseId: open.id });
    const [lifted] = await tx
      .select({ id: postponementFollowUps.id })
      .from(postponementFollowUps)
      .where(and(eq(postponementFollowUps.postponementId, target.id), eq(postponementFollowUps.outcome, 'lifted')))
      .limit(1);
    if (lifted) throw conflict('This postponement has already been lifted');
    const [application] = await tx
      .select({ kind: applications.kind, outcome: applications.outcome, score: applications.score })
      .from(applications)
      .where(eq(applications.id, target.applicationId))
      .limit(1);
    const [office] = await tx.select({ passportSlaHours: offices.passportSlaHours }).from(offices).where(eq(offices.code, target.officeCode)).limit(1);
    const slaHours = office?.passportSlaHours ?? ctx.slaHours;
    const [opened] = await tx
      .insert(cases)
      .values({
        applicationId: target.applicationId,
        postponementId: target.id,
        kind: application!.kind,
        officeCode: target.officeCode,
        outcome: application!.outcome,
        score: application!.score,
        // The person is at the counter again (or waiting for an answer): first come, first served.
        priorityAt: ctx.now,
        slaDueAt: new Date(ctx.now.getTime() + slaHours * 3_600_000),
        note: null,
        createdAt: ctx.now,
      })
      .returning();
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'case.opened',
      targetType: 'case',
      targetId: opened!.id,
      after: { state: 'open', applicationId: target.applicationId, postponementId: target.id, reReview: true },
      requestId: ctx.requestId,
    });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'postponement.re_review_requested',
      targetType: 'postponement',
      targetId: target.id,
      after: { caseId: opened!.id, ground: input.ground, note: input.note ?? null },
      requestId: ctx.requestId,
    });
    return opened!;
  });
}

/**
 * A re-review's conclusion, appended to the postponement as a follow-up in the transaction of the
 * case decision: `clear` lifts the postponement, `postpone` upholds it. The postponement itself is
 * never changed.
 */
export async function recordReReviewOutcome(
  tx: Database,
  decided: CaseRow,
  actor: Actor & { userId: string },
  requestId: string | null,
  at: Date,
): Promise<void> {
  const outcome = decided.action === 'clear' ? 'lifted' : 'upheld';
  const label = decided.reasonCode ? reasonLabel(decided.reasonCode) : null;
  const note = [label ? `${label.id} / ${label.en}` : decided.reasonCode, decided.note].filter(Boolean).join(' — ');
  const [row] = await tx
    .insert(postponementFollowUps)
    .values({ postponementId: decided.postponementId!, outcome, note, recordedBy: actor.userId, recordedAt: at })
    .returning();
  await recordAudit(tx, {
    actor,
    action: 'postponement.follow_up_recorded',
    targetType: 'postponement',
    targetId: decided.postponementId!,
    after: { followUpId: row!.id, outcome, note, caseId: decided.id },
    requestId,
  });
}
