import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import type { AppDependencies } from '../deps';
import { recordAudit, type Actor } from '../audit/service';
import { DomainError, unprocessable } from '../errors';
import { outboxFor, recordJobs } from '../jobs/outbox';
import type { ApplicationKind } from '../screening/application-schema';
import { readRows, type UploadFormat } from './input';
import { batchRows, batches, type BatchRow } from './schema';
import { validateRow } from './validate';
import { insertByUnnest } from '../db/unnest';

export const SCREEN_CHUNK_JOB = 'batches.screen-chunk';
export interface ScreenChunkJob {
  batchId: string;
  chunk: number;
}

/** Chunk jobs retry transient failures (a dropped database connection) before the stall sweep takes over. */
export const chunkJobOptions = { attempts: 5, backoffMs: 2_000 } as const;

/** Rows written per multi-row insert while the upload streams in. */
const INSERT_PAGE = 1_000;

/** The chunk (0-based) a row belongs to: rows 1..size are chunk 0. */
export const chunkOf = (rowNumber: number, chunkSize: number) => Math.floor((rowNumber - 1) / chunkSize);

export interface Upload {
  kind: ApplicationKind;
  format: UploadFormat;
  name: string | null;
  body: Readable;
  actor: Actor;
  requestId: string;
}

/**
 * Stores an upload as it streams in, validating each row on the way: good rows wait as `pending`,
 * bad rows are kept with their problems. Everything (the batch, its rows, the chunk jobs in the job
 * outbox) commits in one transaction, so an upload is either wholly accepted or not at all; workers
 * then only ever read PostgreSQL. The chunk jobs are handed to the job runner after commit.
 */
export async function receiveBatch(deps: AppDependencies, upload: Upload): Promise<BatchRow> {
  const { config } = deps;
  const id = randomUUID();
  const chunkSize = config.BATCH_CHUNK_SIZE;
  const batch = await deps.db.transaction(async (tx) => {
    await tx.insert(batches).values({
      id,
      kind: upload.kind,
      format: upload.format,
      name: upload.name,
      officeCode: upload.actor.officeCode,
      submittedBy: upload.actor.userId,
      submittedRole: upload.actor.role,
      requestId: upload.requestId,
      chunkSize,
      received: 0,
      accepted: 0,
      rejected: 0,
    });
    let received = 0;
    let accepted = 0;
    const chunks = new Set<number>();
    let page: Array<typeof batchRows.$inferInsert> = [];
    const flush = async () => {
      if (page.length === 0) return;
      // One array per column rather than one parameter per value: 5,000 rows insert in a few statements.
      await tx.execute(insertByUnnest(batchRows, page));
      page = [];
    };
    for await (const row of readRows(upload.format, upload.kind, upload.body)) {
      received = row.rowNumber;
      if (received > config.BATCH_MAX_ROWS) {
        throw new DomainError('TOO_MANY_ROWS', `A batch holds at most ${config.BATCH_MAX_ROWS} rows; split the file`);
      }
      const validation = row.problems ? { ok: false as const, problems: row.problems } : validateRow(upload.kind, row.value);
      if (validation.ok) {
        accepted++;
        chunks.add(chunkOf(row.rowNumber, chunkSize));
        page.push({ batchId: id, rowNumber: row.rowNumber, status: 'pending', input: row.value, problems: null });
      } else {
        // Rejected rows keep only their problems: the sender has the row, and personal data stays out.
        page.push({ batchId: id, rowNumber: row.rowNumber, status: 'rejected', input: null, problems: validation.problems });
      }
      if (page.length >= INSERT_PAGE) await flush();
    }
    await flush();
    if (received === 0) throw unprocessable('The upload holds no rows');

    const done = accepted === 0;
    const [stored] = await tx
      .update(batches)
      .set({
        received,
        accepted,
        rejected: received - accepted,
        ...(done ? { state: 'completed' as const, startedAt: new Date(), completedAt: new Date() } : {}),
      })
      .where(eq(batches.id, id))
      .returning();
    await recordAudit(tx, {
      actor: upload.actor,
      action: 'batch.received',
      targetType: 'batch',
      targetId: id,
      after: { kind: upload.kind, format: upload.format, received, accepted, rejected: received - accepted },
      requestId: upload.requestId,
    });
    await recordJobs(
      tx,
      [...chunks].map((chunk) => ({ name: SCREEN_CHUNK_JOB, data: { batchId: id, chunk } satisfies ScreenChunkJob, options: chunkJobOptions })),
    );
    return stored!;
  });
  outboxFor(deps).kick();
  return batch;
}
