import { and, asc, eq, getTableColumns, gt, lt, or, sql, type SQL } from 'drizzle-orm';
import { applications } from '../applications/schema';
import type { RootDatabase } from '../db/client';
import { auditLog } from '../audit/schema';
import { decodeCursor, pageOf } from '../http/pagination';
import { cases, type CaseRow } from './schema';

export interface CaseListFilter {
  state?: CaseRow['state'] | undefined;
  office?: string | undefined;
  outcome?: 'REVIEW' | 'POSTPONE_RECOMMENDED' | undefined;
  kind?: CaseRow['kind'] | undefined;
  escalated?: boolean | undefined;
  olderThanMinutes?: number | undefined;
  cursor?: string | undefined;
  limit: number;
}

/**
 * Lists cases most urgent first (departure time, or opening time for passport cases). Cursors carry
 * `priority_at` at millisecond precision, which is exact: it is always written from a JS Date.
 */
export async function listCases(db: RootDatabase, filter: CaseListFilter, now: Date) {
  const cursor = decodeCursor(filter.cursor);
  const conditions: (SQL | undefined)[] = [
    filter.state && eq(cases.state, filter.state),
    filter.office ? eq(cases.officeCode, filter.office) : undefined,
    filter.outcome && eq(cases.outcome, filter.outcome),
    filter.kind && eq(cases.kind, filter.kind),
    filter.escalated === undefined ? undefined : eq(cases.escalated, filter.escalated),
    filter.olderThanMinutes === undefined ? undefined : lt(cases.createdAt, new Date(now.getTime() - filter.olderThanMinutes * 60_000)),
    cursor &&
      or(gt(cases.priorityAt, new Date(cursor.at)), and(eq(cases.priorityAt, new Date(cursor.at)), gt(cases.id, cursor.id))),
  ];
  // The list names who travels where and when, so a supervisor reads the queue without opening each case.
  const rows = await db
    .select({ ...getTableColumns(cases), travellerName: applications.fullName, destinationCountry: applications.destinationCountry, departureAt: applications.departureAt })
    .from(cases)
    .innerJoin(applications, eq(applications.id, cases.applicationId))
    .where(and(...conditions))
    .orderBy(asc(cases.priorityAt), asc(cases.id))
    .limit(filter.limit + 1);
  return pageOf(rows, filter.limit, (row) => ({ at: row.priorityAt.toISOString(), id: row.id }));
}

/** Every audited change to the case, oldest first. */
export async function caseHistory(db: RootDatabase, caseId: string) {
  return db
    .select({
      at: auditLog.at,
      action: auditLog.action,
      actorId: auditLog.actorId,
      actorRole: auditLog.actorRole,
      before: auditLog.before,
      after: auditLog.after,
    })
    .from(auditLog)
    .where(and(eq(auditLog.targetType, 'case'), eq(auditLog.targetId, caseId)))
    .orderBy(asc(auditLog.at), asc(auditLog.id));
}

interface OfficeCountsRow extends Record<string, unknown> {
  office_code: string;
  open: number;
  claimed: number;
  pending_approval: number;
  escalated: number;
  sla_breaches: number;
  p50: number | null;
  p90: number | null;
  max: number | null;
}

interface WorkloadRow extends Record<string, unknown> {
  office_code: string;
  user_id: string;
  display_name: string | null;
  claimed_now: number;
  decided_today: number;
}

const officeFilter = (office: string | null, column: SQL) =>
  office === null ? sql`true` : sql`${column} = ${office}`;

const roundMinutes = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

/**
 * Queue health per office: counts by state, how long undecided cases have waited, SLA breaches, and
 * what each reviewer holds now and has decided today (the office's local day). `office` null means
 * every office.
 */
export async function queueStats(db: RootDatabase, office: string | null, now: Date) {
  const at = sql`${now.toISOString()}::timestamptz`;
  const ageMinutes = sql`extract(epoch from (${at} - c.created_at)) / 60`;
  const counts = await db.execute<OfficeCountsRow>(sql`
    SELECT o.code AS office_code,
      count(c.id) FILTER (WHERE c.state = 'open')::int AS open,
      count(c.id) FILTER (WHERE c.state = 'claimed')::int AS claimed,
      count(c.id) FILTER (WHERE c.state = 'pending_approval')::int AS pending_approval,
      count(c.id) FILTER (WHERE c.escalated)::int AS escalated,
      count(c.id) FILTER (WHERE c.sla_due_at < ${at})::int AS sla_breaches,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY ${ageMinutes})::float8 AS p50,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY ${ageMinutes})::float8 AS p90,
      max(${ageMinutes})::float8 AS max
    FROM offices o
    LEFT JOIN cases c ON c.office_code = o.code AND c.state <> 'decided'
    WHERE ${office === null ? sql`o.kind <> 'headquarters'` : sql`o.code = ${office}`}
    GROUP BY o.code
    ORDER BY o.code`);
  // Reviewers with nothing on their desk still appear, so idle capacity is visible.
  const workload = await db.execute<WorkloadRow>(sql`
    WITH activity AS (
      SELECT office_code, claimed_by AS user_id, 1 AS claimed, 0 AS decided
        FROM cases WHERE state = 'claimed' AND lease_expires_at > ${at}
      UNION ALL
      SELECT c.office_code, c.decided_by, 0, 1
        FROM cases c JOIN offices o ON o.code = c.office_code
        WHERE c.decided_at >= (date_trunc('day', ${at} AT TIME ZONE o.timezone) AT TIME ZONE o.timezone)
      UNION ALL
      SELECT office_code, id::text, 0, 0
        FROM users WHERE active AND role IN ('officer', 'passport_officer', 'supervisor')
    )
    SELECT a.office_code, a.user_id, u.display_name,
      sum(a.claimed)::int AS claimed_now, sum(a.decided)::int AS decided_today
    FROM activity a LEFT JOIN users u ON u.id::text = a.user_id
    WHERE ${officeFilter(office, sql`a.office_code`)}
    GROUP BY a.office_code, a.user_id, u.display_name
    ORDER BY a.office_code, a.user_id`);
  return {
    offices: counts.rows.map((row) => ({
      officeCode: row.office_code,
      open: row.open,
      claimed: row.claimed,
      pendingApproval: row.pending_approval,
      escalated: row.escalated,
      slaBreaches: row.sla_breaches,
      ageMinutes: { p50: roundMinutes(row.p50), p90: roundMinutes(row.p90), max: roundMinutes(row.max) },
      workload: workload.rows
        .filter((w) => w.office_code === row.office_code)
        .map((w) => ({ userId: w.user_id, displayName: w.display_name, claimedNow: w.claimed_now, decidedToday: w.decided_today })),
    })),
  };
}
