import { sql } from 'drizzle-orm';
import { type AnyPgColumn, boolean, date, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { applicationKind, applications, screeningOutcome } from '../applications/schema';
import { offices } from '../offices/schema';
import { postponements } from '../postponements/schema';

export const caseState = pgEnum('case_state', ['open', 'claimed', 'pending_approval', 'decided']);
export const caseAction = pgEnum('case_action', ['clear', 'postpone', 'refer']);

/**
 * A flagged application waiting for a person. Officers claim from this table with
 * FOR UPDATE SKIP LOCKED; a claim is a lease that lapses back to `open`.
 */
export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    kind: applicationKind('kind').notNull(),
    officeCode: text('office_code')
      .notNull()
      .references(() => offices.code),
    state: caseState('state').notNull().default('open'),
    outcome: screeningOutcome('outcome').notNull(),
    score: integer('score').notNull(),
    /** Departure cases: the departure time; passport cases: when the case was opened. Earliest first. */
    priorityAt: timestamp('priority_at', { withTimezone: true }).notNull(),
    /** When the case breaches its SLA if still undecided. */
    slaDueAt: timestamp('sla_due_at', { withTimezone: true }).notNull(),
    escalated: boolean('escalated').notNull().default(false),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    assignedTo: text('assigned_to'),
    claimedBy: text('claimed_by'),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }),
    action: caseAction('action'),
    reasonCode: text('reason_code'),
    note: text('note'),
    /** A postponement's deadline for the applicant; kept on the case while it waits for approval. */
    postponementDeadline: date('postponement_deadline'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    approvedBy: text('approved_by'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    /** Set on a re-review: the postponement this case reconsiders (its outcome is a follow-up there). */
    postponementId: uuid('postponement_id').references((): AnyPgColumn => postponements.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('cases_application_unique').on(t.applicationId).where(sql`${t.postponementId} IS NULL`),
    uniqueIndex('cases_open_re_review_unique').on(t.postponementId).where(sql`${t.postponementId} IS NOT NULL AND ${t.state} <> 'decided'`),
    index('cases_queue_idx').on(t.officeCode, t.state, t.priorityAt),
    index('cases_sla_idx').on(t.state, t.slaDueAt),
    index('cases_claimed_by_idx').on(t.claimedBy),
    index('cases_re_review_idx').on(t.postponementId).where(sql`${t.postponementId} IS NOT NULL`),
  ],
);

export type CaseRow = typeof cases.$inferSelect;
