import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { offices } from '../offices/schema';

export const applicationKind = pgEnum('application_kind', ['departure', 'passport']);
export const screeningOutcome = pgEnum('screening_outcome', ['CLEAR', 'REVIEW', 'POSTPONE_RECOMMENDED']);

/**
 * A departure check or passport application as received. Structured columns hold what is queried
 * and linked; `payload` holds the full normalised input.
 */
export const applications = pgTable(
  'applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: applicationKind('kind').notNull(),
    officeCode: text('office_code')
      .notNull()
      .references(() => offices.code),
    submittedBy: text('submitted_by').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    fullName: text('full_name').notNull(),
    nik: text('nik').notNull(),
    passportNumber: text('passport_number'),
    dateOfBirth: date('date_of_birth').notNull(),
    /** The final destination (the last onward leg of a departure, else the ticketed destination). */
    destinationCountry: text('destination_country').notNull(),
    /** Countries passed through before the final destination, in travel order (empty when direct). */
    viaCountries: jsonb('via_countries').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    departureAt: timestamp('departure_at', { withTimezone: true }),
    recruiterPhone: text('recruiter_phone'),
    sponsorPhone: text('sponsor_phone'),
    employerName: text('employer_name'),
    payload: jsonb('payload').notNull(),
    /** The latest decision's outcome and score, kept here so lists filter without a join. */
    outcome: screeningOutcome('outcome').notNull(),
    score: integer('score').notNull(),
    ruleSetVersion: text('rule_set_version').notNull(),
    idempotencyKey: text('idempotency_key'),
    requestHash: text('request_hash'),
    /** Who the application is about: 'nik:…', else 'passport:…', else 'name:<name key>:YYYYMMDD' (src/persons). */
    personKey: text('person_key').generatedAlwaysAs(sql`saring_person_key("nik", "passport_number", "full_name", "date_of_birth")`),
  },
  (t) => [
    index('applications_office_submitted_idx').on(t.officeCode, t.submittedAt.desc(), t.id.desc()),
    index('applications_submitted_idx').on(t.submittedAt.desc(), t.id.desc()),
    index('applications_nik_idx').on(t.nik),
    index('applications_passport_number_idx').on(t.passportNumber),
    index('applications_outcome_idx').on(t.outcome, t.submittedAt.desc()),
    // Link analysis (src/links): the key, then the link time (departure, or receipt for passport applications).
    index('applications_recruiter_phone_link_idx').on(t.recruiterPhone, sql`coalesce(${t.departureAt}, ${t.submittedAt})`).where(sql`${t.recruiterPhone} is not null`),
    index('applications_sponsor_phone_link_idx').on(t.sponsorPhone, sql`coalesce(${t.departureAt}, ${t.submittedAt})`).where(sql`${t.sponsorPhone} is not null`),
    index('applications_employer_link_idx')
      .on(sql`saring_name_key(${t.employerName})`, sql`coalesce(${t.departureAt}, ${t.submittedAt})`)
      .where(sql`saring_name_key(${t.employerName}) is not null`),
    index('applications_ticket_payer_link_idx')
      .on(sql`saring_ticket_payer_key(${t.payload})`, sql`coalesce(${t.departureAt}, ${t.submittedAt})`)
      .where(sql`saring_ticket_payer_key(${t.payload}) is not null`),
    // Person history (src/persons): a person's applications in time order, and the name + date of birth match.
    index('applications_person_key_idx').on(t.personKey, t.submittedAt),
    index('applications_name_dob_idx').on(sql`saring_name_key(${t.fullName})`, t.dateOfBirth, t.submittedAt),
    uniqueIndex('applications_idempotency_unique')
      .on(t.submittedBy, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
  ],
);

/** Every evaluation of an application. Re-screening adds a decision; none is ever overwritten. */
export const decisions = pgTable(
  'decisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    ruleSetVersion: text('rule_set_version').notNull(),
    outcome: screeningOutcome('outcome').notNull(),
    score: integer('score').notNull(),
    hits: jsonb('hits').notNull(),
    /** What prompted it: intake, batch, rescreen or cluster (a later application grew its link cluster). */
    trigger: text('trigger').notNull(),
    supersedesDecisionId: uuid('supersedes_decision_id'),
    /** Cluster decisions: the facts (links, watchlists) were resolved as of this moment, not the receipt. */
    contextAsOf: timestamp('context_as_of', { withTimezone: true }),
    /** Which allowlist entry suppressed which rule (`SuppressedHit[]`); null when none did. */
    suppressed: jsonb('suppressed'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('decisions_application_idx').on(t.applicationId, t.createdAt)],
);

export type ApplicationRow = typeof applications.$inferSelect;
export type DecisionRow = typeof decisions.$inferSelect;
