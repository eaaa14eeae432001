import { and, asc, between, eq, inArray, sql } from 'drizzle-orm';
import type { AppDependencies } from '../deps';
import { recordAudit, type Actor } from '../audit/service';
import { slaSettingsOf, storeScreenedApplications, type Intake } from '../applications/service';
import type { FieldProblem } from '../errors';
import { databaseScreeningContext } from '../screening/context';
import type { ScreeningDecision } from '../screening/screener';
import { batchRows, batches } from './schema';
import type { ScreenChunkJob } from './upload';
import { validateRow } from './validate';

interface Screened {
  rowNumber: number;
  intake: Intake;
  decision: ScreeningDecision;
}

/**
 * Screens the pending rows of one chunk of a batch, exactly once per (batch, row number), however
 * often the job runs (retries, a killed worker's job taken back, a re-dispatch after Redis lost it):
 *
 * 1. rows still pending are screened outside any transaction (as a single request is: context, all
 *    rows' in one statement, then the pure engine, with the batch's receive time as "now", so a rerun
 *    decides the same);
 * 2. one transaction locks those rows FOR UPDATE and keeps only the ones still pending: a concurrent
 *    run of the same chunk waits here and then finds them screened;
 * 3. it stores applications, decisions, audit records and cases in one statement, marks the rows
 *    screened, and moves the batch's counters, all committing together.
 */
export async function screenChunk(deps: AppDependencies, job: ScreenChunkJob): Promise<{ screened: number; rejected: number }> {
  const { db } = deps;
  const [batch] = await db.select().from(batches).where(eq(batches.id, job.batchId)).limit(1);
  if (!batch || batch.state === 'completed') return { screened: 0, rejected: 0 };
  const first = job.chunk * batch.chunkSize + 1;
  const last = first + batch.chunkSize - 1;
  const inChunk = and(eq(batchRows.batchId, batch.id), between(batchRows.rowNumber, first, last), eq(batchRows.status, 'pending'));
  const pending = await db
    .select({ rowNumber: batchRows.rowNumber, input: batchRows.input })
    .from(batchRows)
    .where(inChunk)
    .orderBy(asc(batchRows.rowNumber));
  if (pending.length === 0) return { screened: 0, rejected: 0 };

  const receivedAt = batch.createdAt;
  const actor: Actor = { userId: batch.submittedBy, role: batch.submittedRole, officeCode: batch.officeCode };
  const valid: Array<{ rowNumber: number; intake: Intake }> = [];
  const rejected: Array<{ rowNumber: number; problems: FieldProblem[] }> = [];
  for (const row of pending) {
    // Validated at upload; validating again yields the normalised data (and guards against a schema change since).
    const validation = validateRow(batch.kind, row.input);
    if (validation.ok) valid.push({ rowNumber: row.rowNumber, intake: validation.intake });
    else rejected.push({ rowNumber: row.rowNumber, problems: validation.problems });
  }
  // One version for the chunk's context and its evaluation (a publish in between must not mix them).
  const version = deps.screener.current();
  // Every row's watchlist matches and links in one statement: one round trip for the chunk.
  const port = deps.screeningContext ?? databaseScreeningContext;
  const contexts = await port.resolve(db, valid.map((row) => row.intake), receivedAt, version.requirements, actor.officeCode);
  const screened: Screened[] = valid.map(({ rowNumber, intake }, i) => ({ rowNumber, intake, decision: version.screen(intake, receivedAt, contexts[i]) }));

  return db.transaction(async (tx) => {
    const locked = await tx
      .select({ rowNumber: batchRows.rowNumber })
      .from(batchRows)
      .where(and(inChunk, inArray(batchRows.rowNumber, pending.map((row) => row.rowNumber))))
      .orderBy(asc(batchRows.rowNumber))
      .for('update');
    const stillPending = new Set(locked.map((row) => row.rowNumber));
    const toStore = screened.filter((row) => stillPending.has(row.rowNumber));
    const toReject = rejected.filter((row) => stillPending.has(row.rowNumber));
    if (toStore.length === 0 && toReject.length === 0) return { screened: 0, rejected: 0 };
    // The batch row before any audit record: chunk transactions then always lock in one order (rows,
    // batch, audit chain) and never deadlock on the counters.
    await tx.select({ id: batches.id }).from(batches).where(eq(batches.id, batch.id)).for('update');

    const stored = await storeScreenedApplications(
      tx,
      toStore.map((row) => ({
        intake: row.intake,
        decision: row.decision,
        actor,
        receivedAt,
        requestId: batch.requestId,
        origin: { idempotencyKey: null, requestHash: null },
        trigger: 'batch' as const,
      })),
      slaSettingsOf(deps.config),
    );
    if (toStore.length > 0) {
      const values = sql.join(
        toStore.map(
          (row, i) =>
            sql`(${row.rowNumber}::int, ${stored[i]!.applicationId}::uuid, ${stored[i]!.caseId}::uuid, ${row.decision.outcome}::screening_outcome, ${row.decision.score}::int)`,
        ),
        sql`, `,
      );
      await tx.execute(sql`
        UPDATE batch_rows AS r
        SET status = 'screened', input = NULL, application_id = v.application_id, case_id = v.case_id, outcome = v.outcome, score = v.score
        FROM (VALUES ${values}) AS v(row_number, application_id, case_id, outcome, score)
        WHERE r.batch_id = ${batch.id} AND r.row_number = v.row_number`);
    }
    if (toReject.length > 0) {
      const values = sql.join(
        toReject.map((row) => sql`(${row.rowNumber}::int, ${JSON.stringify(row.problems)}::jsonb)`),
        sql`, `,
      );
      await tx.execute(sql`
        UPDATE batch_rows AS r SET status = 'rejected', input = NULL, problems = v.problems
        FROM (VALUES ${values}) AS v(row_number, problems)
        WHERE r.batch_id = ${batch.id} AND r.row_number = v.row_number`);
    }

    const count = (outcome: ScreeningDecision['outcome']) => toStore.filter((row) => row.decision.outcome === outcome).length;
    const n = toStore.length;
    const r = toReject.length;
    const [after] = await tx
      .update(batches)
      .set({
        screened: sql`${batches.screened} + ${n}`,
        accepted: sql`${batches.accepted} - ${r}`,
        rejected: sql`${batches.rejected} + ${r}`,
        clear: sql`${batches.clear} + ${count('CLEAR')}`,
        review: sql`${batches.review} + ${count('REVIEW')}`,
        postponeRecommended: sql`${batches.postponeRecommended} + ${count('POSTPONE_RECOMMENDED')}`,
        state: sql`CASE WHEN ${batches.screened} + ${n} >= ${batches.accepted} - ${r} THEN 'completed' ELSE 'running' END::batch_state`,
        startedAt: sql`coalesce(${batches.startedAt}, now())`,
        completedAt: sql`CASE WHEN ${batches.screened} + ${n} >= ${batches.accepted} - ${r} THEN now() END`,
        progressAt: sql`now()`,
      })
      .where(eq(batches.id, batch.id))
      .returning();
    if (after?.state === 'completed') {
      await recordAudit(tx, {
        actor: null,
        action: 'batch.completed',
        targetType: 'batch',
        targetId: batch.id,
        after: { received: after.received, screened: after.screened, rejected: after.rejected, clear: after.clear, review: after.review, postponeRecommended: after.postponeRecommended },
        requestId: batch.requestId,
      });
    }
    return { screened: n, rejected: r };
  });
}
