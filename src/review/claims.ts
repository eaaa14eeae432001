import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { RootDatabase, Transaction } from '../db/client';
import { runPrepared } from '../db/prepared';
import { decodeRow } from '../db/rows';
import { recordAudit, type Actor } from '../audit/service';
import { users } from '../auth/schema';
import { conflict, notFound, unprocessable } from '../errors';
import { cases, type CaseRow } from './schema';

/**
 * Claims are leases: a claimant holds a case until `lease_expires_at`. After that the case counts as
 * open again even before the SLA sweep resets it, so an absent officer never blocks a case.
 */
export interface ClaimContext {
  actor: Actor;
  /** The office the caller may act in; null for headquarters supervisors and admins (every office). */
  scope: string | null;
  leaseMinutes: number;
  requestId: string | null;
  now: Date;
}

const leaseUntil = (ctx: ClaimContext) => new Date(ctx.now.getTime() + ctx.leaseMinutes * 60_000);

export function hasLiveLease(row: CaseRow, now: Date): boolean {
  return row.state === 'claimed' && row.leaseExpiresAt !== null && row.leaseExpiresAt > now;
}

/** Locks one case for the rest of the transaction; a case outside the caller's scope does not exist for them. */
export async function lockCase(tx: Transaction, caseId: string, scope: string | null): Promise<CaseRow> {
  const [row] = await tx
    .select()
    .from(cases)
    .where(and(eq(cases.id, caseId), scope === null ? undefined : eq(cases.officeCode, scope)))
    .for('update');
  if (!row) throw notFound('Case');
  return row;
}

const claimSnapshot = (row: Pick<CaseRow, 'state' | 'claimedBy' | 'leaseExpiresAt' | 'assignedTo'>) => ({
  state: row.state,
  claimedBy: row.claimedBy,
  leaseExpiresAt: row.leaseExpiresAt,
  assignedTo: row.assignedTo,
});

/** Queue order, most urgent first. Keep it in step with cases_open_claim_order_idx (drizzle/0012_claim_indexes.sql). */
const claimOrder = sql.raw(`(assigned_to IS NOT NULL) DESC, (kind = 'departure') DESC, priority_at ASC,
  (outcome = 'POSTPONE_RECOMMENDED') DESC, score DESC, created_at ASC, id ASC`);
const candidateColumns = sql.raw('id, state, claimed_by, assigned_to, kind, priority_at, outcome, score, created_at');

/**
 * Hands the caller the most urgent claimable case of their office, or null when there is none.
 * Cases assigned to the caller come first; cases assigned to someone else are never handed out.
 *
 * One statement, so one round trip and atomic on its own: it takes the first open case and the first
 * case whose claim lapsed (each through its own index, SKIP LOCKED so concurrent callers each take a
 * different row instead of queueing on one), claims the more urgent of the two and audits the claim.
 */
export async function claimNextCase(db: RootDatabase, ctx: ClaimContext): Promise<CaseRow | null> {
  const rows = await runPrepared<Record<string, unknown>>(db, 'review_claim_next_case', claimNextCaseStatement(ctx));
  const claimed = rows[0];
  return claimed ? decodeRow(cases, claimed) : null;
}

/** The statement claimNextCase runs (exported for its query-plan test). */
export function claimNextCaseStatement(ctx: ClaimContext): SQL {
  const { actor, now } = ctx;
  const lease = leaseUntil(ctx);
  const eligible = sql`office_code = ${actor.officeCode} AND (assigned_to IS NULL OR assigned_to = ${actor.userId})`;
  return sql`
    WITH open_pick AS (
      SELECT ${candidateColumns} FROM cases WHERE state = 'open' AND ${eligible}
      ORDER BY ${claimOrder} LIMIT 1 FOR UPDATE SKIP LOCKED
    ), lapsed_pick AS (
      SELECT ${candidateColumns} FROM cases WHERE state = 'claimed' AND lease_expires_at < ${now} AND ${eligible}
      ORDER BY ${claimOrder} LIMIT 1 FOR UPDATE SKIP LOCKED
    ), picked AS (
      SELECT * FROM (SELECT * FROM open_pick UNION ALL SELECT * FROM lapsed_pick) AS candidates ORDER BY ${claimOrder} LIMIT 1
    ), claimed AS (
      UPDATE cases SET state = 'claimed', claimed_by = ${actor.userId}, claimed_at = ${now}, lease_expires_at = ${lease}
      FROM picked WHERE cases.id = picked.id
      RETURNING cases.*, picked.state AS previous_state, picked.claimed_by AS previous_claimant
    ), audited AS (
      -- after: the fields of claimSnapshot, as in the other claim audits.
      INSERT INTO audit_log (actor_id, actor_role, office_code, action, target_type, target_id, before, after, request_id)
      SELECT ${actor.userId}, ${actor.role}, ${actor.officeCode}, 'case.claimed', 'case', claimed.id::text,
        jsonb_build_object('state', claimed.previous_state, 'claimedBy', claimed.previous_claimant),
        jsonb_build_object('state', 'claimed', 'claimedBy', ${actor.userId}::text, 'leaseExpiresAt', ${lease.toISOString()}::text, 'assignedTo', claimed.assigned_to),
        ${ctx.requestId}
      FROM claimed
    )
    SELECT * FROM claimed`;
}

