import type { AppDependencies } from '../app';

/** Registers the review queue's background jobs (SLA escalation sweep). */
export async function registerReviewJobs(_deps: AppDependencies): Promise<void> {}
