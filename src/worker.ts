import { loadConfig, ConfigError } from './config';
import { connectDatabase } from './db/client';
import { runMigrations } from './db/migrate';
import { createJobRunner, jobRunnerOptionsOf } from './jobs';
import { createLogger } from './logger';
import { registerBackgroundJobs } from './background';
import { ActiveRuleSet } from './rulesets/registry';

/** `npm run worker`: consumes background jobs from BullMQ; run as many as the load needs. */
async function main() {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  if (!config.DATABASE_URL || !config.REDIS_URL) {
    throw new ConfigError(['DATABASE_URL and REDIS_URL: a separate worker needs both (without Redis, `npm start` runs jobs in-process)']);
  }
  const database = connectDatabase(config.DATABASE_URL, config.DATABASE_POOL_MAX);
  await runMigrations(database.pool);
  const jobs = createJobRunner(config.REDIS_URL, config.QUEUE_PREFIX, logger, jobRunnerOptionsOf(config));
  const screener = ActiveRuleSet.fromDirectory(config.RULES_DIR, { logger });
  await screener.start(database.db, config.DATABASE_URL);
  await registerBackgroundJobs({ config, db: database.db, jobs, logger, screener });
  await jobs.startWorking();
  logger.info('worker started');

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'worker stopping: finishing running jobs');
    await jobs.close();
    await screener.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
