import { and, asc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Role } from '../auth/schema';
import { recordAudit, type Actor } from '../audit/service';
import { maskIdentifier, rolesSeeingFullIdentifiers } from '../audit/identifiers';
import type { Database, RootDatabase } from '../db/client';
import type { RuleHit } from '../screening/engine/types';
import type { ManifestPassenger } from '../screening/application-schema';
import { manifestFlights, manifestPassengers, manifests, type ManifestRow } from './schema';

/** A manifest's state and counts, as POST and GET /manifests answer. */
export function manifestStatus(row: ManifestRow) {
  return {
    id: row.id,
    sender: row.sender,
    interchangeRef: row.interchangeRef,
    format: row.format,
    officeCode: row.officeCode,
    state: row.state,
    receivedAt: row.receivedAt,
    completedAt: row.completedAt,
    counts: {
      messages: row.messages,
      passengers: row.passengers,
      toScreen: row.toScreen,
      screened: row.screened,
      flagged: row.flagged,
      notScreened: row.passengers - row.toScreen,
      withoutDocument: row.withoutDocument,
      ignoredSegments: row.ignoredSegments,
    },
    ignoredTags: row.ignoredTags,
    progress: row.toScreen === 0 ? 100 : Math.floor((row.screened * 100) / row.toScreen),
    links: { self: `/api/v1/manifests/${row.id}` },
  };
}

export async function findManifest(db: RootDatabase, id: string, office: string | null) {
  const [row] = await db
    .select()
    .from(manifests)
    .where(and(eq(manifests.id, id), office ? eq(manifests.officeCode, office) : undefined))
    .limit(1);
  if (!row) return null;
  const flights = await db
    .select({ id: manifestFlights.id, flightOrVessel: manifestFlights.flightOrVessel, departureAt: manifestFlights.departureLocal, messageRefs: manifestFlights.messageRefs })
    .from(manifestFlights)
    .where(eq(manifestFlights.manifestId, id))
    .orderBy(asc(manifestFlights.departureAt));
  return { ...manifestStatus(row), flights };
}

const severity: Record<string, number> = { POSTPONE_RECOMMENDED: 3, REVIEW: 2, CLEAR: 1 };

/** A passenger as the expected-departures list shows them; document numbers masked for roles that do not need them. */
function passengerView(row: typeof manifestPassengers.$inferSelect, role: Role) {
  const data = row.data as ManifestPassenger;
  const hits = (row.hits as RuleHit[] | null) ?? [];
  return {
    id: row.id,
    fullName: row.fullName,
    nationality: row.nationality,
    sex: data.passenger.sex ?? null,
    dateOfBirth: data.passenger.dateOfBirth ?? null,
    documentNumber: rolesSeeingFullIdentifiers.includes(role) ? row.documentNumber : maskIdentifier(row.documentNumber),
    withoutDocument: row.withoutDocument,
    bookingReference: data.booking.reference ?? null,
    status: row.status,
    outcome: row.outcome,
    score: row.score,
    reasons: hits.map((hit) => ({ ruleId: hit.ruleId, weight: hit.weight, title: hit.title, reason: hit.reason, evidence: hit.evidence })),
    ruleSetVersion: row.ruleSetVersion,
    departureCheckId: row.departureApplicationId,
  };
}

/**
 * Flights and sailings of a checkpoint departing in [from, to), with their passengers: flagged
 * passengers first (postpone, then review, by score), then the rest; flights with flagged passengers
 * first, each group by departure time.
 */
export async function expectedDepartures(db: RootDatabase, input: { office: string; from: Date; to: Date; role: Role }) {
  const flights = await db
    .select()
    .from(manifestFlights)
    .where(and(eq(manifestFlights.officeCode, input.office), gte(manifestFlights.departureAt, input.from), lt(manifestFlights.departureAt, input.to)))
    .orderBy(asc(manifestFlights.departureAt), asc(manifestFlights.id))
    .limit(500);
  const passengers =
    flights.length === 0
      ? []
      : await db.select().from(manifestPassengers).where(inArray(manifestPassengers.flightId, flights.map((f) => f.id)));
  const byFlight = new Map<string, Array<typeof manifestPassengers.$inferSelect>>();
  for (const row of passengers) byFlight.set(row.flightId, [...(byFlight.get(row.flightId) ?? []), row]);
  const views = flights.map((flight) => {
    const rows = (byFlight.get(flight.id) ?? []).sort(
      (a, b) =>
        (severity[b.outcome ?? ''] ?? 0) - (severity[a.outcome ?? ''] ?? 0) || (b.score ?? -1) - (a.score ?? -1) || a.ordinal - b.ordinal,
    );
    const counts = {
      passengers: rows.length,
      flagged: rows.filter((r) => r.outcome === 'REVIEW' || r.outcome === 'POSTPONE_RECOMMENDED').length,
      pending: rows.filter((r) => r.status === 'pending').length,
      notScreened: rows.filter((r) => r.status === 'not_screened').length,
      withoutDocument: rows.filter((r) => r.withoutDocument).length,
    };
    return {
      id: flight.id,
      manifestId: flight.manifestId,
      mode: flight.mode,
      carrier: flight.carrier,
      flightOrVessel: flight.flightOrVessel,
      departurePort: flight.departurePort,
      arrivalPort: flight.arrivalPort,
      destinationCountry: flight.destinationCountry,
      departureAt: flight.departureLocal,
      counts,
      passengers: rows.map((row) => passengerView(row, input.role)),
    };
  });
  views.sort((a, b) => Number(b.counts.flagged > 0) - Number(a.counts.flagged > 0));
  return views;
}

