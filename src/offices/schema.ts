import { boolean, integer, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const officeKind = pgEnum('office_kind', ['checkpoint', 'passport_office', 'headquarters']);

/**
 * A place where people work: an airport/seaport checkpoint (TPI), a passport office (Kantor Imigrasi),
 * or headquarters, whose supervisors and admins see every office.
 */
export const offices = pgTable('offices', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  kind: officeKind('kind').notNull(),
  timezone: text('timezone').notNull().default('Asia/Jakarta'),
  /**
   * When true (the default since migration 0040), a postponement decided in this office waits for a
   * second person's approval. An admin may turn it off per office (PATCH /offices/:code, audited).
   */
  requiresPostponementApproval: boolean('requires_postponement_approval').notNull().default(true),
  /** Review SLA for passport cases in this office; null falls back to PASSPORT_SLA_HOURS. */
  passportSlaHours: integer('passport_sla_hours'),
  /** The contact line printed on the applicant's notice (address, telephone, e-mail). */
  noticeContact: text('notice_contact'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type Office = typeof offices.$inferSelect;
