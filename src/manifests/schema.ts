import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { applications, screeningOutcome } from '../applications/schema';
import { offices } from '../offices/schema';

export const manifestState = pgEnum('manifest_state', ['screening', 'completed']);
/** pending: an Indonesian passenger waiting to be screened; not_screened: stored only (not Indonesian). */
export const manifestPassengerStatus = pgEnum('manifest_passenger_status', ['pending', 'screened', 'not_screened']);

/**
 * One received interchange (a PAXLST interchange, or a ferry operator's list), idempotent on
 * (sender, interchange reference): a resend answers the stored manifest.
 */
export const manifests = pgTable(
  'manifests',
  {
    id: uuid('id').primaryKey(),
    sender: text('sender').notNull(),
    interchangeRef: text('interchange_ref').notNull(),
    format: text('format').notNull(),
    /** The checkpoint the departures leave from (the uploader's office). */
    officeCode: text('office_code')
      .notNull()
      .references(() => offices.code),
    submittedBy: text('submitted_by').notNull(),
    submittedRole: text('submitted_role').notNull(),
    requestId: text('request_id'),
    state: manifestState('state').notNull().default('screening'),
    chunkSize: integer('chunk_size').notNull(),
    messages: integer('messages').notNull(),
    passengers: integer('passengers').notNull(),
    toScreen: integer('to_screen').notNull(),
    screened: integer('screened').notNull().default(0),
    flagged: integer('flagged').notNull().default(0),
    withoutDocument: integer('without_document').notNull(),
    /** Segments the mapping does not read (optional ones), counted and named, never an error. */
    ignoredSegments: integer('ignored_segments').notNull(),
    ignoredTags: text('ignored_tags').array().notNull().default(sql`'{}'`),
    /** Every passenger is screened as if received at this moment (the engine's "now"), on every retry. */
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    progressAt: timestamp('progress_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('manifests_interchange_unique').on(t.sender, t.interchangeRef),
    index('manifests_unfinished_idx').on(t.progressAt).where(sql`${t.state} <> 'completed'`),
  ],
);

/** A flight or sailing of a manifest: multi-part messages of one flight are joined into one row. */
export const manifestFlights = pgTable(
  'manifest_flights',
  {
    id: uuid('id').primaryKey(),
    manifestId: uuid('manifest_id')
      .notNull()
      .references(() => manifests.id),
    officeCode: text('office_code')
      .notNull()
      .references(() => offices.code),
    mode: text('mode').$type<'air' | 'sea'>().notNull(),
    carrier: text('carrier'),
    flightOrVessel: text('flight_or_vessel').notNull(),
    departurePort: text('departure_port').notNull(),
    arrivalPort: text('arrival_port').notNull(),
    destinationCountry: text('destination_country'),
    departureAt: timestamp('departure_at', { withTimezone: true }).notNull(),
    /** The departure as the carrier wrote it, with the checkpoint's offset (what officers read). */
    departureLocal: text('departure_local').notNull(),
    arrivalAt: timestamp('arrival_at', { withTimezone: true }),
    /** The UNH references (or the CSV's manifest reference) the flight's passengers came in. */
    messageRefs: text('message_refs').array().notNull(),
  },
  (t) => [index('manifest_flights_office_departure_idx').on(t.officeCode, t.departureAt)],
);

/**
 * A passenger as the manifest carries them (`data`, in the shape the engine screens), plus the
 * pre-screen decision once screened and the departure check an officer later started for them.
 */
export const manifestPassengers = pgTable(
  'manifest_passengers',
  {
    id: uuid('id').primaryKey(),
    manifestId: uuid('manifest_id')
      .notNull()
      .references(() => manifests.id),
    flightId: uuid('flight_id')
      .notNull()
      .references(() => manifestFlights.id),
    /** 1-based position in the manifest; chunks are ranges of it. */
    ordinal: integer('ordinal').notNull(),
    status: manifestPassengerStatus('status').notNull(),
    fullName: text('full_name').notNull(),
    nationality: text('nationality'),
    documentNumber: text('document_number'),
    /** The message carried no travel document number: stored and shown, never dropped. */
    withoutDocument: boolean('without_document').notNull(),
    data: jsonb('data').notNull(),
    outcome: screeningOutcome('outcome'),
    score: integer('score'),
    hits: jsonb('hits'),
    ruleSetVersion: text('rule_set_version'),
    screenedAt: timestamp('screened_at', { withTimezone: true }),
    departureApplicationId: uuid('departure_application_id').references(() => applications.id),
  },
  (t) => [
    uniqueIndex('manifest_passengers_ordinal_unique').on(t.manifestId, t.ordinal),
    index('manifest_passengers_flight_idx').on(t.flightId),
    index('manifest_passengers_document_idx').on(t.documentNumber).where(sql`${t.documentNumber} IS NOT NULL`),
  ],
);

export type ManifestRow = typeof manifests.$inferSelect;
export type ManifestFlightRow = typeof manifestFlights.$inferSelect;
export type ManifestPassengerRow = typeof manifestPassengers.$inferSelect;
