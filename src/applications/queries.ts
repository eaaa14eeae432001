import { and, desc, eq, gte, ilike, lt, or, sql, type SQL } from 'drizzle-orm';
import type { RootDatabase } from '../db/client';
import { pageOf, type Cursor } from '../http/pagination';
import { cases } from '../review/schema';
import { applications, decisions } from './schema';

export interface ApplicationFilters {
  kind?: 'departure' | 'passport';
  outcome?: 'CLEAR' | 'REVIEW' | 'POSTPONE_RECOMMENDED';
  from?: Date;
  to?: Date;
  /** null: every office the caller may see is all of them. */
  office: string | null;
  q?: string;
  cursor?: Cursor;
  limit: number;
}

/** `q` finds an exact NIK or passport number, or a name containing the words. */
function searchCondition(q: string): SQL {
  const compact = q.replace(/\s+/g, '');
  if (/^\d{16}$/.test(compact)) return eq(applications.nik, compact);
  if (/^[A-Za-z]{1,2}\d{6,7}$/.test(compact)) return eq(applications.passportNumber, compact.toUpperCase());
  const escaped = q.trim().replace(/[\\%_]/g, (c) => `\\${c}`);
  return ilike(applications.fullName, `%${escaped}%`);
}

const summaryColumns = {
  id: applications.id,
  kind: applications.kind,
  officeCode: applications.officeCode,
  submittedAt: applications.submittedAt,
  submittedBy: applications.submittedBy,
  fullName: applications.fullName,
  nik: applications.nik,
  passportNumber: applications.passportNumber,
  destinationCountry: applications.destinationCountry,
  departureAt: applications.departureAt,
  outcome: applications.outcome,
  score: applications.score,
  ruleSetVersion: applications.ruleSetVersion,
  caseId: cases.id,
  caseState: cases.state,
};

export async function listApplications(db: RootDatabase, filters: ApplicationFilters) {
  const conditions = [
    filters.office ? eq(applications.officeCode, filters.office) : undefined,
    filters.kind ? eq(applications.kind, filters.kind) : undefined,
    filters.outcome ? eq(applications.outcome, filters.outcome) : undefined,
    filters.from ? gte(applications.submittedAt, filters.from) : undefined,
    filters.to ? lt(applications.submittedAt, filters.to) : undefined,
    filters.q ? searchCondition(filters.q) : undefined,
    filters.cursor
      ? or(
          lt(applications.submittedAt, new Date(filters.cursor.at)),
          and(eq(applications.submittedAt, new Date(filters.cursor.at)), lt(applications.id, filters.cursor.id)),
        )
      : undefined,
  ];
  const rows = await db
    .select(summaryColumns)
    .from(applications)
    .leftJoin(cases, eq(cases.applicationId, applications.id))
    .where(and(...conditions))
    .orderBy(desc(applications.submittedAt), desc(applications.id))
    .limit(filters.limit + 1);
  return pageOf(rows, filters.limit, (row) => ({ at: row.submittedAt.toISOString(), id: row.id }));
}

/** One application with its case and every decision, newest first; null when not visible. */
export async function findApplication(db: RootDatabase, id: string, office: string | null) {
  const [row] = await db
    .select({ application: applications, caseId: cases.id, caseState: cases.state })
    .from(applications)
    .leftJoin(cases, eq(cases.applicationId, applications.id))
    .where(and(eq(applications.id, id), office ? eq(applications.officeCode, office) : sql`true`))
    .limit(1);
  if (!row) return null;
  const history = await db
    .select()
    .from(decisions)
    .where(eq(decisions.applicationId, id))
    .orderBy(desc(decisions.createdAt));
  return { ...row, decisions: history };
}