/** One manifest passenger with the departure-check fields the manifest can fill in; null when not visible. */
export async function findManifestPassenger(db: RootDatabase, id: string, office: string | null, role: Role) {
  const [row] = await db
    .select({ passenger: manifestPassengers, flight: manifestFlights })
    .from(manifestPassengers)
    .innerJoin(manifestFlights, eq(manifestFlights.id, manifestPassengers.flightId))
    .where(and(eq(manifestPassengers.id, id), office ? eq(manifestFlights.officeCode, office) : undefined))
    .limit(1);
  if (!row) return null;
  const data = row.passenger.data as ManifestPassenger;
  return {
    ...passengerView(row.passenger, role),
    flight: { id: row.flight.id, flightOrVessel: row.flight.flightOrVessel, carrier: row.flight.carrier, departureAt: row.flight.departureLocal, arrivalPort: row.flight.arrivalPort, destinationCountry: row.flight.destinationCountry },
    departureCheckPrefill: departureCheckPrefill(data, row.flight.officeCode, rolesSeeingFullIdentifiers.includes(role)),
  };
}

/**
 * The part of a departure check the manifest already says (only what it carries): the officer
 * completes the rest at the counter. The passport number is what the check is matched back by.
 */
export function departureCheckPrefill(data: ManifestPassenger, checkpointCode: string, withDocument: boolean) {
  const { passenger, trip } = data;
  return {
    traveller: {
      fullName: passenger.fullName,
      ...(withDocument && passenger.documentType === 'passport' && passenger.documentNumber ? { passportNumber: passenger.documentNumber } : {}),
      ...(passenger.dateOfBirth ? { dateOfBirth: passenger.dateOfBirth } : {}),
      ...(passenger.sex === 'M' || passenger.sex === 'F' ? { sex: passenger.sex } : {}),
    },
    trip: {
      checkpointCode,
      departureAt: trip.departureAt,
      carrier: trip.carrier ?? trip.flightOrVessel,
      flightOrVessel: trip.flightOrVessel,
      mode: trip.mode,
      ...(trip.destinationCountry ? { destinationCountry: trip.destinationCountry } : {}),
      ...(trip.destinationCity ? { destinationCity: trip.destinationCity } : {}),
      ...(trip.oneWay !== undefined ? { hasReturnTicket: !trip.oneWay } : {}),
    },
  };
}

/**
 * Links a departure check just stored to the manifest passenger it is for: the same passport number
 * on a flight of the same checkpoint departing within a day of the check's departure, not yet linked.
 * Returns the passenger's id, or null when the manifest does not list the traveller.
 */
export async function linkDepartureCheck(db: Database, input: { applicationId: string; passportNumber: string; officeCode: string; departureAt: Date }): Promise<string | null> {
  const day = 86_400_000;
  const result = await db.execute<{ id: string }>(sql`
    UPDATE manifest_passengers AS p SET departure_application_id = ${input.applicationId}
    WHERE p.id = (
      SELECT p2.id FROM manifest_passengers p2 JOIN manifest_flights f ON f.id = p2.flight_id
      WHERE p2.document_number = ${input.passportNumber} AND f.office_code = ${input.officeCode}
        AND f.departure_at BETWEEN ${new Date(input.departureAt.getTime() - day).toISOString()}::timestamptz AND ${new Date(input.departureAt.getTime() + day).toISOString()}::timestamptz
        AND p2.departure_application_id IS NULL
      ORDER BY abs(extract(epoch FROM f.departure_at - ${input.departureAt.toISOString()}::timestamptz)), p2.id
      LIMIT 1 FOR UPDATE OF p2)
    RETURNING p.id`);
  return result.rows[0]?.id ?? null;
}

/** The manifest pre-screen of a departure check, when the check was linked to a manifest passenger (for the case view). */
export async function prescreenOfApplication(db: Database, applicationId: string) {
  const [row] = await db
    .select({ passenger: manifestPassengers, flight: manifestFlights })
    .from(manifestPassengers)
    .innerJoin(manifestFlights, eq(manifestFlights.id, manifestPassengers.flightId))
    .where(eq(manifestPassengers.departureApplicationId, applicationId))
    .limit(1);
  if (!row) return null;
  return {
    manifestPassengerId: row.passenger.id,
    manifestId: row.passenger.manifestId,
    flightOrVessel: row.flight.flightOrVessel,
    departureAt: row.flight.departureLocal,
    status: row.passenger.status,
    outcome: row.passenger.outcome,
    score: row.passenger.score,
    reasons: ((row.passenger.hits as RuleHit[] | null) ?? []).map((hit) => ({ ruleId: hit.ruleId, title: hit.title, reason: hit.reason, evidence: hit.evidence })),
    screenedAt: row.passenger.screenedAt,
    ruleSetVersion: row.passenger.ruleSetVersion,
  };
}

/** linkDepartureCheck with its audit record, in one transaction. */
export async function linkDepartureCheckAudited(
  db: RootDatabase,
  input: { applicationId: string; passportNumber: string; officeCode: string; departureAt: Date },
  actor: Actor,
  requestId: string,
): Promise<string | null> {
  return db.transaction(async (tx) => {
    const passengerId = await linkDepartureCheck(tx, input);
    if (passengerId) {
      await recordAudit(tx, {
        actor,
        action: 'manifest-passenger.linked',
        targetType: 'application',
        targetId: input.applicationId,
        after: { manifestPassengerId: passengerId },
        requestId,
      });
    }
    return passengerId;
  });
}
