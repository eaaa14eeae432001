import { sql } from 'drizzle-orm';
import { check, index, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** The same values as allowlistParties in src/screening/subject.ts (checked in src/allowlists/entries.ts). */
export const allowlistParty = pgEnum('allowlist_party', ['placement_agency', 'travel_agency', 'crew_agency', 'person']);

/**
 * A verified party whose entry suppresses named rules while it is in force: a licensed placement
 * agency (P3MI), travel organiser (PPIU/PIHK) or crew agency (SIUPPAK), matched by licence, or a person
 * cleared after review, matched by NIK or passport number. National (every office), written by
 * admins; never edited or deleted, only revoked, so a replay of a stored decision sees what it saw.
 */
export const allowlistEntries = pgTable(
  'allowlist_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partyType: allowlistParty('party_type').notNull(),
    /** The agency's or person's name, as it reads in the decision's explanation. */
    name: text('name').notNull(),
    /** Agencies: the licence number (P3MI, PPIU/PIHK or SIUPPAK). */
    licence: text('licence'),
    licenceKey: text('licence_key').generatedAlwaysAs(sql`saring_licence_key("licence")`),
    /** Persons: NIK and/or passport number. */
    nik: text('nik'),
    passportNumber: text('passport_number'),
    /** The rule ids the entry suppresses. */
    suppresses: text('suppresses').array().notNull(),
    /** Where the verification came from (KP2MI licence register, Kemenag PPIU list, a review case). */
    source: text('source').notNull(),
    note: text('note'),
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
    /** Exclusive. Every entry expires. */
    validUntil: timestamp('valid_until', { withTimezone: true }).notNull(),
    addedBy: text('added_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: text('revoked_by'),
    revokeReason: text('revoke_reason'),
  },
  (t) => [
    index('allowlist_entries_licence_idx').on(t.partyType, t.licenceKey).where(sql`${t.licenceKey} is not null`),
    index('allowlist_entries_nik_idx').on(t.nik).where(sql`${t.nik} is not null`),
    index('allowlist_entries_passport_idx').on(t.passportNumber).where(sql`${t.passportNumber} is not null`),
    index('allowlist_entries_created_idx').on(t.createdAt.desc(), t.id.desc()),
    check('allowlist_entries_valid_range', sql`${t.validUntil} > ${t.validFrom}`),
    check('allowlist_entries_suppresses_rules', sql`cardinality(${t.suppresses}) > 0`),
  ],
);

export type AllowlistEntryRow = typeof allowlistEntries.$inferSelect;
