import { sql } from 'drizzle-orm';
import { date, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { offices } from '../offices/schema';
import { postponements } from '../postponements/schema';

/**
 * One person on the subject-of-interest list: barred from re-applying between `barFrom` and
 * `barUntil` (exclusive), keyed by NIK, passport number or name with date of birth (at least one).
 * Never deleted: revoking keeps the row, so decisions citing it stay explainable (migration
 * 0055_subjects_of_interest).
 */
export const subjectsOfInterest = pgTable(
  'subjects_of_interest',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    nik: text('nik'),
    passportNumber: text('passport_number'),
    fullName: text('full_name'),
    dateOfBirth: date('date_of_birth'),
    nameKey: text('name_key').generatedAlwaysAs(sql`saring_name_key("full_name")`),
    reason: text('reason').notNull(),
    /** Where the decision to bar came from (a postponement, a case number, a referral). */
    source: text('source').notNull(),
    note: text('note'),
    barFrom: timestamp('bar_from', { withTimezone: true }).notNull().defaultNow(),
    /** Exclusive. */
    barUntil: timestamp('bar_until', { withTimezone: true }).notNull(),
    /** The office that barred the person; the bar applies at every office. */
    officeCode: text('office_code')
      .notNull()
      .references(() => offices.code),
    /** The postponement it was added from, when it was. */
    postponementId: uuid('postponement_id').references(() => postponements.id),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: text('revoked_by'),
    revokeReason: text('revoke_reason'),
  },
  (t) => [
    index('subjects_of_interest_nik_idx').on(t.nik).where(sql`${t.nik} IS NOT NULL`),
    index('subjects_of_interest_passport_idx').on(t.passportNumber).where(sql`${t.passportNumber} IS NOT NULL`),
    index('subjects_of_interest_name_dob_idx').on(t.nameKey, t.dateOfBirth).where(sql`${t.nameKey} IS NOT NULL AND ${t.dateOfBirth} IS NOT NULL`),
    index('subjects_of_interest_created_idx').on(t.createdAt.desc(), t.id.desc()),
    index('subjects_of_interest_office_created_idx').on(t.officeCode, t.createdAt.desc(), t.id.desc()),
  ],
);

export type SubjectEntryRow = typeof subjectsOfInterest.$inferSelect;
