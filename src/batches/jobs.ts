import { sql } from 'drizzle-orm';
import type { AppDependencies } from '../deps';
import { outboxFor, recordJobs } from '../jobs/outbox';
import { screenChunk } from './screen-chunk';
import { chunkJobOptions, SCREEN_CHUNK_JOB, type ScreenChunkJob } from './upload';

export const BATCH_SWEEP_JOB = 'batches.sweep';

/**
 * Finds unfinished batches that made no progress for BATCH_STALL_SECONDS while their chunk jobs are
 * not waiting in the job outbox (so the jobs were lost, e.g. Redis restarted without persistence, or
 * failed every attempt), and hands out their unfinished chunks again. Screening is exactly-once per
 * row whatever runs twice, so a slow chunk that is handed out again costs only a little work.
 */
export async function sweepStalledBatches(deps: AppDependencies): Promise<{ batches: number; chunks: number }> {
  const stallSeconds = deps.config.BATCH_STALL_SECONDS;
  const result = await deps.db.transaction(async (tx) => {
    const stalled = await tx.execute<{ id: string; chunk_size: number }>(sql`
      SELECT b.id, b.chunk_size FROM batches b
      WHERE b.state <> 'completed'
        AND b.progress_at < now() - make_interval(secs => ${stallSeconds})
        AND NOT EXISTS (
          SELECT 1 FROM job_outbox o
          WHERE o.dispatched_at IS NULL AND o.name = ${SCREEN_CHUNK_JOB} AND o.data->>'batchId' = b.id::text)
      ORDER BY b.progress_at
      LIMIT 20
      FOR UPDATE OF b SKIP LOCKED`);
    let chunks = 0;
    for (const batch of stalled.rows) {
      const pending = await tx.execute<{ chunk: number }>(sql`
        SELECT DISTINCT (row_number - 1) / ${batch.chunk_size}::int AS chunk
        FROM batch_rows WHERE batch_id = ${batch.id} AND status = 'pending' ORDER BY chunk`);
      await recordJobs(
        tx,
        pending.rows.map(({ chunk }) => ({ name: SCREEN_CHUNK_JOB, data: { batchId: batch.id, chunk: Number(chunk) } satisfies ScreenChunkJob, options: chunkJobOptions })),
      );
      await tx.execute(sql`UPDATE batches SET progress_at = now() WHERE id = ${batch.id}`);
      chunks += pending.rows.length;
    }
    return { batches: stalled.rows.length, chunks };
  });
  if (result.batches > 0) {
    deps.logger.warn(result, 'batches without progress: their unfinished chunks were handed out again');
    outboxFor(deps).kick();
  }
  return result;
}

/** Registers batch screening (one job per chunk) and the stall sweep. */
export async function registerBatchJobs(deps: AppDependencies): Promise<void> {
  deps.jobs.register<ScreenChunkJob>(SCREEN_CHUNK_JOB, async (job) => {
    const done = await screenChunk(deps, job);
    // Rows whose `linked` rules fired recorded cluster alert jobs with the chunk: hand them over now.
    if (done.screened) outboxFor(deps).kick();
    if (done.screened || done.rejected) deps.logger.debug({ batchId: job.batchId, chunk: job.chunk, ...done }, 'batch chunk screened');
  });
  deps.jobs.register(BATCH_SWEEP_JOB, async () => {
    await sweepStalledBatches(deps);
  });
  await deps.jobs.repeat(BATCH_SWEEP_JOB, Math.max(500, Math.min(60_000, (deps.config.BATCH_STALL_SECONDS * 1000) / 2)));
}
