import { sql } from 'drizzle-orm';
import { check, index, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
/** The same values as watchlistKinds in src/screening/subject.ts (checked in src/watchlists/entries.ts). */
export const watchlistKind = pgEnum('watchlist_kind', ['phone', 'agency', 'employer', 'address', 'person']);

/**
 * One entity on a watchlist: a phone number, a placement agency (name + licence), an employer
 * (name + country + city), an address or compound, or a person's name. Entries are never deleted:
 * revoking keeps the row, so decisions that cite it stay explainable.
 *
 * `name_key` and `licence_key` are computed by the SQL functions saring_name_key / saring_licence_key
 * (migration 0006_watchlists_trgm), the same ones the matching and link queries use.
 */
export const watchlistEntries = pgTable(
  'watchlist_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    list: watchlistKind('list').notNull(),
    /** The entity's name; for a phone entry an optional label (whose number it is). */
    name: text('name'),
    /** E.164; phone entries only. */
    phone: text('phone'),
    /** Agency entries only. */
    licence: text('licence'),
    /** ISO 3166-1 alpha-2; employer and address entries. */
    country: text('country'),
    city: text('city'),
    /** Where the information came from (partner country, Kemlu, police referral, a case number). */
    source: text('source').notNull(),
    note: text('note'),
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull().defaultNow(),
    /** Exclusive; null: until revoked. */
    validTo: timestamp('valid_to', { withTimezone: true }),
    addedBy: text('added_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: text('revoked_by'),
    revokeReason: text('revoke_reason'),
    nameKey: text('name_key').generatedAlwaysAs(sql`saring_name_key("name")`),
    licenceKey: text('licence_key').generatedAlwaysAs(sql`saring_licence_key("licence")`),
  },
  (t) => [
    index('watchlist_entries_phone_idx').on(t.phone).where(sql`${t.phone} is not null`),
    index('watchlist_entries_licence_key_idx').on(t.licenceKey).where(sql`${t.licenceKey} is not null`),
    index('watchlist_entries_name_key_trgm_idx').using('gin', t.nameKey.op('gin_trgm_ops')),
    index('watchlist_entries_created_idx').on(t.createdAt.desc(), t.id.desc()),
    index('watchlist_entries_list_created_idx').on(t.list, t.createdAt.desc(), t.id.desc()),
    check('watchlist_entries_phone_list', sql`(${t.list} = 'phone') = (${t.phone} is not null)`),
    check('watchlist_entries_named', sql`${t.list} = 'phone' or ${t.nameKey} is not null`),
    check('watchlist_entries_valid_range', sql`${t.validTo} is null or ${t.validTo} > ${t.validFrom}`),
  ],
);

export type WatchlistEntryRow = typeof watchlistEntries.$inferSelect;
