/**
 * Re-screening the open review cases under a published version. Each re-screen adds a decision
 * (trigger 'rescreen') linked to the one it supersedes; no decision is ever changed. The application's
 * latest-outcome columns follow the new decision, as they follow every decision. The case itself is
 * left as it is: a person still decides it, now with the newer recommendation on record.
 */
import { and, asc, count, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { applications, decisions } from '../applications/schema';
import { recordAudit, type Actor } from '../audit/service';
import type { RootDatabase } from '../db/client';
import type { Logger } from '../logger';
import type { ApplicationKind } from '../screening/application-schema';
import type { CompiledRuleSet } from '../screening/engine';
import { cases } from '../review/schema';
import { applicationOf, contextFor, evaluateStored } from './evaluate';
import { ruleSetRescreens } from './schema';
import { compiledVersion } from './store';

export const RESCREEN_JOB = 'rulesets.rescreen';
const PAGE_SIZE = 200;

/** Cases nobody has decided yet: waiting, or in an officer's hands. */
export const undecidedStates = ['open', 'claimed'] as const;

export interface RescreenScope {
  officeCode: string | null;
  kind: ApplicationKind | null;
}

function scopeCondition(scope: RescreenScope) {
  return and(
    inArray(cases.state, [...undecidedStates]),
    scope.officeCode ? eq(cases.officeCode, scope.officeCode) : undefined,
    scope.kind ? eq(cases.kind, scope.kind) : undefined,
  );
}

export async function countUndecidedCases(db: RootDatabase, scope: RescreenScope): Promise<number> {
  const [row] = await db.select({ n: count() }).from(cases).where(scopeCondition(scope));
  return row?.n ?? 0;
}

export type RescreenResult = 'rescreened' | 'changed' | 'current' | 'unevaluable';

/**
 * Re-screens one application in its own transaction, holding its row lock so two re-screens of the
 * same application cannot both supersede the same decision. Nothing is written when its latest
 * decision already has this version, so running a re-screen twice writes each decision once.
 */
export async function rescreenApplication(
  db: RootDatabase,
  applicationId: string,
  compiled: CompiledRuleSet,
  actor: Actor | null,
  meta: { rescreenId: string | null; requestId: string | null },
): Promise<RescreenResult> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: applications.id, kind: applications.kind, payload: applications.payload, submittedAt: applications.submittedAt, officeCode: applications.officeCode })
      .from(applications)
      .where(eq(applications.id, applicationId))
      .for('update');
    if (!row) return 'unevaluable';
    const [latest] = await tx
      .select()
      .from(decisions)
      .where(eq(decisions.applicationId, applicationId))
      .orderBy(desc(decisions.createdAt), desc(decisions.id))
      .limit(1);
    if (latest?.ruleSetVersion === compiled.version) return 'current';
    const application = applicationOf(row);
    if (!application) return 'unevaluable';
    const decision = evaluateStored(compiled, application, row, await contextFor(tx, compiled, application, row));
    const [written] = await tx
      .insert(decisions)
      .values({
        applicationId,
        ruleSetVersion: decision.ruleSetVersion,
        outcome: decision.outcome,
        score: decision.score,
        hits: decision.hits,
        suppressed: decision.suppressed ?? null,
        trigger: 'rescreen',
        supersedesDecisionId: latest?.id ?? null,
      })
      .returning({ id: decisions.id });
    await tx
      .update(applications)
      .set({ outcome: decision.outcome, score: decision.score, ruleSetVersion: decision.ruleSetVersion })
      .where(eq(applications.id, applicationId));
    await recordAudit(tx, {
      actor,
      action: 'application.rescreened',
      targetType: 'application',
      targetId: applicationId,
      before: latest ? { decisionId: latest.id, outcome: latest.outcome, score: latest.score, ruleSetVersion: latest.ruleSetVersion } : null,
      after: { decisionId: written!.id, outcome: decision.outcome, score: decision.score, ruleSetVersion: decision.ruleSetVersion, rescreenId: meta.rescreenId },
      requestId: meta.requestId,
    });
    return latest?.outcome === decision.outcome ? 'rescreened' : 'changed';
  });
}

/**
 * Runs a stored re-screen request (the job; the actor who asked travels with it, for the audit trail).
 * Safe to run again after an interruption.
 */
export async function runRescreen(db: RootDatabase, id: string, actor: Actor | null, logger?: Logger): Promise<void> {
  const [run] = await db
    .update(ruleSetRescreens)
    .set({ state: 'running', startedAt: sql`coalesce(${ruleSetRescreens.startedAt}, now())` })
    .where(and(eq(ruleSetRescreens.id, id), sql`${ruleSetRescreens.state} in ('queued', 'running')`))
    .returning();
  if (!run) return;
  try {
    const compiled = await compiledVersion(db, run.version);
    if (!compiled) throw new Error(`version ${run.version} is not stored`);
    const scope = { officeCode: run.officeCode, kind: run.kind };
    // Counters restart with the run: a repeated run finds the already re-screened ones current.
    const tally = { processed: 0, rescreened: 0, outcomeChanged: 0, alreadyCurrent: 0, failed: 0 };
    let cursor: string | null = null;
    for (;;) {
      const page: Array<{ id: string; applicationId: string }> = await db
        .select({ id: cases.id, applicationId: cases.applicationId })
        .from(cases)
        .where(and(scopeCondition(scope), cursor ? gt(cases.id, cursor) : undefined))
        .orderBy(asc(cases.id))
        .limit(PAGE_SIZE);
      if (page.length === 0) break;
      for (const item of page) {
        const result = await rescreenApplication(db, item.applicationId, compiled, actor, { rescreenId: id, requestId: null });
        tally.processed += 1;
        if (result === 'rescreened' || result === 'changed') tally.rescreened += 1;
        if (result === 'changed') tally.outcomeChanged += 1;
        if (result === 'current') tally.alreadyCurrent += 1;
        if (result === 'unevaluable') tally.failed += 1;
      }
      cursor = page[page.length - 1]!.id;
      await db.update(ruleSetRescreens).set(tally).where(eq(ruleSetRescreens.id, id));
      if (page.length < PAGE_SIZE) break;
    }
    await db.update(ruleSetRescreens).set({ ...tally, state: 'done', finishedAt: sql`now()` }).where(eq(ruleSetRescreens.id, id));
  } catch (error) {
    logger?.error({ err: error, rescreenId: id }, 're-screen failed');
    await db
      .update(ruleSetRescreens)
      .set({ state: 'failed', error: error instanceof Error ? error.message : String(error), finishedAt: sql`now()` })
      .where(eq(ruleSetRescreens.id, id));
  }
}
