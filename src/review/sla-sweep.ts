import { and, eq, inArray, lt, ne } from 'drizzle-orm';
import type { RootDatabase } from '../db/client';
import { recordAudit } from '../audit/service';
import { cases } from './schema';

/** Rows handled per run; a backlog larger than this is finished by the next runs. */
const SWEEP_BATCH = 500;

export interface SweepResult {
  escalated: string[];
  released: string[];
}

/**
 * Escalates undecided cases past their SLA and returns lapsed claims to the queue, auditing each
 * change (actor null: the system). Rows an officer is working on right now are skipped (SKIP
 * LOCKED) and picked up on the next run.
 */
export async function runSlaSweep(db: RootDatabase, now: Date = new Date()): Promise<SweepResult> {
  return { escalated: await escalateOverdue(db, now), released: await releaseLapsedLeases(db, now) };
}

async function escalateOverdue(db: RootDatabase, now: Date): Promise<string[]> {
  return db.transaction(async (tx) => {
    const overdue = await tx
      .select({ id: cases.id, slaDueAt: cases.slaDueAt, state: cases.state })
      .from(cases)
      .where(and(ne(cases.state, 'decided'), eq(cases.escalated, false), lt(cases.slaDueAt, now)))
      .limit(SWEEP_BATCH)
      .for('update', { skipLocked: true });
    if (overdue.length === 0) return [];
    const ids = overdue.map((row) => row.id);
    await tx.update(cases).set({ escalated: true, escalatedAt: now }).where(inArray(cases.id, ids));
    for (const row of overdue) {
      await recordAudit(tx, {
        actor: null,
        action: 'case.escalated',
        targetType: 'case',
        targetId: row.id,
        before: { escalated: false, state: row.state },
        after: { escalated: true, escalatedAt: now, slaDueAt: row.slaDueAt },
      });
    }
    return ids;
  });
}

async function releaseLapsedLeases(db: RootDatabase, now: Date): Promise<string[]> {
  return db.transaction(async (tx) => {
    const lapsed = await tx
      .select({ id: cases.id, claimedBy: cases.claimedBy, leaseExpiresAt: cases.leaseExpiresAt })
      .from(cases)
      .where(and(eq(cases.state, 'claimed'), lt(cases.leaseExpiresAt, now)))
      .limit(SWEEP_BATCH)
      .for('update', { skipLocked: true });
    if (lapsed.length === 0) return [];
    const ids = lapsed.map((row) => row.id);
    await tx
      .update(cases)
      .set({ state: 'open', claimedBy: null, claimedAt: null, leaseExpiresAt: null })
      .where(inArray(cases.id, ids));
    for (const row of lapsed) {
      await recordAudit(tx, {
        actor: null,
        action: 'case.lease_expired',
        targetType: 'case',
        targetId: row.id,
        before: { state: 'claimed', claimedBy: row.claimedBy, leaseExpiresAt: row.leaseExpiresAt },
        after: { state: 'open', claimedBy: null },
      });
    }
    return ids;
  });
}
