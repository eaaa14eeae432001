import type { AppDependencies } from '../deps';
import { runSlaSweep } from './sla-sweep';

export const SLA_SWEEP_JOB = 'review.sla-sweep';

/** Registers the review queue's background jobs (SLA escalation sweep). */
export async function registerReviewJobs(deps: AppDependencies): Promise<void> {
  deps.jobs.register(SLA_SWEEP_JOB, async () => {
    const result = await runSlaSweep(deps.db);
    if (result.escalated.length || result.released.length) {
      deps.logger.info({ escalated: result.escalated.length, released: result.released.length }, 'review SLA sweep');
    }
  });
  await deps.jobs.repeat(SLA_SWEEP_JOB, deps.config.SLA_SWEEP_EVERY_SECONDS * 1000);
}
