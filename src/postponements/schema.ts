import { sql } from 'drizzle-orm';
import { date, index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { applications } from '../applications/schema';
import { offices } from '../offices/schema';
import { postponementReasonCodes } from './reasons';

export const postponementKind = pgEnum('postponement_kind', ['departure', 'passport_issuance']);
export const postponementReason = pgEnum('postponement_reason', postponementReasonCodes);
export const followUpOutcome = pgEnum('follow_up_outcome', [
  'documents_completed',
  'departed_procedurally',
  'returned_home',
  'referred',
  'application_withdrawn',
  'other',
  // A re-review's conclusion (issue 23).
  'lifted',
  'upheld',
]);

/**
 * One deferred departure or postponed passport issuance. Never edited after it is written: what
 * happened next is appended as follow-ups.
 */
export const postponements = pgTable(
  'postponements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: postponementKind('kind').notNull(),
    applicationId: uuid('application_id').references(() => applications.id),
    caseId: uuid('case_id'),
    officeCode: text('office_code')
      .notNull()
      .references(() => offices.code),
    /** The final destination, as the application counts it. */
    destinationCountry: text('destination_country').notNull(),
    /** Countries passed through on the way (the application's), shown beside the destination. */
    viaCountries: jsonb('via_countries').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    reasonCode: postponementReason('reason_code').notNull(),
    /** The reasoned notice the applicant is told. */
    note: text('note').notNull(),
    /** Date by which the applicant may complete documents and come back (typically 30 days). */
    deadline: date('deadline'),
    decidedBy: text('decided_by').notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull().defaultNow(),
    /** The second person who approved it (four eyes); null where it took effect without one. */
    approvedBy: text('approved_by'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
  },
  (t) => [
    index('postponements_decided_idx').on(t.decidedAt.desc(), t.id.desc()),
    index('postponements_office_decided_idx').on(t.officeCode, t.decidedAt.desc()),
    index('postponements_application_idx').on(t.applicationId),
    index('postponements_approved_by_idx').on(t.approvedBy, t.decidedAt.desc()).where(sql`${t.approvedBy} IS NOT NULL`),
  ],
);

export const postponementFollowUps = pgTable(
  'postponement_follow_ups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    postponementId: uuid('postponement_id')
      .notNull()
      .references(() => postponements.id),
    outcome: followUpOutcome('outcome').notNull(),
    note: text('note'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('postponement_follow_ups_postponement_idx').on(t.postponementId, t.recordedAt)],
);

export type PostponementRow = typeof postponements.$inferSelect;

/** The verification code printed on a postponement's notice; reprints carry the same code. */
export const postponementNotices = pgTable('postponement_notices', {
  code: text('code').primaryKey(),
  postponementId: uuid('postponement_id')
    .notNull()
    .unique('postponement_notices_postponement_unique')
    .references(() => postponements.id, { onDelete: 'cascade' }),
  issuedBy: text('issued_by').notNull(),
  issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
});
