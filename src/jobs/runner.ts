/**
 * Background work behind one small interface. With REDIS_URL it runs on BullMQ (any number of worker
 * processes); without it, the same handlers run inside the API process. PostgreSQL stays the truth:
 * a job only ever carries ids and parameters, never the only copy of anything.
 */
export type JobHandler<T = unknown> = (data: T) => Promise<void>;

export interface EnqueueOptions {
  /** Deduplicates: a job with the same id that is still waiting or running is not added twice. */
  jobId?: string;
  delayMs?: number;
  attempts?: number;
  backoffMs?: number;
}

export interface JobRunner {
  readonly kind: 'bullmq' | 'in-process';
  register<T>(name: string, handler: JobHandler<T>): void;
  enqueue<T>(name: string, data: T, options?: EnqueueOptions): Promise<void>;
  /** Runs `name` every `everyMs`, once across all processes sharing the queue. */
  repeat(name: string, everyMs: number): Promise<void>;
  /** Starts consuming jobs in this process (workers); producers need not call it. */
  startWorking(): Promise<void>;
  /** True when the job transport is reachable. */
  healthy(): Promise<boolean>;
  /** Jobs by state, for metrics; null when the transport cannot be asked right now. */
  counts(): Promise<JobCounts | null>;
  close(): Promise<void>;
}

export interface JobCounts {
  waiting: number;
  active: number;
  delayed: number;
  /** Failed after their last attempt (BullMQ: kept in the failed set; in-process: since start). */
  failed: number;
}

export interface JobRunnerOptions {
  /** Jobs one process runs at once. */
  concurrency?: number;
  /** BullMQ: how long a running job's lock lasts before another worker may take it back. */
  lockDurationMs?: number;
  /** BullMQ: how often workers look for jobs whose lock lapsed (their worker died). */
  stalledIntervalMs?: number;
}
