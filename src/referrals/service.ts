import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database, RootDatabase } from '../db/client';
import { recordAudit } from '../audit/service';
import type { Principal } from '../auth/tokens';
import { conflict, notFound } from '../errors';
import { referralAgencies, referralIndicators } from './indicators';
import { referralEvents, referrals, type ReferralRow } from './schema';

export interface ReferralFilter {
  office: string | null;
  status?: 'open' | 'sent' | 'acknowledged' | 'closed' | undefined;
  overdue?: boolean | undefined;
  agency?: ReferralRow['agency'] | undefined;
}

/** Today in Jakarta; a referral is overdue when still open after its due date. */
const jakartaToday = sql`(now() AT TIME ZONE 'Asia/Jakarta')::date`;
const isOpen = inArray(referrals.status, ['sent', 'acknowledged']);
const isOverdue = and(isOpen, sql`${referrals.dueDate} < ${jakartaToday}`);

export function referralConditions(filter: ReferralFilter): SQL | undefined {
  return and(
    filter.office ? eq(referrals.officeCode, filter.office) : undefined,
    filter.status === 'open' ? isOpen : filter.status ? eq(referrals.status, filter.status) : undefined,
    filter.overdue === undefined ? undefined : filter.overdue ? isOverdue : sql`NOT (${isOverdue})`,
    filter.agency ? eq(referrals.agency, filter.agency) : undefined,
  );
}

export const referralView = (row: ReferralRow, today: string, history: Array<typeof referralEvents.$inferSelect> = []) => ({
  id: row.id,
  caseId: row.caseId,
  applicationId: row.applicationId,
  officeCode: row.officeCode,
  agency: row.agency,
  agencyLabel: referralAgencies[row.agency].label,
  agencyDetail: row.agencyDetail,
  indicators: row.indicators,
  reasonCode: row.reasonCode,
  details: row.details,
  status: row.status,
  outcome: row.outcome,
  dueDate: row.dueDate,
  overdue: row.status !== 'closed' && row.dueDate < today,
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
  acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
  closedAt: row.closedAt?.toISOString() ?? null,
  history: history.map((e) => ({ status: e.status, outcome: e.outcome, note: e.note, recordedBy: e.recordedBy, recordedAt: e.recordedAt.toISOString() })),
});

export const jakartaDateOf = (at: Date) => new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

/** Open referrals first by due date, then the rest newest first; at most `limit`. */
export async function listReferrals(db: Database, filter: ReferralFilter, now: Date, limit = 200) {
  const rows = await db
    .select()
    .from(referrals)
    .where(referralConditions(filter))
    .orderBy(sql`${referrals.status} = 'closed'`, asc(referrals.dueDate), desc(referrals.createdAt))
    .limit(limit);
  const today = jakartaDateOf(now);
  return { items: rows.map((row) => referralView(row, today)) };
}

export async function getReferral(db: Database, id: string, office: string | null, now: Date) {
  const [row] = await db
    .select()
    .from(referrals)
    .where(and(eq(referrals.id, id), office === null ? undefined : eq(referrals.officeCode, office)))
    .limit(1);
  if (!row) throw notFound('Referral');
  const history = await db.select().from(referralEvents).where(eq(referralEvents.referralId, row.id)).orderBy(asc(referralEvents.recordedAt), asc(referralEvents.id));
  return referralView(row, jakartaDateOf(now), history);
}

const nextStatus = { sent: ['acknowledged', 'closed'], acknowledged: ['closed'], closed: [] } as const;

/** Moves a referral along sent → acknowledged → closed (an agency may also close one it never acknowledged). */
export async function changeReferralStatus(
  db: RootDatabase,
  id: string,
  input: { status: 'acknowledged' | 'closed'; outcome?: ReferralRow['outcome'] | undefined; note?: string | undefined },
  ctx: { actor: Principal; scope: string | null; requestId: string; now: Date },
) {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(referrals)
      .where(and(eq(referrals.id, id), ctx.scope === null ? undefined : eq(referrals.officeCode, ctx.scope)))
      .for('update')
      .limit(1);
    if (!row) throw notFound('Referral');
    if (!(nextStatus[row.status] as readonly string[]).includes(input.status)) {
      throw conflict(`A referral that is ${row.status} cannot become ${input.status}`, { status: row.status });
    }
    await tx
      .update(referrals)
      .set(input.status === 'acknowledged' ? { status: 'acknowledged', acknowledgedAt: ctx.now } : { status: 'closed', outcome: input.outcome ?? null, closedAt: ctx.now })
      .where(eq(referrals.id, row.id));
    await tx.insert(referralEvents).values({ referralId: row.id, status: input.status, outcome: input.outcome ?? null, note: input.note ?? null, recordedBy: ctx.actor.userId, recordedAt: ctx.now });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: `referral.${input.status}`,
      targetType: 'referral',
      targetId: row.id,
      before: { status: row.status },
      after: { status: input.status, outcome: input.outcome ?? null, note: input.note ?? null },
      requestId: ctx.requestId,
    });
  });
  return getReferral(db, id, ctx.scope, ctx.now);
}

/** Open and overdue referrals per office, for the supervisor board. */
export async function referralSummary(db: Database, office: string | null) {
  const rows = await db
    .select({
      office: referrals.officeCode,
      open: sql<number>`count(*) FILTER (WHERE ${isOpen})::int`,
      overdue: sql<number>`count(*) FILTER (WHERE ${isOverdue})::int`,
    })
    .from(referrals)
    .where(office ? eq(referrals.officeCode, office) : undefined)
    .groupBy(referrals.officeCode)
    .orderBy(asc(referrals.officeCode));
  return {
    open: rows.reduce((n, r) => n + r.open, 0),
    overdue: rows.reduce((n, r) => n + r.overdue, 0),
    offices: rows.filter((r) => r.open > 0),
  };
}

export { referralIndicators };
