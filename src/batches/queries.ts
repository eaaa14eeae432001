import { and, asc, desc, eq, gt, lt, or, type SQL } from 'drizzle-orm';
import type { RootDatabase } from '../db/client';
import type { FieldProblem } from '../errors';
import { pageOf, type Cursor } from '../http/pagination';
import { batchRows, batches, type BatchRow } from './schema';

/** Rejected rows listed in the status answer; every one of them is in the results CSV. */
export const REJECTED_ROWS_SHOWN = 1_000;

export async function findBatch(db: RootDatabase, id: string, office: string | null): Promise<BatchRow | null> {
  const [batch] = await db
    .select()
    .from(batches)
    .where(office ? and(eq(batches.id, id), eq(batches.officeCode, office)) : eq(batches.id, id))
    .limit(1);
  return batch ?? null;
}

/** What a person waiting on a batch wants to see: where it is, its counts, and what was wrong. */
export async function batchStatus(db: RootDatabase, batch: BatchRow) {
  const rejected = await db
    .select({ row: batchRows.rowNumber, problems: batchRows.problems })
    .from(batchRows)
    .where(and(eq(batchRows.batchId, batch.id), eq(batchRows.status, 'rejected')))
    .orderBy(asc(batchRows.rowNumber))
    .limit(REJECTED_ROWS_SHOWN + 1);
  const done = batch.screened + batch.rejected;
  return {
    ...summaryOf(batch),
    counts: {
      received: batch.received,
      accepted: batch.accepted,
      rejected: batch.rejected,
      screened: batch.screened,
      pending: batch.received - done,
      byOutcome: { CLEAR: batch.clear, REVIEW: batch.review, POSTPONE_RECOMMENDED: batch.postponeRecommended },
    },
    rejectedRows: rejected.slice(0, REJECTED_ROWS_SHOWN).map((row) => ({ row: row.row, problems: row.problems as FieldProblem[] })),
    rejectedRowsTruncated: rejected.length > REJECTED_ROWS_SHOWN,
    links: { results: `/api/v1/batches/${batch.id}/results.csv` },
  };
}

/** Percent of rows settled (screened or rejected); 100 only once the batch is completed. */
export function progressOf(batch: BatchRow): number {
  if (batch.state === 'completed') return 100;
  if (batch.received === 0) return 0;
  return Math.min(99, Math.floor(((batch.screened + batch.rejected) * 100) / batch.received));
}

export function summaryOf(batch: BatchRow) {
  return {
    id: batch.id,
    kind: batch.kind,
    name: batch.name,
    format: batch.format,
    state: batch.state,
    officeCode: batch.officeCode,
    submittedBy: batch.submittedBy,
    createdAt: batch.createdAt,
    startedAt: batch.startedAt,
    completedAt: batch.completedAt,
    received: batch.received,
    progress: progressOf(batch),
  };
}

export async function listBatches(db: RootDatabase, filter: { office: string | null; limit: number; cursor: Cursor | undefined }) {
  const conditions: SQL[] = [];
  if (filter.office) conditions.push(eq(batches.officeCode, filter.office));
  if (filter.cursor) {
    const at = new Date(filter.cursor.at);
    conditions.push(or(lt(batches.createdAt, at), and(eq(batches.createdAt, at), lt(batches.id, filter.cursor.id)))!);
  }
  const rows = await db
    .select()
    .from(batches)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(batches.createdAt), desc(batches.id))
    .limit(filter.limit + 1);
  const page = pageOf(rows, filter.limit, (row) => ({ at: row.createdAt.toISOString(), id: row.id }));
  return { items: page.items.map(summaryOf), nextCursor: page.nextCursor };
}

/** Every row of a batch in row order, read in pages so memory stays flat however large the batch. */
export async function* resultRows(db: RootDatabase, batchId: string, pageSize = 2_000) {
  let after = 0;
  for (;;) {
    const page = await db
      .select({
        row: batchRows.rowNumber,
        status: batchRows.status,
        applicationId: batchRows.applicationId,
        caseId: batchRows.caseId,
        outcome: batchRows.outcome,
        score: batchRows.score,
        problems: batchRows.problems,
      })
      .from(batchRows)
      .where(and(eq(batchRows.batchId, batchId), gt(batchRows.rowNumber, after)))
      .orderBy(asc(batchRows.rowNumber))
      .limit(pageSize);
    yield* page;
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.row;
  }
}
