import type { Server } from 'node:http';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { connectDatabase } from './db/client';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './db/embedded';
import { runMigrations } from './db/migrate';
import { createJobRunner, jobRunnerOptionsOf } from './jobs';
import { createLogger } from './logger';
import { seedReferenceOffices } from './offices/reference';
import { seedDemoUsers } from './auth/demo-users';
import { registerBackgroundJobs } from './background';
import { ActiveRuleSet } from './rulesets/registry';
import { RuleSetLoadError } from './screening/rules/loader';
import { demoAccountLines, explainStartupFailure, readyLines } from './startup';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, config.NODE_ENV === 'development' && process.stdout.isTTY);
  // An invalid rule set stops the service before it touches anything.
  const screener = ActiveRuleSet.fromDirectory(config.RULES_DIR, { logger });
  logger.info({ rules: config.RULES_DIR, ruleSetVersion: screener.ruleSetVersion }, 'rule set loaded');

  let embedded: EmbeddedPostgresHandle | undefined;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    logger.info({ dataDir: config.EMBEDDED_PG_DIR }, 'DATABASE_URL is not set: starting embedded PostgreSQL');
    embedded = await startEmbeddedPostgres(config.EMBEDDED_PG_DIR, config.EMBEDDED_PG_PORT, logger);
    databaseUrl = embedded.url;
  }

  const database = connectDatabase(databaseUrl, config.DATABASE_POOL_MAX);
  await runMigrations(database.pool);
  await seedReferenceOffices(database.db);
  // Switches to the version the database names as active, and follows publishes from now on.
  await screener.start(database.db, databaseUrl);
  if (config.SEED_DEMO_USERS ?? embedded?.firstRun) {
    const logins = await seedDemoUsers(database.db);
    // Printed once, on the first run only: these passwords are not stored anywhere in clear.
    console.log(demoAccountLines(logins));
  }

  const jobs = createJobRunner(config.REDIS_URL, config.QUEUE_PREFIX, logger, jobRunnerOptionsOf(config));
  const deps = { config, db: database.db, jobs, logger, screener };
  await registerBackgroundJobs(deps);
  // On the embedded defaults this process also works the jobs; elsewhere run `npm run worker` too.
  if (jobs.kind === 'in-process' || config.API_RUNS_JOBS) await jobs.startWorking();

  const app = createApp(deps);
  const server: Server = app.listen(config.PORT, config.HOST, () => {
    logger.info({ port: config.PORT, jobs: jobs.kind, database: embedded ? 'embedded' : 'external' }, 'Saring is listening');
    console.log(readyLines(config));
  });
  server.on('error', (error) => {
    console.error(`Saring failed to start: ${explainStartupFailure(error).message}`);
    process.exit(1);
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, draining requests');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const force = setTimeout(() => server.closeAllConnections(), 10_000);
    await closed;
    clearTimeout(force);
    await jobs.close();
    await screener.close();
    await database.close();
    await embedded?.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  if (error instanceof ConfigError || error instanceof RuleSetLoadError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(`Saring failed to start: ${explainStartupFailure(error, { databaseUrl: process.env.DATABASE_URL }).message}`);
  process.exit(1);
});
