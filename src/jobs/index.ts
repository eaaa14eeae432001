import type { Logger } from '../logger';
import { BullMqJobRunner } from './bullmq';
import { InProcessJobRunner } from './in-process';
import type { Config } from '../config';
import type { JobRunner, JobRunnerOptions } from './runner';

export function createJobRunner(redisUrl: string | undefined, prefix: string, logger: Logger, options: JobRunnerOptions = {}): JobRunner {
  if (redisUrl) return new BullMqJobRunner(redisUrl, prefix, logger, options);
  logger.info('REDIS_URL is not set: background jobs run inside this process (not distributed)');
  return new InProcessJobRunner(logger, options.concurrency);
}

/** The job runner settings from the configuration. */
export const jobRunnerOptionsOf = (config: Config): JobRunnerOptions => ({
  concurrency: config.JOB_CONCURRENCY,
  lockDurationMs: config.JOB_LOCK_DURATION_MS,
  stalledIntervalMs: config.JOB_STALLED_INTERVAL_MS,
});

export type { JobRunner, JobHandler, EnqueueOptions, JobRunnerOptions } from './runner';
