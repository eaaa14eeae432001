/**
 * Seaport (ferry) manifests as CSV, the way operators at Batam, Tanjung Pinang, Dumai and Tanjung
 * Balai Karimun hand them over, with this header (order free, names as written):
 *
 *   manifest_ref, operator, vessel, departure_port, arrival_port, destination_country, departure_at,
 *   surname, given_names, sex, date_of_birth, nationality, document_type, document_number,
 *   document_expiry, document_issuing_country, booking_reference, booking_contact, paid_by, return_ticket
 *
 * Required: manifest_ref, operator, vessel, departure_port, arrival_port, departure_at (ISO 8601 with
 * offset), surname, nationality (alpha-2 or alpha-3). Every line must name the same manifest_ref and
 * operator (the idempotency key); lines of one vessel, port and departure form one sailing.
 * return_ticket yes/no becomes the one-way flag. A bad line answers 422 naming its line and column.
 */
import { parse } from 'csv-parse/sync';
import { countryAlpha2, isCalendarDate, ManifestFormatError, type MappedFlight, type MappedManifest, type MappedPassenger } from './mapping';

export const ferryColumns = [
  'manifest_ref', 'operator', 'vessel', 'departure_port', 'arrival_port', 'destination_country', 'departure_at',
  'surname', 'given_names', 'sex', 'date_of_birth', 'nationality', 'document_type', 'document_number',
  'document_expiry', 'document_issuing_country', 'booking_reference', 'booking_contact', 'paid_by', 'return_ticket',
] as const;
const required = ['manifest_ref', 'operator', 'vessel', 'departure_port', 'arrival_port', 'departure_at', 'surname', 'nationality'] as const;
type Column = (typeof ferryColumns)[number];

export function mapFerryCsv(text: string): MappedManifest {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false, trim: true }) as string[][];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    throw new ManifestFormatError(line, '(csv)', String((error as Error).message).replace(/^Invalid Record Length:.*$/s, 'the line has a different number of columns than the header'));
  }
  const header = (records[0] ?? []).map((name) => name.toLowerCase());
  for (const [index, name] of header.entries()) {
    if (!(ferryColumns as readonly string[]).includes(name)) throw new ManifestFormatError(1, name || `column ${index + 1}`, `unknown column; the header uses ${ferryColumns.join(', ')}`);
  }
  for (const name of required) if (!header.includes(name)) throw new ManifestFormatError(1, name, 'required column missing from the header');
  if (records.length < 2) throw new ManifestFormatError(1, '(csv)', 'the manifest lists no passenger');

  const flights = new Map<string, MappedFlight>();
  let sender = '';
  let reference = '';
  records.slice(1).forEach((record, index) => {
    const line = index + 2;
    const get = (column: Column) => {
      const value = record[header.indexOf(column)]?.trim();
      return value !== undefined && value.length > 0 ? value : undefined;
    };
    const fail = (column: Column, problem: string): never => {
      throw new ManifestFormatError(line, column, problem);
    };
    for (const name of required) if (!get(name)) fail(name, 'required value missing');
    if (index === 0) {
      sender = get('operator')!;
      reference = get('manifest_ref')!;
    } else {
      if (get('operator') !== sender) fail('operator', 'every line of a manifest names the same operator');
      if (get('manifest_ref') !== reference) fail('manifest_ref', 'every line of a manifest names the same manifest_ref');
    }
    const departureAt = get('departure_at')!;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)$/.test(departureAt) || Number.isNaN(Date.parse(departureAt))) {
      fail('departure_at', 'expected an ISO 8601 date-time with an offset, e.g. 2026-12-04T08:30:00+07:00');
    }
    const nationality = countryAlpha2(get('nationality')!) ?? fail('nationality', 'expected an ISO 3166-1 alpha-2 or alpha-3 country code');
    const destination = get('destination_country');
    const destinationCountry = destination === undefined ? undefined : (countryAlpha2(destination) ?? fail('destination_country', 'expected an ISO 3166-1 country code'));
    const issuing = get('document_issuing_country');
    const dateOf = (column: 'date_of_birth' | 'document_expiry') => {
      const value = get(column);
      if (value !== undefined && !isCalendarDate(value)) fail(column, 'expected a date as YYYY-MM-DD');
      return value;
    };
    const sex = get('sex')?.toUpperCase();
    if (sex !== undefined && !['M', 'F', 'U', 'X'].includes(sex)) fail('sex', 'expected M, F, U or X');
    const returnTicket = get('return_ticket')?.toLowerCase();
    if (returnTicket !== undefined && !['yes', 'no', 'y', 'n', 'true', 'false'].includes(returnTicket)) fail('return_ticket', 'expected yes or no');
    const documentType = get('document_type')?.toUpperCase();
    const passenger: MappedPassenger = {
      surname: get('surname')!,
      givenNames: get('given_names'),
      sex: sex === undefined ? undefined : sex === 'X' ? 'U' : (sex as 'M' | 'F' | 'U'),
      dateOfBirth: dateOf('date_of_birth'),
      nationality,
      documentType: get('document_number') === undefined ? undefined : documentType === undefined || documentType === 'P' || documentType === 'PASSPORT' ? 'passport' : 'other',
      documentNumber: get('document_number')?.toUpperCase(),
      documentExpiry: dateOf('document_expiry'),
      documentIssuingCountry: issuing === undefined ? undefined : (countryAlpha2(issuing) ?? fail('document_issuing_country', 'expected an ISO 3166-1 country code')),
      bookingReference: get('booking_reference'),
      contactPhone: get('booking_contact')?.includes('@') ? undefined : get('booking_contact'),
      contactEmail: get('booking_contact')?.includes('@') ? get('booking_contact') : undefined,
      payer: get('paid_by'),
      debarkPort: undefined,
      oneWay: returnTicket === undefined ? undefined : !['yes', 'y', 'true'].includes(returnTicket),
    };
    const key = `${get('vessel')}|${get('departure_port')}|${departureAt}`;
    let flight = flights.get(key);
    if (!flight) {
      flight = {
        mode: 'sea',
        carrier: sender,
        flightOrVessel: get('vessel')!,
        departurePort: get('departure_port')!,
        arrivalPort: get('arrival_port')!,
        departureAt,
        arrivalAt: undefined,
        destinationCountry,
        destinationCity: get('arrival_port'),
        messageRefs: [reference],
        passengers: [],
      };
      flights.set(key, flight);
    }
    flight.passengers.push(passenger);
  });
  return { format: 'csv', sender, interchangeRef: reference, messages: 1, flights: [...flights.values()], ignoredSegments: 0, ignoredTags: [] };
}
