import { and, asc, between, eq, sql } from 'drizzle-orm';
import type { AppDependencies } from '../deps';
import { recordAudit } from '../audit/service';
import { outboxFor, recordJobs } from '../jobs/outbox';
import { manifestPassengerSchema, type ScreenedItem } from '../screening/application-schema';
import { databaseScreeningContext } from '../screening/context';
import { MANIFEST_CHUNK_JOB, manifestChunkJobOptions, type ManifestChunkJob } from './receive';
import { manifestPassengers, manifests } from './schema';

export const MANIFEST_SWEEP_JOB = 'manifests.sweep';

/**
 * Screens the pending passengers of one chunk of a manifest, exactly once per passenger however often
 * the job runs (as batch chunks are): decide outside a transaction with the manifest's receipt time as
 * "now", then lock the rows, keep those still pending, and store decisions and counters together.
 */
export async function screenManifestChunk(deps: AppDependencies, job: ManifestChunkJob): Promise<{ screened: number }> {
  const { db } = deps;
  const [manifest] = await db.select().from(manifests).where(eq(manifests.id, job.manifestId)).limit(1);
  if (!manifest || manifest.state === 'completed') return { screened: 0 };
  const first = job.chunk * manifest.chunkSize + 1;
  const inChunk = and(eq(manifestPassengers.manifestId, manifest.id), between(manifestPassengers.ordinal, first, first + manifest.chunkSize - 1), eq(manifestPassengers.status, 'pending'));
  const pending = await db.select({ id: manifestPassengers.id, data: manifestPassengers.data }).from(manifestPassengers).where(inChunk).orderBy(asc(manifestPassengers.ordinal));
  if (pending.length === 0) return { screened: 0 };

  const receivedAt = manifest.receivedAt;
  const items: ScreenedItem[] = pending.map((row) => ({ kind: 'manifest', data: manifestPassengerSchema.parse(row.data) }));
  // One rule-set version for the chunk's context and its evaluation (a publish in between must not mix them).
  const version = deps.screener.current();
  const port = deps.screeningContext ?? databaseScreeningContext;
  const contexts = await port.resolve(db, items, receivedAt, version.requirements);
  const decisions = items.map((item, i) => version.screen(item, receivedAt, contexts[i]));

  return db.transaction(async (tx) => {
    const locked = await tx.select({ id: manifestPassengers.id }).from(manifestPassengers).where(inChunk).for('update');
    const stillPending = new Set(locked.map((row) => row.id));
    const toStore = pending.flatMap((row, i) => (stillPending.has(row.id) ? [{ id: row.id, decision: decisions[i]! }] : []));
    if (toStore.length === 0) return { screened: 0 };
    await tx.select({ id: manifests.id }).from(manifests).where(eq(manifests.id, manifest.id)).for('update');
    await tx.execute(sql`
      UPDATE manifest_passengers AS p
      SET status = 'screened', outcome = v.outcome, score = v.score, hits = v.hits, rule_set_version = v.version, screened_at = now()
      FROM unnest(${sql.param(toStore.map((row) => row.id))}::uuid[], ${sql.param(toStore.map((row) => row.decision.outcome))}::screening_outcome[],
                  ${sql.param(toStore.map((row) => row.decision.score))}::int[], ${sql.param(toStore.map((row) => JSON.stringify(row.decision.hits)))}::jsonb[],
                  ${sql.param(toStore.map((row) => row.decision.ruleSetVersion))}::text[]) AS v(id, outcome, score, hits, version)
      WHERE p.id = v.id`);
    const n = toStore.length;
    const flagged = toStore.filter((row) => row.decision.outcome !== 'CLEAR').length;
    const [after] = await tx
      .update(manifests)
      .set({
        screened: sql`${manifests.screened} + ${n}`,
        flagged: sql`${manifests.flagged} + ${flagged}`,
        state: sql`CASE WHEN ${manifests.screened} + ${n} >= ${manifests.toScreen} THEN 'completed' ELSE 'screening' END::manifest_state`,
        completedAt: sql`CASE WHEN ${manifests.screened} + ${n} >= ${manifests.toScreen} THEN now() END`,
        progressAt: sql`now()`,
      })
      .where(eq(manifests.id, manifest.id))
      .returning();
    if (after?.state === 'completed') {
      await recordAudit(tx, {
        actor: null,
        action: 'manifest.screened',
        targetType: 'manifest',
        targetId: manifest.id,
        after: { passengers: after.passengers, screened: after.screened, flagged: after.flagged },
        requestId: manifest.requestId,
      });
    }
    return { screened: n };
  });
}

/** Hands out again the unfinished chunks of manifests without progress whose jobs are no longer waiting (as for batches). */
export async function sweepStalledManifests(deps: AppDependencies): Promise<{ manifests: number; chunks: number }> {
  const stallSeconds = deps.config.BATCH_STALL_SECONDS;
  const result = await deps.db.transaction(async (tx) => {
    const stalled = await tx.execute<{ id: string; chunk_size: number }>(sql`
      SELECT m.id, m.chunk_size FROM manifests m
      WHERE m.state <> 'completed' AND m.progress_at < now() - make_interval(secs => ${stallSeconds})
        AND NOT EXISTS (SELECT 1 FROM job_outbox o WHERE o.dispatched_at IS NULL AND o.name = ${MANIFEST_CHUNK_JOB} AND o.data->>'manifestId' = m.id::text)
      ORDER BY m.progress_at LIMIT 20
      FOR UPDATE OF m SKIP LOCKED`);
    let chunks = 0;
    for (const manifest of stalled.rows) {
      const pending = await tx.execute<{ chunk: number }>(sql`
        SELECT DISTINCT (ordinal - 1) / ${manifest.chunk_size}::int AS chunk FROM manifest_passengers
        WHERE manifest_id = ${manifest.id} AND status = 'pending' ORDER BY chunk`);
      await recordJobs(
        tx,
        pending.rows.map(({ chunk }) => ({ name: MANIFEST_CHUNK_JOB, data: { manifestId: manifest.id, chunk: Number(chunk) } satisfies ManifestChunkJob, options: manifestChunkJobOptions })),
      );
      await tx.execute(sql`UPDATE manifests SET progress_at = now() WHERE id = ${manifest.id}`);
      chunks += pending.rows.length;
    }
    return { manifests: stalled.rows.length, chunks };
  });
  if (result.manifests > 0) {
    deps.logger.warn(result, 'manifests without progress: their unfinished chunks were handed out again');
    outboxFor(deps).kick();
  }
  return result;
}

export async function registerManifestJobs(deps: AppDependencies): Promise<void> {
  deps.jobs.register<ManifestChunkJob>(MANIFEST_CHUNK_JOB, async (job) => {
    await screenManifestChunk(deps, job);
  });
  deps.jobs.register(MANIFEST_SWEEP_JOB, async () => {
    await sweepStalledManifests(deps);
  });
  await deps.jobs.repeat(MANIFEST_SWEEP_JOB, Math.max(500, Math.min(60_000, (deps.config.BATCH_STALL_SECONDS * 1000) / 2)));
}
