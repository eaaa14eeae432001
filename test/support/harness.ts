import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client';
import { createJobRunner, type JobRunner } from '../../src/jobs';
import { createLogger, type Logger } from '../../src/logger';
import { seedReferenceOffices } from '../../src/offices/reference';
import { createUser } from '../../src/auth/service';
import { TokenService } from '../../src/auth/tokens';
import type { Role } from '../../src/auth/schema';
import { registerBackgroundJobs } from '../../src/background';
import { loadRuleSetDirectory, type LoadedRuleSet } from '../../src/rulesets/loading';
import { ActiveRuleSet } from '../../src/rulesets/registry';
import type { ScreeningContextPort } from '../../src/screening/context';
import type { AppDependencies } from '../../src/deps';
import { dropDatabase, urlForDatabase, withAdminClient } from './databases';

export interface TestContext {
  app: Express;
  config: Config;
  database: DatabaseHandle;
  databaseName: string;
  jobs: JobRunner;
  logger: Logger;
  /** The process's active rule set (follows publishes on this database). */
  screener: ActiveRuleSet;
  tokens: TokenService;
  /** Creates a user with the role in the office and returns a bearer token for it. */
  tokenFor(role: Role, officeCode: string): Promise<string>;
  userFor(role: Role, officeCode: string): Promise<{ id: string; username: string; password: string; token: string }>;
  close(): Promise<void>;
}

let counter = 0;

/** The resolver of test contexts that bring none: no name resolves, so no test sends a DNS query. */
const noDns: NonNullable<AppDependencies['resolveHost']> = async (hostname) => {
  throw Object.assign(new Error(`tests do not resolve names (${hostname}); give createTestContext a resolveHost`), { code: 'ENOTFOUND' });
};
let defaultRules: LoadedRuleSet | undefined;

export async function createDatabaseFromTemplate(): Promise<string> {
  const template = process.env.SARING_TEST_TEMPLATE;
  const runId = process.env.SARING_TEST_RUN_ID;
  if (!template || !runId) throw new Error('test global setup did not run');
  // Jest gives every test file a fresh module registry, so a module-level counter alone would repeat
  // within one worker process: a random part keeps names unique even when a file fails to clean up.
  const name = `saring_t_${runId}_${process.pid}_${++counter}_${randomBytes(3).toString('hex')}`;
  await withAdminClient(async (client) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        return;
      } catch (error) {
        // Two files cloning the same template at the same instant: wait and try again.
        if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
  return name;
}

/**
 * A fully wired app on its own fresh database (and its own queue prefix on the real Redis).
 * With `databaseName`, a second app instance on another context's database (it does not drop it);
 * with `screeningContext`, the port that resolves screening contexts (a test wraps the real one);
 * with `resolveHost`, the resolver webhook deliveries look receiver names up with. Without one, no name
 * resolves: tests never ask real DNS, and their receivers listen on 127.0.0.1, which the webhook
 * address policy allows here only because the test configuration says so (WEBHOOK_ALLOWED_CIDRS).
 */
export async function createTestContext(
  overrides: Record<string, string> = {},
  options: { databaseName?: string; screeningContext?: ScreeningContextPort; resolveHost?: AppDependencies['resolveHost'] } = {},
): Promise<TestContext> {
  const databaseName = options.databaseName ?? (await createDatabaseFromTemplate());
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: urlForDatabase(databaseName),
    REDIS_URL: process.env.REDIS_URL,
    QUEUE_PREFIX: `saring-test-${databaseName}`,
    JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
    // Test receivers listen on loopback: allowed explicitly, as an operator allows an on-premise network.
    WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8',
    ...overrides,
  });
  const logger = createLogger(config.LOG_LEVEL);
  const database = connectDatabase(config.DATABASE_URL!, 10);
  await seedReferenceOffices(database.db);
  const jobs = createJobRunner(config.REDIS_URL, config.QUEUE_PREFIX, logger);
  defaultRules ??= loadRuleSetDirectory('rules/default');
  const screener = new ActiveRuleSet(config.RULES_DIR === 'rules/default' ? defaultRules : loadRuleSetDirectory(config.RULES_DIR), { logger });
  await screener.start(database.db, config.DATABASE_URL!);
  const deps: AppDependencies = { config, db: database.db, jobs, logger, screener, screeningContext: options.screeningContext, resolveHost: options.resolveHost ?? noDns };
  await registerBackgroundJobs(deps);
  const app = createApp(deps);
  const tokens = new TokenService(config);

  const userFor = async (role: Role, officeCode: string) => {
    const username = `${role}.${officeCode}.${randomBytes(4).toString('hex')}`.toLowerCase();
    const password = randomBytes(12).toString('base64url');
    const user = await createUser(database.db, { username, displayName: username, password, role, officeCode });
    return { id: user.id, username, password, token: tokens.issue(user).token };
  };

  return {
    app,
    config,
    database,
    databaseName,
    jobs,
    logger,
    screener,
    tokens,
    userFor,
    tokenFor: async (role, officeCode) => (await userFor(role, officeCode)).token,
    close: async () => {
      await jobs.close();
      await screener.close();
      await database.close();
      if (!options.databaseName) await withAdminClient((client) => dropDatabase(client, databaseName));
    },
  };
}

export const api = (ctx: TestContext) => request(ctx.app);
export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Rows of a SQL query on the context's own database, for checks the API does not expose. */
export async function query<T extends Record<string, unknown> = Record<string, unknown>>(ctx: TestContext, text: string, params: unknown[] = []): Promise<T[]> {
  return (await ctx.database.pool.query(text, params)).rows as T[];
}

/** POST and GET under /api/v1 with a bearer token. */
export const post = (ctx: TestContext, token: string, path: string, body: object = {}) => api(ctx).post(`/api/v1${path}`).set(bearer(token)).send(body);
export const get = (ctx: TestContext, token: string, path: string) => api(ctx).get(`/api/v1${path}`).set(bearer(token));
