import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The job outbox: a job a request (or any transaction) wants run is first written here, in that
 * transaction, and only then handed to the job runner. If Redis is down at that moment nothing is
 * lost: the outbox sweep hands the job over when it returns. Handlers must be idempotent, because a
 * job can reach the runner more than once (a hand-over that timed out may still land).
 */
export const jobOutbox = pgTable(
  'job_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    name: text('name').notNull(),
    data: jsonb('data').notNull(),
    /** Deduplication id passed to the runner; defaults to `outbox-<id>`. */
    jobId: text('job_id'),
    attempts: integer('attempts'),
    backoffMs: integer('backoff_ms'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the runner accepted the job; null while it waits for the runner. */
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
    dispatchAttempts: integer('dispatch_attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [index('job_outbox_pending_idx').on(t.id).where(sql`${t.dispatchedAt} is null`)],
);

export type JobOutboxRow = typeof jobOutbox.$inferSelect;
