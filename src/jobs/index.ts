import type { Logger } from '../logger';
import { BullMqJobRunner } from './bullmq';
import { InProcessJobRunner } from './in-process';
import type { JobRunner } from './runner';

export function createJobRunner(redisUrl: string | undefined, prefix: string, logger: Logger): JobRunner {
  if (redisUrl) return new BullMqJobRunner(redisUrl, prefix, logger);
  logger.info('REDIS_URL is not set: background jobs run inside this process (not distributed)');
  return new InProcessJobRunner(logger);
}

export type { JobRunner, JobHandler, EnqueueOptions } from './runner';
