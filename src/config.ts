import ipaddr from 'ipaddr.js';
import { z } from 'zod';

/**
 * Every setting comes from the environment, is read once at start-up and validated here.
 * A bad value stops the process with a message that names the variable.
 */
const booleanFromString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
  EMBEDDED_PG_DIR: z.string().min(1).default('.data/postgres'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  QUEUE_PREFIX: z.string().min(1).default('saring'),
  /**
   * API processes serving the port together (node:cluster). Unset: one per CPU in production when
   * REDIS_URL is set (rate limits and jobs are then shared), otherwise one. More than one needs Redis.
   */
  API_PROCESSES: z.coerce.number().int().min(1).max(64).optional(),
  /** With Redis, whether the API process also consumes jobs; set false when separate workers run. */
  API_RUNS_JOBS: booleanFromString.default(true),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** The secret being rotated out: tokens it signed stay valid until they expire (JWT_TTL_SECONDS). */
  JWT_PREVIOUS_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_ISSUER: z.string().min(1).default('saring'),
  JWT_AUDIENCE: z.string().min(1).default('saring-api'),
  JWT_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(8 * 3600),
  /** Clock skew tolerated on exp/nbf; kept small so an expired or revoked-by-expiry token stops working promptly. */
  JWT_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(60).default(5),
  JWT_EXTERNAL_PUBLIC_KEY: z.string().min(1).optional(),
  JWT_EXTERNAL_ALGORITHM: z.enum(['RS256', 'ES256']).default('RS256'),
  JWT_EXTERNAL_ISSUER: z.string().min(1).optional(),
  /** Browser origins allowed to call the API cross-origin, comma-separated (https://console.example.go.id); none by default. */
  CORS_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i, 'each origin must look like https://host or https://host:port (no path, no wildcard)'))),
  BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i, 'must look like 256kb or 1mb').default('256kb'),
  CASE_LEASE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  DEPARTURE_SLA_MARGIN_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(60),
  PASSPORT_SLA_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(72),
  SLA_SWEEP_EVERY_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  RULES_DIR: z.string().min(1).default('rules/default'),
  SEED_DEMO_USERS: booleanFromString.optional(),
  /**
   * Serve Prometheus metrics at /metrics; when METRICS_TOKEN is set, scrapers must send it as a bearer
   * token. In production /metrics needs the token unless METRICS_PUBLIC=true opens it on purpose.
   */
  METRICS_ENABLED: booleanFromString.default(true),
  METRICS_TOKEN: z.string().min(16).optional(),
  METRICS_PUBLIC: booleanFromString.default(false),
  /** Failed login attempts allowed per username per 15 minutes (four times that per address); successful logins do not count. */
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Public notice verification checks (GET /api/v1/notices/:code) allowed per client address per minute. */
  NOTICE_VERIFY_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
  /** API calls allowed per signed-in user per minute. */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(1200),
  /** Background jobs (BullMQ): jobs one process runs at once; how long a job's lock lasts and how often stalled jobs (of a killed worker) are looked for. */
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  JOB_LOCK_DURATION_MS: z.coerce.number().int().min(500).max(3_600_000).default(30_000),
  JOB_STALLED_INTERVAL_MS: z.coerce.number().int().min(200).max(3_600_000).default(30_000),
  /** How often jobs recorded in PostgreSQL but not yet handed to the job runner (Redis was down) are handed over. */
  OUTBOX_SWEEP_EVERY_MS: z.coerce.number().int().min(100).max(3_600_000).default(5_000),
  /** How often committed audit records are hash-chained (sealed); GET /audit/verify counts those still waiting. */
  AUDIT_SEAL_EVERY_MS: z.coerce.number().int().min(100).max(3_600_000).default(1_000),
  /** Batch uploads: most rows per upload, rows per screening chunk, and seconds without progress before a batch's work is handed out again. */
  BATCH_MAX_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(100_000),
  BATCH_MAX_BYTES: z.string().regex(/^\d+(b|kb|mb|gb)$/i, 'must look like 200mb').default('200mb'),
  BATCH_CHUNK_SIZE: z.coerce.number().int().min(1).max(2_000).default(250),
  BATCH_STALL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(120),
  /** Webhooks: how often new events are fanned out, attempts before a delivery is dead-lettered, first retry delay (doubling), request timeout. */
  WEBHOOK_DISPATCH_EVERY_MS: z.coerce.number().int().min(100).max(3_600_000).default(2_000),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(8),
  WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(5_000),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /**
   * Webhook receivers on addresses that are not public (loopback, private, link-local, unique-local…) are
   * refused unless allowed here: host names (exact, comma-separated) whose addresses are then accepted
   * whatever they are, and/or networks in CIDR notation (10.20.0.0/16, 127.0.0.0/8, fd00::/8). None by default.
   */
  WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((host) => host.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '')).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-z0-9.:-]{1,253}$/, 'each entry must be a host name (or an address), without scheme, port or wildcard'))),
  WEBHOOK_ALLOWED_CIDRS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((cidr) => cidr.trim()).filter(Boolean))
    .pipe(z.array(z.string().refine((cidr) => ipaddr.isValidCIDR(cidr), 'each entry must be a network in CIDR notation, such as 10.20.0.0/16 or fd00::/8'))),
  /** Case attachments: largest file accepted, and where the bytes go (local folder, or S3-compatible storage when a bucket is set; credentials from the AWS_* variables). */
  ATTACHMENTS_MAX_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
  ATTACHMENTS_DIR: z.string().min(1).default('.data/attachments'),
  ATTACHMENTS_S3_BUCKET: z.string().min(3).max(63).optional(),
  ATTACHMENTS_S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  ATTACHMENTS_S3_REGION: z.string().min(1).default('us-east-1'),
  ATTACHMENTS_S3_FORCE_PATH_STYLE: booleanFromString.default(false),
  ATTACHMENTS_S3_PREFIX: z.string().max(200).default(''),
});

export type Config = z.infer<typeof configSchema> & { JWT_SECRET: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the given environment. Throws ConfigError naming every bad variable at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const config = parsed.data;
  if (config.API_PROCESSES !== undefined && config.API_PROCESSES > 1 && !config.REDIS_URL) {
    throw new ConfigError([
      `API_PROCESSES: ${config.API_PROCESSES} processes need REDIS_URL (without Redis, rate limits and background jobs live inside one process); set REDIS_URL or API_PROCESSES=1`,
    ]);
  }
  if (!config.JWT_SECRET) {
    if (config.NODE_ENV === 'production') {
      throw new ConfigError(['JWT_SECRET: required in production (at least 32 characters)']);
    }
    // Development and test get a fixed, loudly non-secret key so first runs work out of the box.
    return { ...config, JWT_SECRET: 'development-only-secret-change-me-0123456789' };
  }
  return config as Config;
}

/**
 * Who may read /metrics: scrapers with the token when METRICS_TOKEN is set; anyone when METRICS_PUBLIC
 * is true or outside production; nobody in production with neither set (queue depths, error rates and
 * office activity are not for the public internet).
 */
export function metricsAccess(config: Pick<Config, 'NODE_ENV' | 'METRICS_TOKEN' | 'METRICS_PUBLIC'>): 'token' | 'public' | 'closed' {
  if (config.METRICS_TOKEN) return 'token';
  if (config.METRICS_PUBLIC || config.NODE_ENV !== 'production') return 'public';
  return 'closed';
}
