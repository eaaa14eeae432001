/**
 * A person's record across offices: every application under the person's key (applications.person_key,
 * newest first), what became of each (decision of its case, postponement), and the decisions made on
 * the ones the caller may see. Read through applications_person_key_idx.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { applications, decisions } from '../applications/schema';
import type { RootDatabase } from '../db/client';
import { postponements } from '../postponements/schema';
import { cases } from '../review/schema';
import type { HistoryRecordKind } from '../screening/subject';
import { persons } from './schema';

/** The most applications one person view lists. */
export const PERSON_APPLICATIONS_LIMIT = 200;

export interface PersonRef {
  id: string;
  key: string;
}

export async function personById(db: RootDatabase, id: string): Promise<PersonRef | null> {
  const [row] = await db.select({ id: persons.id, key: persons.key }).from(persons).where(eq(persons.id, id)).limit(1);
  return row ?? null;
}

/** The person an application is about, with the office it was received at; null when there is no such application. */
export async function personOfApplication(db: RootDatabase, applicationId: string): Promise<(PersonRef & { officeCode: string }) | null> {
  const [row] = await db
    .select({ id: persons.id, key: persons.key, officeCode: applications.officeCode })
    .from(applications)
    .innerJoin(persons, eq(persons.key, applications.personKey))
    .where(eq(applications.id, applicationId))
    .limit(1);
  return row ?? null;
}

/** One line of the person's history: an application, or what an officer decided on one. */
export interface PersonRecord {
  of: HistoryRecordKind;
  officeCode: string;
  at: Date;
  kind: 'departure' | 'passport';
  /** The screening outcome (applications) or the officer's action. */
  outcome: string;
  reasonCode: string | null;
  /** Null when the caller may not open it (another office's application). */
  applicationId: string | null;
}

export interface PersonApplication {
  id: string;
  kind: 'departure' | 'passport';
  officeCode: string;
  submittedAt: Date;
  outcome: string;
  score: number;
  caseId: string | null;
  caseState: string | null;
  decisions: Array<{ id: string; outcome: string; score: number; ruleSetVersion: string; trigger: string; createdAt: Date }>;
}

export interface PersonHistory {
  /** What the person key is made of: a NIK, a passport number, or a name with a date of birth. */
  keyKind: 'nik' | 'passport' | 'nameDob';
  fullName: string;
  dateOfBirth: string;
  officeCodes: string[];
  records: PersonRecord[];
  applications: PersonApplication[];
  truncated: boolean;
}

/**
 * The person's history as `office` may see it (null: every office): the timeline of every office
 * (office, date, outcome, reason code), application ids and decisions only of the caller's office.
 */
export async function personHistory(db: RootDatabase, key: string, office: string | null): Promise<PersonHistory | null> {
  const rows = await db
    .select({
      id: applications.id,
      kind: applications.kind,
      officeCode: applications.officeCode,
      submittedAt: applications.submittedAt,
      outcome: applications.outcome,
      score: applications.score,
      fullName: applications.fullName,
      dateOfBirth: applications.dateOfBirth,
      caseId: cases.id,
      caseState: cases.state,
      caseAction: cases.action,
      caseReason: cases.reasonCode,
      caseDecidedAt: sql<Date | null>`coalesce(${cases.approvedAt}, ${cases.decidedAt})`.mapWith(cases.decidedAt),
    })
    .from(applications)
    .leftJoin(cases, eq(cases.applicationId, applications.id))
    .where(eq(applications.personKey, key))
    .orderBy(desc(applications.submittedAt), desc(applications.id))
    .limit(PERSON_APPLICATIONS_LIMIT + 1);
  if (rows.length === 0) return null;
  const truncated = rows.length > PERSON_APPLICATIONS_LIMIT;
  const listed = rows.slice(0, PERSON_APPLICATIONS_LIMIT);
  const ids = listed.map((r) => r.id);
  const postponed = await db
    .select({ id: postponements.id, applicationId: postponements.applicationId, officeCode: postponements.officeCode, decidedAt: postponements.decidedAt, reasonCode: postponements.reasonCode })
    .from(postponements)
    .where(inArray(postponements.applicationId, ids));
  const visible = (officeCode: string) => office === null || officeCode === office;
  const kindOf = new Map(listed.map((r) => [r.id, r.kind]));
  const records: PersonRecord[] = [];
  for (const r of listed) {
    const shownId = visible(r.officeCode) ? r.id : null;
    records.push({ of: 'application', officeCode: r.officeCode, at: r.submittedAt, kind: r.kind, outcome: r.outcome, reasonCode: null, applicationId: shownId });
    if (r.caseState === 'decided' && (r.caseAction === 'clear' || r.caseAction === 'refer') && r.caseDecidedAt) {
      records.push({ of: r.caseAction === 'clear' ? 'clearance' : 'referral', officeCode: r.officeCode, at: r.caseDecidedAt, kind: r.kind, outcome: r.caseAction, reasonCode: r.caseReason, applicationId: shownId });
    }
  }
  for (const p of postponed) {
    records.push({
      of: 'postponement',
      officeCode: p.officeCode,
      at: p.decidedAt,
      kind: kindOf.get(p.applicationId!) ?? 'departure',
      outcome: 'postponed',
      reasonCode: p.reasonCode,
      applicationId: visible(p.officeCode) ? p.applicationId : null,
    });
  }
  records.sort((a, b) => b.at.getTime() - a.at.getTime() || (a.of < b.of ? -1 : 1));
  const own = listed.filter((r) => visible(r.officeCode));
  const decided =
    own.length === 0
      ? []
      : await db
          .select({ id: decisions.id, applicationId: decisions.applicationId, outcome: decisions.outcome, score: decisions.score, ruleSetVersion: decisions.ruleSetVersion, trigger: decisions.trigger, createdAt: decisions.createdAt })
          .from(decisions)
          .where(and(inArray(decisions.applicationId, own.map((r) => r.id))))
          .orderBy(asc(decisions.createdAt), asc(decisions.id));
  const latest = listed[0]!;
  return {
    keyKind: key.startsWith('nik:') ? 'nik' : key.startsWith('passport:') ? 'passport' : 'nameDob',
    fullName: latest.fullName,
    dateOfBirth: latest.dateOfBirth,
    officeCodes: [...new Set(listed.map((r) => r.officeCode))].sort(),
    records,
    applications: own.map((r) => ({
      id: r.id,
      kind: r.kind,
      officeCode: r.officeCode,
      submittedAt: r.submittedAt,
      outcome: r.outcome,
      score: r.score,
      caseId: r.caseId,
      caseState: r.caseState,
      decisions: decided.filter((d) => d.applicationId === r.id).map(({ applicationId: _a, ...d }) => d),
    })),
    truncated,
  };
}
