import type { AppDependencies } from '../deps';
import { deliverWebhook } from './deliver';
import { DELIVER_JOB, fanOutEvents, redispatchOverdueDeliveries, type DeliverJob } from './dispatch';

export const WEBHOOK_DISPATCH_JOB = 'webhooks.dispatch';

/** Registers webhook delivery and the dispatcher that fans captured events out every WEBHOOK_DISPATCH_EVERY_MS. */
export async function registerWebhookJobs(deps: AppDependencies): Promise<void> {
  deps.jobs.register<DeliverJob>(DELIVER_JOB, (job) => deliverWebhook(deps, job));
  deps.jobs.register(WEBHOOK_DISPATCH_JOB, async () => {
    for (;;) {
      const { events } = await fanOutEvents(deps);
      if (events === 0) break;
    }
    await redispatchOverdueDeliveries(deps);
  });
  await deps.jobs.repeat(WEBHOOK_DISPATCH_JOB, deps.config.WEBHOOK_DISPATCH_EVERY_MS);
}
