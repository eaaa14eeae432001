import type { Logger } from '../logger';
import type { EnqueueOptions, JobCounts, JobHandler, JobRunner } from './runner';

/** Runs jobs in this process on the event loop; used when no Redis is configured. */
export class InProcessJobRunner implements JobRunner {
  readonly kind = 'in-process' as const;
  private readonly handlers = new Map<string, JobHandler<unknown>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly pendingIds = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private working = false;
  private closed = false;
  /** Enqueued jobs running now, and the ones waiting for a free slot (at most `concurrency` run at once). */
  private active = 0;
  private failed = 0;
  /** Enqueued jobs whose delay or retry backoff has not passed yet. */
  private delayed = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly logger: Logger,
    private readonly concurrency = 4,
  ) {}

  register<T>(name: string, handler: JobHandler<T>): void {
    this.handlers.set(name, handler as JobHandler<unknown>);
  }

  async enqueue<T>(name: string, data: T, options: EnqueueOptions = {}): Promise<void> {
    if (this.closed) throw new Error('job runner is closed');
    if (options.jobId) {
      if (this.pendingIds.has(options.jobId)) return;
      this.pendingIds.add(options.jobId);
    }
    this.schedule(() => this.runWithRetries(name, data, options, 1), options.delayMs ?? 0);
  }

  async repeat(name: string, everyMs: number): Promise<void> {
    const timer = setInterval(() => {
      if (this.working) void this.runOnce(name, undefined).catch(() => undefined);
    }, everyMs);
    timer.unref();
    this.timers.add(timer);
  }

  async startWorking(): Promise<void> {
    this.working = true;
  }

  async healthy(): Promise<boolean> {
    return !this.closed;
  }

  async counts(): Promise<JobCounts> {
    return { waiting: this.waiting.length, active: this.active, delayed: this.delayed, failed: this.failed };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private schedule(task: () => Promise<void>, delayMs: number) {
    this.delayed++;
    const timer = setTimeout(() => {
      this.delayed--;
      this.timers.delete(timer);
      const run = task().finally(() => this.running.delete(run));
      this.running.add(run);
    }, delayMs);
    this.timers.add(timer);
  }

  private async runLimited(name: string, data: unknown): Promise<void> {
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      await this.runOnce(name, data);
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  private async runWithRetries<T>(name: string, data: T, options: EnqueueOptions, attempt: number): Promise<void> {
    try {
      await this.runLimited(name, data);
      if (options.jobId) this.pendingIds.delete(options.jobId);
    } catch (error) {
      const attempts = options.attempts ?? 1;
      if (attempt < attempts && !this.closed) {
        const backoff = (options.backoffMs ?? 1000) * 2 ** (attempt - 1);
        this.schedule(() => this.runWithRetries(name, data, options, attempt + 1), backoff);
        return;
      }
      if (options.jobId) this.pendingIds.delete(options.jobId);
      this.failed++;
      this.logger.error({ err: error, job: name, attempt }, 'in-process job failed');
    }
  }

  private async runOnce(name: string, data: unknown): Promise<void> {
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`no handler registered for job ${name}`);
    await handler(data);
  }
}
