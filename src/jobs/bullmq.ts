import { Queue, Worker } from 'bullmq';
import IORedis, { type Redis } from 'ioredis';
import type { Logger } from '../logger';
import type { EnqueueOptions, JobCounts, JobHandler, JobRunner, JobRunnerOptions } from './runner';

const QUEUE_NAME = 'saring-jobs';

/** The job transport cannot take work right now. */
export class JobRunnerUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobRunnerUnavailable';
  }
}

/** BullMQ on Redis: producers enqueue from the API, workers in any process consume. */
export class BullMqJobRunner implements JobRunner {
  readonly kind = 'bullmq' as const;
  private readonly handlers = new Map<string, JobHandler<unknown>>();
  /** Schedules this process registered, put back whenever Redis comes back (a restart may have lost them). */
  private readonly schedules = new Map<string, number>();
  private connectedBefore = false;
  private readonly connection: Redis;
  private readonly queue: Queue;
  private worker: Worker | undefined;
  /** The worker's own connection: BullMQ does not close connections it was given. */
  private workerConnection: Redis | undefined;

  constructor(
    redisUrl: string,
    private readonly prefix: string,
    private readonly logger: Logger,
    private readonly options: JobRunnerOptions = {},
  ) {
    // BullMQ workers block on Redis; maxRetriesPerRequest must be null for them.
    this.connection = new IORedis(redisUrl, { maxRetriesPerRequest: null, enableOfflineQueue: true });
    this.connection.on('error', (error) => this.logger.warn({ err: error }, 'redis connection error'));
    this.queue = new Queue(QUEUE_NAME, { connection: this.connection, prefix });
    this.queue.on('error', (error) => this.logger.warn({ err: error }, 'job queue error'));
    this.connection.on('ready', () => {
      if (this.connectedBefore) void this.restoreSchedules();
      this.connectedBefore = true;
    });
  }

  private async restoreSchedules(): Promise<void> {
    for (const [name, everyMs] of this.schedules) {
      await this.queue.upsertJobScheduler(name, { every: everyMs }, { name, data: {} }).catch((error: unknown) => {
        this.logger.warn({ err: error, job: name }, 'could not restore a job schedule after Redis reconnected');
      });
    }
  }

  register<T>(name: string, handler: JobHandler<T>): void {
    this.handlers.set(name, handler as JobHandler<unknown>);
  }

  async enqueue<T>(name: string, data: T, options: EnqueueOptions = {}): Promise<void> {
    // Once connected, a lost Redis fails an enqueue at once instead of parking it in the offline queue
    // until Redis returns (which would hang the caller, and run the job later after it gave up on it).
    // Work that must survive an outage goes through the job outbox (src/jobs/outbox.ts).
    if (this.connectedBefore && this.connection.status !== 'ready') {
      throw new JobRunnerUnavailable(`Redis is not reachable (connection ${this.connection.status}); job ${name} was not queued`);
    }
    await this.queue.add(name, data, {
      jobId: options.jobId,
      delay: options.delayMs,
      attempts: options.attempts ?? 1,
      backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 5000 },
    });
  }

  async repeat(name: string, everyMs: number): Promise<void> {
    this.schedules.set(name, everyMs);
    await this.queue.upsertJobScheduler(name, { every: everyMs }, { name, data: {} });
  }

  async startWorking(): Promise<void> {
    if (this.worker) return;
    this.worker = new Worker(
      QUEUE_NAME,
      async (job) => {
        const handler = this.handlers.get(job.name);
        if (!handler) throw new Error(`no handler registered for job ${job.name}`);
        await handler(job.data);
      },
      {
        connection: (this.workerConnection = this.connection.duplicate()),
        prefix: this.prefix,
        concurrency: this.options.concurrency ?? 4,
        // A killed worker's jobs are taken back after the lock lapses, found by the stalled check.
        ...(this.options.lockDurationMs ? { lockDuration: this.options.lockDurationMs } : {}),
        ...(this.options.stalledIntervalMs ? { stalledInterval: this.options.stalledIntervalMs } : {}),
      },
    );
    this.worker.on('failed', (job, error) =>
      this.logger.warn({ job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: error }, 'job failed'),
    );
    this.worker.on('error', (error) => this.logger.warn({ err: error }, 'worker error'));
  }

  async counts(): Promise<JobCounts | null> {
    if (this.connection.status !== 'ready') return null;
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed').catch(() => null);
    if (!counts) return null;
    return { waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0, failed: counts.failed ?? 0 };
  }

  async healthy(): Promise<boolean> {
    // With an offline queue a ping to a dead Redis would wait forever; readiness needs an answer now.
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), 1000).unref());
    const ping = this.connection.ping().then((reply) => reply === 'PONG', () => false);
    return Promise.race([ping, timeout]);
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    this.workerConnection?.disconnect();
    this.connection.disconnect();
  }
}
