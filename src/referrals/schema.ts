import { date, index, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { applications } from '../applications/schema';
import { offices } from '../offices/schema';
import { cases } from '../review/schema';

export const referralAgency = pgEnum('referral_agency', ['kp2mi_bp3mi', 'lpsk', 'police_anti_trafficking', 'iom', 'social_services', 'embassy']);
export const referralStatus = pgEnum('referral_status', ['sent', 'acknowledged', 'closed']);
export const referralOutcome = pgEnum('referral_outcome', ['assisted', 'returned_home', 'legal_process', 'declined_by_person', 'no_contact', 'other']);

/** A traveller referred to a protection agency by a `refer` decision. Never a watchlist entry. */
export const referrals = pgTable(
  'referrals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    officeCode: text('office_code')
      .notNull()
      .references(() => offices.code),
    agency: referralAgency('agency').notNull(),
    /** Which unit or embassy, e.g. "BP3MI Banten" or "KBRI Phnom Penh". */
    agencyDetail: text('agency_detail'),
    indicators: text('indicators').array().notNull().default([]),
    reasonCode: text('reason_code').notNull(),
    details: text('details'),
    status: referralStatus('status').notNull().default('sent'),
    outcome: referralOutcome('outcome'),
    dueDate: date('due_date').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    index('referrals_office_status_idx').on(t.officeCode, t.status, t.dueDate),
    index('referrals_created_idx').on(t.createdAt, t.id),
    index('referrals_application_idx').on(t.applicationId),
  ],
);

/** Every status change of a referral, oldest first: its history. */
export const referralEvents = pgTable(
  'referral_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id, { onDelete: 'cascade' }),
    status: referralStatus('status').notNull(),
    outcome: referralOutcome('outcome'),
    note: text('note'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('referral_events_referral_idx').on(t.referralId, t.recordedAt)],
);

export type ReferralRow = typeof referrals.$inferSelect;
