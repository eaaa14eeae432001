import type { AppDependencies } from './deps';
import { registerReviewJobs } from './review/jobs';
import { registerOutboxJobs } from './jobs/outbox';
import { registerBatchJobs } from './batches/jobs';
import { registerWebhookJobs } from './webhooks/jobs';
import { registerRulesetJobs } from './rulesets/jobs';
import { registerAuditJobs } from './audit/sealer';
import { registerManifestJobs } from './manifests';
import { registerNetworkJobs } from './networks/alerts';

/**
 * Registers every component's job handlers and schedules. Both the API process (in-process jobs)
 * and the worker process call this, so a job runs the same code wherever it runs.
 */
export async function registerBackgroundJobs(deps: AppDependencies): Promise<void> {
  await registerReviewJobs(deps);
  await registerOutboxJobs(deps);
  await registerBatchJobs(deps);
  await registerWebhookJobs(deps);
  await registerRulesetJobs(deps);
  await registerAuditJobs(deps);
  await registerManifestJobs(deps);
  registerNetworkJobs(deps);
}
