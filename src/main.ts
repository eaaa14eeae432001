import cluster, { type Worker } from 'node:cluster';
import type { Server } from 'node:http';
import { availableParallelism } from 'node:os';
import { createApp } from './app';
import { type Config, ConfigError, loadConfig } from './config';
import { connectDatabase } from './db/client';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './db/embedded';
import { runMigrations } from './db/migrate';
import { inMemoryCounters, redisCounters } from './http/rate-limit-store';
import { createJobRunner, jobRunnerOptionsOf } from './jobs';
import { createLogger, type Logger } from './logger';
import { seedReferenceOffices } from './offices/reference';
import { seedDemoUsers } from './auth/demo-users';
import { registerBackgroundJobs } from './background';
import { ActiveRuleSet } from './rulesets/registry';
import { RuleSetLoadError } from './screening/rules/loader';
import { demoAccountLines, explainStartupFailure, readyLines } from './startup';

/** How many API processes serve the port: API_PROCESSES, else one per CPU in production with Redis, else one. */
function apiProcessCount(config: Config): number {
  if (config.API_PROCESSES !== undefined) return config.API_PROCESSES;
  return config.NODE_ENV === 'production' && config.REDIS_URL ? availableParallelism() : 1;
}

/** Done once, by the first process: the database server, its schema, reference data and the first run's demo accounts. */
async function prepareDatabase(config: Config, logger: Logger): Promise<{ databaseUrl: string; embedded?: EmbeddedPostgresHandle }> {
  let embedded: EmbeddedPostgresHandle | undefined;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    logger.info({ dataDir: config.EMBEDDED_PG_DIR }, 'DATABASE_URL is not set: starting embedded PostgreSQL');
    embedded = await startEmbeddedPostgres(config.EMBEDDED_PG_DIR, config.EMBEDDED_PG_PORT, logger);
    databaseUrl = embedded.url;
  }
  const database = connectDatabase(databaseUrl, 2);
  try {
    await runMigrations(database.pool);
    await seedReferenceOffices(database.db);
    if (config.SEED_DEMO_USERS ?? embedded?.firstRun) {
      // Printed once, on the first run only: these passwords are not stored anywhere in clear.
      console.log(demoAccountLines(await seedDemoUsers(database.db)));
    }
  } finally {
    await database.close();
  }
  return { databaseUrl, embedded };
}

/** One API process: connects, follows the active rule set, works jobs where it should, and listens. Resolves with its stop. */
async function serveApi(config: Config, logger: Logger, databaseUrl: string, onListening: () => void): Promise<(signal: string) => Promise<void>> {
  const screener = ActiveRuleSet.fromDirectory(config.RULES_DIR, { logger });
  const database = connectDatabase(databaseUrl, config.DATABASE_POOL_MAX);
  // Switches to the version the database names as active, and follows publishes from now on.
  await screener.start(database.db, databaseUrl);
  const jobs = createJobRunner(config.REDIS_URL, config.QUEUE_PREFIX, logger, jobRunnerOptionsOf(config));
  // With Redis the limits are counted once for every API process (and every machine) sharing it.
  const rateLimitCounters = config.REDIS_URL ? redisCounters(config.REDIS_URL, config.QUEUE_PREFIX, logger) : inMemoryCounters;
  const deps = { config, db: database.db, jobs, logger, screener, rateLimitCounters };
  await registerBackgroundJobs(deps);
  // On the embedded defaults this process also works the jobs; elsewhere run `npm run worker` too.
  if (jobs.kind === 'in-process' || config.API_RUNS_JOBS) await jobs.startWorking();

  const server: Server = createApp(deps).listen(config.PORT, config.HOST, () => {
    logger.info({ port: config.PORT, jobs: jobs.kind, rateLimits: rateLimitCounters.kind }, 'Saring API process is listening');
    onListening();
  });
  server.on('error', (error) => {
    console.error(`Saring failed to start: ${explainStartupFailure(error).message}`);
    process.exit(1);
  });

  return async (signal) => {
    logger.info({ signal }, 'shutting down: no new connections, draining requests');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const force = setTimeout(() => server.closeAllConnections(), 10_000);
    await closed;
    clearTimeout(force);
    await jobs.close();
    await rateLimitCounters.close();
    await screener.close();
    await database.close();
  };
}

function onSignals(stop: (signal: string) => Promise<void>): void {
  let stopping = false;
  const handle = (signal: string) => {
    if (stopping) return;
    stopping = true;
    void stop(signal).then(() => process.exit(0));
  };
  process.on('SIGINT', () => handle('SIGINT'));
  process.on('SIGTERM', () => handle('SIGTERM'));
}

/**
 * Several API processes on one port (node:cluster: the primary accepts and hands connections out in
 * turn). A process that dies is replaced; one that dies before it ever listened stops them all, since
 * its successors would die the same way. A signal drains every process, then the embedded server.
 */
function superviseApiProcesses(count: number, databaseUrl: string, config: Config, logger: Logger, embedded?: EmbeddedPostgresHandle): void {
  let stopping = false;
  let listening = 0;
  const listened = new WeakSet<Worker>();
  const fork = () => {
    const worker = cluster.fork({ DATABASE_URL: databaseUrl });
    worker.on('listening', () => {
      listened.add(worker);
      if (++listening === count) console.log(readyLines(config));
    });
  };
  const stopAll = async (signal: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
    logger.info({ signal, processes: workers.length }, 'stopping every API process');
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            worker.once('exit', () => resolve());
            worker.process.kill('SIGTERM');
          }),
      ),
    );
    await embedded?.stop();
    logger.info('stopped');
    process.exit(exitCode);
  };
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    if (!listened.has(worker)) {
      logger.error({ code, signal }, 'an API process stopped before it could serve: stopping all');
      void stopAll('startup-failure', 1);
      return;
    }
    listening--;
    logger.warn({ code, signal }, 'an API process stopped unexpectedly: starting another');
    fork();
  });
  for (let i = 0; i < count; i++) fork();
  process.on('SIGINT', () => void stopAll('SIGINT', 0));
  process.on('SIGTERM', () => void stopAll('SIGTERM', 0));
}

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, config.NODE_ENV === 'development' && process.stdout.isTTY);
  if (cluster.isWorker) {
    // A process of several: the primary prepared the database and passed its URL.
    onSignals(await serveApi(config, logger, config.DATABASE_URL!, () => undefined));
    return;
  }
  // An invalid rule set stops the service before it touches anything.
  const ruleSet = ActiveRuleSet.fromDirectory(config.RULES_DIR, { logger });
  logger.info({ rules: config.RULES_DIR, ruleSetVersion: ruleSet.ruleSetVersion }, 'rule set loaded');
  const { databaseUrl, embedded } = await prepareDatabase(config, logger);
  const processes = apiProcessCount(config);
  if (processes > 1) {
    logger.info({ processes }, 'starting API processes');
    superviseApiProcesses(processes, databaseUrl, config, logger, embedded);
    return;
  }
  const stop = await serveApi(config, logger, databaseUrl, () => console.log(readyLines(config)));
  onSignals(async (signal) => {
    await stop(signal);
    await embedded?.stop();
    logger.info('stopped');
  });
}

main().catch((error) => {
  if (error instanceof ConfigError || error instanceof RuleSetLoadError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(`Saring failed to start: ${explainStartupFailure(error, { databaseUrl: process.env.DATABASE_URL }).message}`);
  process.exit(1);
});
