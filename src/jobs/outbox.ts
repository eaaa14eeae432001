import { asc, inArray, isNull, sql } from 'drizzle-orm';
import type { AppDependencies } from '../deps';
import type { Database, RootDatabase } from '../db/client';
import type { Logger } from '../logger';
import type { EnqueueOptions, JobRunner } from './runner';
import { jobOutbox } from './schema';

export const OUTBOX_SWEEP_JOB = 'jobs.outbox-sweep';

/** How long one hand-over to the runner may take before Redis is taken to be down. */
const HAND_OVER_TIMEOUT_MS = 2_000;

/**
 * Records a job in the caller's transaction. It reaches the job runner after commit (call
 * `outboxFor(deps).kick()`), or from the outbox sweep if the runner was unreachable then.
 */
export async function recordJob<T>(tx: Database, name: string, data: T, options: Omit<EnqueueOptions, 'delayMs'> = {}): Promise<void> {
  await recordJobs(tx, [{ name, data, options }]);
}

export async function recordJobs(tx: Database, jobs: ReadonlyArray<{ name: string; data: unknown; options?: Omit<EnqueueOptions, 'delayMs'> }>): Promise<void> {
  if (jobs.length === 0) return;
  await tx.insert(jobOutbox).values(
    jobs.map(({ name, data, options = {} }) => ({
      name,
      data: data ?? {},
      jobId: options.jobId ?? null,
      attempts: options.attempts ?? null,
      backoffMs: options.backoffMs ?? null,
    })),
  );
}

class TimeoutError extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`job runner did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Hands recorded jobs to the job runner, oldest first. */
export class JobOutbox {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly db: RootDatabase,
    private readonly jobs: JobRunner,
    private readonly logger: Logger,
    private readonly handOverTimeoutMs = HAND_OVER_TIMEOUT_MS,
  ) {}

  /**
   * Hands waiting jobs over in pages, until none wait or the runner fails to take one (it is then
   * likely down; the sweep tries again later). Rows are claimed with SKIP LOCKED, so processes
   * sweeping at once hand each job over once; a hand-over that timed out may still land later, which
   * the job id (`outbox-<id>` unless given) deduplicates while the job is known to the runner.
   */
  async dispatchPending(pageSize = 200): Promise<{ dispatched: number; failed: boolean }> {
    let dispatched = 0;
    for (;;) {
      const page = await this.db.transaction(async (tx) => {
        const rows = await tx
          .select()
          .from(jobOutbox)
          .where(isNull(jobOutbox.dispatchedAt))
          .orderBy(asc(jobOutbox.id))
          .limit(pageSize)
          .for('update', { skipLocked: true });
        const handed: number[] = [];
        let failure: unknown;
        for (const row of rows) {
          try {
            await withTimeout(
              this.jobs.enqueue(row.name, row.data, {
                jobId: row.jobId ?? `outbox-${row.id}`,
                ...(row.attempts !== null ? { attempts: row.attempts } : {}),
                ...(row.backoffMs !== null ? { backoffMs: row.backoffMs } : {}),
              }),
              this.handOverTimeoutMs,
            );
            handed.push(row.id);
          } catch (error) {
            failure = error;
            await tx
              .update(jobOutbox)
              .set({ dispatchAttempts: sql`${jobOutbox.dispatchAttempts} + 1`, lastError: String((error as Error)?.message ?? error).slice(0, 500) })
              .where(sql`${jobOutbox.id} = ${row.id}`);
            break;
          }
        }
        if (handed.length > 0) await tx.update(jobOutbox).set({ dispatchedAt: new Date() }).where(inArray(jobOutbox.id, handed));
        return { count: rows.length, handed: handed.length, failure };
      });
      dispatched += page.handed;
      if (page.failure) {
        this.logger.warn({ err: page.failure, dispatched }, 'job outbox: the job runner did not take a job; the sweep will retry');
        return { dispatched, failed: true };
      }
      if (page.count < pageSize) return { dispatched, failed: false };
    }
  }

  /** Starts a hand-over now, without waiting for it (after a commit); overlapping kicks coalesce. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.dispatchPending()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.warn({ err: error }, 'job outbox hand-over failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Waits for a hand-over in progress (tests and shutdown). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }
}

const outboxes = new WeakMap<JobRunner, JobOutbox>();

/** The outbox of this process's job runner. */
export function outboxFor(deps: Pick<AppDependencies, 'db' | 'jobs' | 'logger'>): JobOutbox {
  let outbox = outboxes.get(deps.jobs);
  if (!outbox) {
    outbox = new JobOutbox(deps.db, deps.jobs, deps.logger);
    outboxes.set(deps.jobs, outbox);
  }
  return outbox;
}

/** The sweep that hands over jobs recorded while the runner was unreachable. */
export async function registerOutboxJobs(deps: AppDependencies): Promise<void> {
  deps.jobs.register(OUTBOX_SWEEP_JOB, async () => {
    const { dispatched } = await outboxFor(deps).dispatchPending();
    if (dispatched > 0) deps.logger.info({ dispatched }, 'job outbox: handed over jobs recorded earlier');
  });
  await deps.jobs.repeat(OUTBOX_SWEEP_JOB, deps.config.OUTBOX_SWEEP_EVERY_MS);
}
