import { and, asc, desc, eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { applications, decisions } from '../applications/schema';
import { formatVerificationCode } from '../postponements/notice';
import { postponementFollowUps, postponementNotices, postponements } from '../postponements/schema';
import { referrals } from '../referrals/schema';
import { cases, type CaseRow } from './schema';

export type PriorityReason =
  | { code: 'departs_soon'; departureAt: string; minutesToDeparture: number; text: Bilingual }
  | { code: 'departure_passed'; departureAt: string; minutesSinceDeparture: number; text: Bilingual }
  | { code: 'waiting_since'; openedAt: string; minutesWaiting: number; text: Bilingual };

interface Bilingual {
  id: string;
  en: string;
}

const wholeMinutes = (ms: number) => Math.floor(ms / 60_000);

/** Why a case sits where it does in the queue, in words an officer can act on. */
export function priorityReason(row: CaseRow, now: Date): PriorityReason {
  if (row.kind === 'departure') {
    const minutes = wholeMinutes(row.priorityAt.getTime() - now.getTime());
    const departureAt = row.priorityAt.toISOString();
    if (minutes < 0) {
      const since = -minutes;
      return {
        code: 'departure_passed',
        departureAt,
        minutesSinceDeparture: since,
        text: { id: `Jadwal keberangkatan lewat ${since} menit`, en: `Scheduled departure passed ${since} minutes ago` },
      };
    }
    return {
      code: 'departs_soon',
      departureAt,
      minutesToDeparture: minutes,
      text: { id: `Berangkat dalam ${minutes} menit`, en: `Departs in ${minutes} minutes` },
    };
  }
  const waiting = wholeMinutes(now.getTime() - row.priorityAt.getTime());
  return {
    code: 'waiting_since',
    openedAt: row.priorityAt.toISOString(),
    minutesWaiting: waiting,
    text: { id: `Menunggu sejak ${waiting} menit`, en: `Waiting for ${waiting} minutes` },
  };
}

export function caseView(row: CaseRow, now: Date = new Date()) {
  return { ...row, priorityReason: priorityReason(row, now) };
}

/** The case with what an officer needs to decide it: the application as received and its latest screening hits. */
export async function caseWithApplication(db: Database, row: CaseRow, now: Date = new Date()) {
  const [application] = await db.select().from(applications).where(eq(applications.id, row.applicationId)).limit(1);
  const [latestDecision] = await db
    .select()
    .from(decisions)
    .where(eq(decisions.applicationId, row.applicationId))
    .orderBy(desc(decisions.createdAt), desc(decisions.id))
    .limit(1);
  if (!application) throw new Error(`case ${row.id} has no application`);
  const { idempotencyKey: _key, requestHash: _hash, ...applicationView } = application;
  return {
    ...caseView(row, now),
    application: applicationView,
    latestDecision: latestDecision
      ? {
          id: latestDecision.id,
          outcome: latestDecision.outcome,
          score: latestDecision.score,
          hits: latestDecision.hits,
          ruleSetVersion: latestDecision.ruleSetVersion,
          createdAt: latestDecision.createdAt,
        }
      : null,
  };
}

/**
 * What protection work hangs on a case, for the case page: the postponement it recorded (with its
 * notice's verification code once printed, and its re-reviews) and the referral of a `refer`
 * decision. Both belong to the case's own office, so the caller's scope on the case covers them.
 */
export async function caseProtection(db: Database, row: CaseRow) {
  const [postponement] = await db
    .select({ id: postponements.id, deadline: postponements.deadline, noticeCode: postponementNotices.code, noticeIssuedAt: postponementNotices.issuedAt })
    .from(postponements)
    .leftJoin(postponementNotices, eq(postponementNotices.postponementId, postponements.id))
    // By application first: postponements are indexed on it.
    .where(and(eq(postponements.applicationId, row.applicationId), eq(postponements.caseId, row.id), eq(postponements.officeCode, row.officeCode)))
    .orderBy(desc(postponements.decidedAt))
    .limit(1);
  const reReviews = postponement
    ? await db
        .select({ caseId: cases.id, state: cases.state, action: cases.action, createdAt: cases.createdAt })
        .from(cases)
        .where(and(eq(cases.postponementId, postponement.id), eq(cases.officeCode, row.officeCode)))
        .orderBy(asc(cases.createdAt), asc(cases.id))
    : [];
  const [lifted] = postponement
    ? await db
        .select({ id: postponementFollowUps.id })
        .from(postponementFollowUps)
        .where(and(eq(postponementFollowUps.postponementId, postponement.id), eq(postponementFollowUps.outcome, 'lifted')))
        .limit(1)
    : [];
  const [referral] = await db
    .select({ id: referrals.id, status: referrals.status, agency: referrals.agency, dueDate: referrals.dueDate })
    .from(referrals)
    .where(and(eq(referrals.applicationId, row.applicationId), eq(referrals.caseId, row.id), eq(referrals.officeCode, row.officeCode)))
    .limit(1);
  return {
    postponement: postponement
      ? {
          id: postponement.id,
          deadline: postponement.deadline,
          notice: postponement.noticeCode ? { verificationCode: formatVerificationCode(postponement.noticeCode), issuedAt: postponement.noticeIssuedAt!.toISOString() } : null,
          lifted: lifted !== undefined,
          reReviews: reReviews.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
        }
      : null,
    referral: referral ?? null,
  };
}
