import { z } from 'zod';
import type { AppDependencies } from '../deps';
import { BACKTEST_JOB, runBacktest } from './backtest';
import { RESCREEN_JOB, runRescreen } from './rescreen';

const backtestJob = z.object({ backtestId: z.uuid() });
const rescreenJob = z.object({
  rescreenId: z.uuid(),
  actor: z.object({ userId: z.string(), role: z.string(), officeCode: z.string() }).nullable(),
});

/** Registers the rule-set jobs: backtests of large ranges and re-screens of open cases. */
export async function registerRulesetJobs(deps: AppDependencies): Promise<void> {
  deps.jobs.register(BACKTEST_JOB, async (data) => {
    const { backtestId } = backtestJob.parse(data);
    await runBacktest(deps.db, backtestId, deps.logger);
  });
  deps.jobs.register(RESCREEN_JOB, async (data) => {
    const { rescreenId, actor } = rescreenJob.parse(data);
    await runRescreen(deps.db, rescreenId, actor, deps.logger);
  });
}
