import { bigserial, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { applicationKind } from '../applications/schema';

/**
 * Every rule set Saring has ever known, keyed by its content hash (ruleSetVersion from the engine).
 * A row is never changed in content: the version is the hash of the files, so editing means uploading
 * a new version. Which version screens new applications is decided by rule_set_activations.
 */
export const ruleSets = pgTable(
  'rule_sets',
  {
    version: text('version').primaryKey(),
    name: text('name').notNull(),
    description: text('description'),
    /** The YAML and list files as uploaded (or read from rules/), keyed by path relative to the set. */
    files: jsonb('files').$type<Record<string, string>>().notNull(),
    ruleCount: integer('rule_count').notNull(),
    /** 'directory' (registered at start-up from RULES_DIR) or 'upload' (an administrator's draft). */
    source: text('source').notNull(),
    note: text('note'),
    /** The set's own rule-level tests (tests/*.yaml) when it came with any: counts and failures. */
    tests: jsonb('tests'),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the version first screened live applications; null while it is only a draft. */
    firstPublishedAt: timestamp('first_published_at', { withTimezone: true }),
    /** The latest fairness report computed for this version (by a backtest), with its range. */
    fairness: jsonb('fairness'),
    fairnessBacktestId: uuid('fairness_backtest_id'),
  },
  (t) => [index('rule_sets_created_idx').on(t.createdAt.desc(), t.version.desc())],
);

export const ruleSetActivationAction = pgEnum('rule_set_activation_action', ['initial', 'publish', 'rollback']);

/**
 * Append-only history of which version is active. The newest row names the active version; replaying
 * the rows as a stack (publish pushes, rollback pops) tells what a rollback returns to.
 */
export const ruleSetActivations = pgTable('rule_set_activations', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  version: text('version')
    .notNull()
    .references(() => ruleSets.version),
  previousVersion: text('previous_version'),
  action: ruleSetActivationAction('action').notNull(),
  actorId: text('actor_id'),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
});

export const ruleSetRunState = pgEnum('rule_set_run_state', ['queued', 'running', 'done', 'failed']);

/** A backtest: a version (and a baseline) re-evaluated over stored applications, read-only. */
export const ruleSetBacktests = pgTable(
  'rule_set_backtests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    version: text('version')
      .notNull()
      .references(() => ruleSets.version),
    baselineVersion: text('baseline_version')
      .notNull()
      .references(() => ruleSets.version),
    rangeFrom: timestamp('range_from', { withTimezone: true }).notNull(),
    rangeTo: timestamp('range_to', { withTimezone: true }).notNull(),
    /** null: both kinds. */
    kind: applicationKind('kind'),
    state: ruleSetRunState('state').notNull().default('queued'),
    /** 'request' (an administrator asked) or 'publish' (computed after publishing, for the fairness report). */
    trigger: text('trigger').notNull(),
    /** Applications in the range when the backtest was requested. */
    total: integer('total').notNull(),
    processed: integer('processed').notNull().default(0),
    report: jsonb('report'),
    error: text('error'),
    requestedBy: text('requested_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('rule_set_backtests_version_idx').on(t.version, t.createdAt.desc())],
);

/** A re-screen of the open review cases under a published version; each one adds a linked decision. */
export const ruleSetRescreens = pgTable(
  'rule_set_rescreens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    version: text('version')
      .notNull()
      .references(() => ruleSets.version),
    /** null: every office. */
    officeCode: text('office_code'),
    kind: applicationKind('kind'),
    state: ruleSetRunState('state').notNull().default('queued'),
    /** Open cases when the re-screen was requested. */
    total: integer('total').notNull(),
    processed: integer('processed').notNull().default(0),
    /** New decisions written. */
    rescreened: integer('rescreened').notNull().default(0),
    /** Of those, how many changed the outcome. */
    outcomeChanged: integer('outcome_changed').notNull().default(0),
    /** Cases whose latest decision already had this version (nothing written). */
    alreadyCurrent: integer('already_current').notNull().default(0),
    /** Cases whose stored application could not be evaluated. */
    failed: integer('failed').notNull().default(0),
    error: text('error'),
    requestedBy: text('requested_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('rule_set_rescreens_version_idx').on(t.version, t.createdAt.desc())],
);

export type RuleSetRow = typeof ruleSets.$inferSelect;
export type RuleSetActivationRow = typeof ruleSetActivations.$inferSelect;
export type RuleSetBacktestRow = typeof ruleSetBacktests.$inferSelect;
export type RuleSetRescreenRow = typeof ruleSetRescreens.$inferSelect;
