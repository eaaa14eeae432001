import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { applicationKind, applications, screeningOutcome } from '../applications/schema';
import { offices } from '../offices/schema';

export const batchState = pgEnum('batch_state', ['queued', 'running', 'completed']);
export const batchRowStatus = pgEnum('batch_row_status', ['pending', 'rejected', 'screened']);

/**
 * An uploaded list of departure checks or passport applications. The upload is stored whole (every
 * row in batch_rows) before the 202 answer, so workers resume from PostgreSQL after any crash; the
 * counters move in the same transactions that screen the rows.
 */
export const batches = pgTable(
  'batches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: applicationKind('kind').notNull(),
    format: text('format').notNull(),
    name: text('name'),
    state: batchState('state').notNull().default('queued'),
    officeCode: text('office_code')
      .notNull()
      .references(() => offices.code),
    submittedBy: text('submitted_by').notNull(),
    submittedRole: text('submitted_role').notNull(),
    requestId: text('request_id'),
    chunkSize: integer('chunk_size').notNull(),
    received: integer('received').notNull(),
    accepted: integer('accepted').notNull(),
    rejected: integer('rejected').notNull(),
    screened: integer('screened').notNull().default(0),
    clear: integer('clear').notNull().default(0),
    review: integer('review').notNull().default(0),
    postponeRecommended: integer('postpone_recommended').notNull().default(0),
    /** Every row is screened as if received at this moment (the engine's "now"), on every retry. */
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** Last time a chunk was stored (or work was handed out): a batch quiet for too long is re-dispatched. */
    progressAt: timestamp('progress_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('batches_office_created_idx').on(t.officeCode, t.createdAt.desc(), t.id.desc()),
    index('batches_unfinished_idx').on(t.progressAt).where(sql`${t.state} <> 'completed'`),
  ],
);

/**
 * One row of an upload, keyed by (batch, row number): the key that makes screening exactly-once.
 * A row moves from pending to screened in the transaction that stores its application.
 */
export const batchRows = pgTable(
  'batch_rows',
  {
    batchId: uuid('batch_id')
      .notNull()
      .references(() => batches.id),
    rowNumber: integer('row_number').notNull(),
    status: batchRowStatus('status').notNull(),
    /** The row as received; cleared once screened (the application keeps the normalised copy). */
    input: jsonb('input'),
    /** Why a row was rejected: field paths and messages. */
    problems: jsonb('problems'),
    applicationId: uuid('application_id').references(() => applications.id),
    caseId: uuid('case_id'),
    outcome: screeningOutcome('outcome'),
    score: integer('score'),
  },
  (t) => [
    primaryKey({ columns: [t.batchId, t.rowNumber] }),
    uniqueIndex('batch_rows_application_unique').on(t.applicationId),
    index('batch_rows_rejected_idx').on(t.batchId, t.rowNumber).where(sql`${t.status} = 'rejected'`),
    index('batch_rows_pending_idx').on(t.batchId, t.rowNumber).where(sql`${t.status} = 'pending'`),
  ],
);

export type BatchRow = typeof batches.$inferSelect;
export type BatchRowRow = typeof batchRows.$inferSelect;