function refuseIfSettled(row: CaseRow): void {
  if (row.state === 'decided') throw conflict('The case is already decided', { state: row.state });
  if (row.state === 'pending_approval') throw conflict('The case is waiting for a supervisor to approve its decision', { state: row.state });
}

/** Claims one named case. Claiming a case you already hold is a no-op. */
export async function claimCase(db: RootDatabase, caseId: string, ctx: ClaimContext): Promise<CaseRow> {
  return db.transaction(async (tx) => {
    const row = await lockCase(tx, caseId, ctx.scope);
    refuseIfSettled(row);
    if (hasLiveLease(row, ctx.now)) {
      if (row.claimedBy === ctx.actor.userId) return row;
      throw conflict('Another officer holds this case', { claimedBy: row.claimedBy, leaseExpiresAt: row.leaseExpiresAt });
    }
    if (row.assignedTo && row.assignedTo !== ctx.actor.userId) {
      throw conflict('The case is assigned to another officer', { assignedTo: row.assignedTo });
    }
    const [after] = await tx
      .update(cases)
      .set({ state: 'claimed', claimedBy: ctx.actor.userId, claimedAt: ctx.now, leaseExpiresAt: leaseUntil(ctx) })
      .where(eq(cases.id, row.id))
      .returning();
    await audit(tx, ctx, 'case.claimed', row, after!);
    return after!;
  });
}

/** Gives a claimed case back to the queue. The claimant may, and so may a supervisor running the queue. */
export async function releaseCase(db: RootDatabase, caseId: string, ctx: ClaimContext, asSupervisor: boolean): Promise<CaseRow> {
  return db.transaction(async (tx) => {
    const row = await lockCase(tx, caseId, ctx.scope);
    refuseIfSettled(row);
    if (row.state !== 'claimed') throw conflict('The case is not claimed', { state: row.state });
    if (row.claimedBy !== ctx.actor.userId && !asSupervisor) throw conflict('Only the officer who claimed the case may release it');
    const [after] = await tx
      .update(cases)
      .set({ state: 'open', claimedBy: null, claimedAt: null, leaseExpiresAt: null })
      .where(eq(cases.id, row.id))
      .returning();
    await audit(tx, ctx, 'case.released', row, after!);
    return after!;
  });
}

/** Extends the caller's live lease. A lapsed lease cannot be renewed: claim the case again. */
export async function renewLease(db: RootDatabase, caseId: string, ctx: ClaimContext): Promise<CaseRow> {
  return db.transaction(async (tx) => {
    const row = await lockCase(tx, caseId, ctx.scope);
    refuseIfSettled(row);
    if (row.state !== 'claimed' || row.claimedBy !== ctx.actor.userId) throw conflict('Only the officer who claimed the case may renew it');
    if (!hasLiveLease(row, ctx.now)) throw leaseExpired(row);
    const [after] = await tx.update(cases).set({ leaseExpiresAt: leaseUntil(ctx) }).where(eq(cases.id, row.id)).returning();
    await audit(tx, ctx, 'case.lease_renewed', row, after!);
    return after!;
  });
}

export const leaseExpired = (row: CaseRow) =>
  conflict(`Your claim on this case expired at ${row.leaseExpiresAt?.toISOString()}; claim it again to continue`, {
    leaseExpiresAt: row.leaseExpiresAt,
  });

const reviewerRoles = ['officer', 'passport_officer', 'supervisor'] as const;

/**
 * Assigns an undecided case to a named reviewer of its office. Whoever else holds it loses the claim,
 * so the assignee gets it from `next` at once.
 */
export async function assignCase(db: RootDatabase, caseId: string, assigneeId: string, ctx: ClaimContext): Promise<CaseRow> {
  return db.transaction(async (tx) => {
    const row = await lockCase(tx, caseId, ctx.scope);
    refuseIfSettled(row);
    const [assignee] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, assigneeId), eq(users.officeCode, row.officeCode), eq(users.active, true), inArray(users.role, [...reviewerRoles])))
      .limit(1);
    if (!assignee) {
      throw unprocessable(`userId is not an active reviewer of office ${row.officeCode}`, [{ path: 'userId', message: 'not a reviewer of the case office' }]);
    }
    const keepsClaim = row.state === 'claimed' && row.claimedBy === assigneeId;
    const [after] = await tx
      .update(cases)
      .set(keepsClaim ? { assignedTo: assigneeId } : { assignedTo: assigneeId, state: 'open', claimedBy: null, claimedAt: null, leaseExpiresAt: null })
      .where(eq(cases.id, row.id))
      .returning();
    await audit(tx, ctx, 'case.assigned', row, after!);
    return after!;
  });
}

async function audit(tx: Transaction, ctx: ClaimContext, action: string, before: CaseRow, after: CaseRow): Promise<void> {
  await recordAudit(tx, {
    actor: ctx.actor,
    action,
    targetType: 'case',
    targetId: before.id,
    before: claimSnapshot(before),
    after: claimSnapshot(after),
    requestId: ctx.requestId,
  });
}
