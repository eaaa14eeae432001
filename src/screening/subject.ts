/**
 * What the engine evaluates: the normalised application plus a `derived` block computed purely from it,
 * and the optional `context` filled by resolvers outside the engine (watchlists, link clusters).
 */
import { z } from 'zod';
import {
  ageOn,
  dateToEpochDay,
  declaredPurposes,
  type DepartureCheck,
  departureDateOf,
  type ManifestPassenger,
  type ScreeningKind,
  tagField,
  type PassportApplication,
} from './application-schema';
import { mrzFacts, nikFacts } from './identity';

/**
 * Approximate reference rates (units of currency per 1 USD) used only to compare an offered salary with
 * a plausibility threshold. They are deliberately coarse; an unknown currency yields no USD figure.
 */
export const referenceUsdRates: Readonly<Record<string, number>> = {
  USD: 1,
  IDR: 16_000,
  MYR: 4.5,
  THB: 35,
  KHR: 4_100,
  LAK: 21_000,
  MMK: 2_100,
  VND: 25_000,
  PHP: 57,
  SGD: 1.35,
  TWD: 32,
  HKD: 7.8,
  KRW: 1_380,
  JPY: 150,
  CNY: 7.2,
  SAR: 3.75,
  AED: 3.67,
  QAR: 3.64,
  EUR: 0.92,
  GBP: 0.79,
  AUD: 1.5,
};

/** Declared for the field-path catalogue and operand checks; the engine fills it with computeDerived(). */
export const derivedCommonShape = {
  /** Departure date (local) or application date: the day all ages and intervals are measured from. */
  referenceDate: tagField(z.iso.date(), 'date'),
  /** Age in whole years on the reference date. Protected attribute. */
  age: z.number().int(),
  /** The final destination: the last onward leg's country, else the ticketed destination. */
  destinationCountry: tagField(z.string(), 'country'),
  /** The final destination's city, when given (the last onward leg's city, or the ticketed city without onward legs). */
  destinationCity: z.string().optional(),
  /** Every country passed through before the final destination, in travel order (transits, then a ticketed destination the traveller goes on from). */
  viaCountries: z.array(tagField(z.string(), 'country')),
  /** The via countries followed by the final destination, in travel order. */
  destinationChain: z.array(tagField(z.string(), 'country')),
  /** Every city named on the route (ticketed destination and onward legs), joined with " / ", for keyword rules. */
  routeCities: z.string().optional(),
  /** A seaman's book, a signed sea employment agreement and a crew agency licence (SIUPPAK) are all given. */
  documentedSeafarer: z.boolean(),
  /** Umrah/hajj with a licensed organiser (PPIU/PIHK type and licence number) and, on departures, an umrah or hajj visa. */
  documentedPilgrim: z.boolean(),
  /** declaredPurpose (departure) or statedPurpose (passport). */
  purpose: z.enum(declaredPurposes),
  /** employment.offeredMonthlySalary converted with referenceUsdRates; absent when unknown. */
  offeredMonthlySalaryUsd: z.number().optional(),
  // Identity consistency (src/screening/identity.ts): document-consistency signals, not protected attributes.
  /** NIK digits 7-12 encode the stated date of birth (DDMMYY, the day + 40 for women). */
  nikMatchesDateOfBirth: z.boolean(),
  /** The NIK's day offset (+40 for women) agrees with the stated sex; absent when the digits encode no valid day. */
  nikMatchesSex: z.boolean().optional(),
  /** NIK digits 1-6 are a province/regency/district code in the idn-area-data region data. */
  nikRegionKnown: z.boolean(),
  /** The NIK's province (and regency, when stated) is the stated origin; absent when the region is unknown. */
  nikRegionMatchesOrigin: z.boolean().optional(),
  /** The MRZ document number is the typed passport number (departure checks with an MRZ). */
  mrzMatchesDocument: z.boolean().optional(),
  /** The MRZ birth date is the stated date of birth (with an MRZ). */
  mrzMatchesDateOfBirth: z.boolean().optional(),
  /** The MRZ sex is the stated sex (with an MRZ). */
  mrzMatchesSex: z.boolean().optional(),
  /** The MRZ nationality is IDN (with an MRZ). */
  mrzMatchesNationality: z.boolean().optional(),
  /** The passport's expiry date read from the MRZ. */
  mrzExpiryDate: tagField(z.iso.date(), 'date').optional(),
  /** The passport in the MRZ has expired by the reference date. */
  mrzExpiredOnReferenceDate: z.boolean().optional(),
  /** Every MRZ comparison agrees (document number where typed, birth date, sex, nationality). */
  mrzAgrees: z.boolean().optional(),
};

export const derivedDepartureSchema = z.strictObject({
  ...derivedCommonShape,
  departureDate: tagField(z.iso.date(), 'date'),
  ageAtDeparture: z.number().int(),
  /** Days from departure to return; present when there is a return date. */
  tripLengthDays: z.number().int().optional(),
  /** Hours between the moment the check was received and the departure; present when the caller gave receivedAt. */
  hoursFromReceiptToDeparture: z.number().optional(),
});

export const derivedPassportSchema = z.strictObject({
  ...derivedCommonShape,
  ageAtApplication: z.number().int(),
  /** Days from the application date to the intended travel date; present when a travel date is given. */
  daysUntilTravel: z.number().int().optional(),
});

/** A manifest passenger: the departure date, and the destination when the manifest names its port's country. */
export const derivedManifestSchema = z.strictObject({
  referenceDate: tagField(z.iso.date(), 'date'),
  departureDate: tagField(z.iso.date(), 'date'),
  /** Age on the departure date, when the manifest gives a birth date. Protected attribute. */
  ageAtDeparture: z.number().int().optional(),
  destinationCountry: tagField(z.string(), 'country').optional(),
  destinationCity: z.string().optional(),
  destinationChain: z.array(tagField(z.string(), 'country')),
});

export type DerivedDeparture = z.output<typeof derivedDepartureSchema>;
export type DerivedManifest = z.output<typeof derivedManifestSchema>;
export type DerivedPassport = z.output<typeof derivedPassportSchema>;

/** The watchlists (one per kind of entity) rules may match application fields against. */
export const watchlistKinds = ['phone', 'agency', 'employer', 'address', 'person'] as const;
export type WatchlistKind = (typeof watchlistKinds)[number];

/** The keys link analysis groups applications by. */
export const linkKeys = ['recruiterPhone', 'sponsorPhone', 'employer', 'ticketPayer'] as const;
export type LinkKey = (typeof linkKeys)[number];

/** One watchlist entry an application field matched, as resolved before evaluation. */
const watchlistMatchSchema = z.strictObject({
  list: z.enum(watchlistKinds),
  /** The application field that was compared (a rule's `watchlist.field`). */
  field: z.string().min(1),
  entryId: z.string().min(1),
  /** What the entry says: the phone number, or the name with licence / city / country. */
  entry: z.string(),
  /** 1 for exact matches (phones, licences); the trigram similarity of the normalised names otherwise. */
  similarity: z.number().min(0).max(1),
  source: z.string(),
});

/** Another application sharing a link key, as resolved before evaluation. */
const linkedApplicationSchema = z.strictObject({
  applicationId: z.string().min(1),
  /** Days between the two applications' link dates (departure, or receipt for passport applications). */
  daysApart: z.number().min(0),
  /** An opaque token per other traveller, so rules count people rather than repeated checks of one person. */
  traveller: z.string().min(1),
});

/** What the `history` condition looks at: earlier records of the same person. */
export const historyRecordKinds = ['application', 'postponement', 'referral', 'clearance'] as const;
export type HistoryRecordKind = (typeof historyRecordKinds)[number];
/** How an earlier application is tied to this one's person: same NIK, same passport number, or same normalised name and date of birth. */
export const personMatches = ['nik', 'passport', 'nameDob'] as const;
export type PersonMatch = (typeof personMatches)[number];

/** One earlier record of the same person, as resolved before evaluation (as of the receipt time). */
const historyRecordSchema = z.strictObject({
  of: z.enum(historyRecordKinds),
  /** The earlier application (for a postponement, referral or clearance: the application it decided). */
  applicationId: z.string().min(1),
  /** The earlier application's kind. */
  kind: z.enum(['departure', 'passport']),
  /** Where it happened (the office of the application, or of the postponement). */
  officeCode: z.string().min(1),
  /** Whether that is another office than the one screening this application. */
  atOtherOffice: z.boolean(),
  /** When: the application's receipt, or the decision's date-time (ISO). */
  at: z.string().min(1),
  /** Whole days from `at` to this application's receipt. */
  daysAgo: z.number().min(0),
  /** The screening outcome (applications) or the officer's action (postponement, referral, clearance). */
  outcome: z.string(),
  reasonCode: z.string().nullable(),
  /** Which keys tie it to this person (at least one). */
  matchedBy: z.array(z.enum(personMatches)).min(1),
  /** False when the earlier application carries another NIK (found by passport or name + date of birth). */
  sameNik: z.boolean(),
  /** In how many of the 16 positions the two NIKs differ (0 for the same NIK). */
  nikDigitsDifferent: z.int().min(0).max(16),
});

/** One subject-of-interest entry whose bar was in force at the receipt time. */
const subjectOfInterestHitSchema = z.strictObject({
  entryId: z.string().min(1),
  matchedBy: z.enum(personMatches),
  reason: z.string(),
  source: z.string(),
  barFrom: z.string(),
  barUntil: z.string(),
  officeCode: z.string().nullable(),
});

/** The kinds of verified party an allowlist entry names. */
export const allowlistParties = ['placement_agency', 'travel_agency', 'crew_agency', 'person'] as const;
export type AllowlistParty = (typeof allowlistParties)[number];

/** One allowlist entry in force at the receipt time that names this application's party. */
const allowlistMatchSchema = z.strictObject({
  entryId: z.string().min(1),
  partyType: z.enum(allowlistParties),
  /** How the party reads in the explanation: the agency and its licence, or the person (identifier masked). */
  party: z.string(),
  /** The rule ids the entry suppresses. */
  suppresses: z.array(z.string().min(1)).min(1),
  /** Exclusive end of the entry's validity (ISO date-time). */
  validUntil: z.string(),
});

/**
 * Facts resolved outside the engine (watchlist matches, linked applications, the person's history
 * and subject-of-interest entries), read by the `watchlist`, `linked`, `history` and
 * `subjectOfInterest` conditions. Everything is optional; absent means nothing matched.
 */
export const screeningContextSchema = z.strictObject({
  watchlist: z.array(watchlistMatchSchema).optional(),
  /** The person's earlier records, newest first. */
  history: z.array(historyRecordSchema).optional(),
  subjectsOfInterest: z.array(subjectOfInterestHitSchema).optional(),
  /** Allowlist entries in force at the receipt naming this application's agency or person; their rules' hits are dropped. */
  allowlist: z.array(allowlistMatchSchema).optional(),
  links: z
    .strictObject(Object.fromEntries(linkKeys.map((key) => [key, z.array(linkedApplicationSchema).optional()])) as Record<LinkKey, z.ZodOptional<z.ZodArray<typeof linkedApplicationSchema>>>)
    .optional(),
});
export type WatchlistMatch = z.output<typeof watchlistMatchSchema>;
export type LinkedApplication = z.output<typeof linkedApplicationSchema>;
export type ScreeningContext = z.output<typeof screeningContextSchema>;
export type HistoryRecord = z.output<typeof historyRecordSchema>;
export type SubjectOfInterestHit = z.output<typeof subjectOfInterestHitSchema>;
export type AllowlistMatch = z.output<typeof allowlistMatchSchema>;

export type ScreeningSubject =
  | { kind: 'departure'; data: DepartureCheck; derived: DerivedDeparture }
  | { kind: 'passport'; data: PassportApplication; derived: DerivedPassport }
  | { kind: 'manifest'; data: ManifestPassenger; derived: DerivedManifest };

export interface SubjectOptions {
  /** When the application was received (ISO date-time); only used for derived.hoursFromReceiptToDeparture. */
  receivedAt?: string | undefined;
}

type Route = Pick<DerivedDeparture, 'destinationCountry' | 'destinationCity' | 'viaCountries' | 'destinationChain' | 'routeCities'>;

/** Final destination, the countries on the way and the cities named, from the ticket and the onward legs. */
export function routeOf(trip: DepartureCheck['trip']): Route {
  const legs = trip.onwardLegs ?? [];
  const last = legs[legs.length - 1];
  const destinationCountry = last?.country ?? trip.destinationCountry;
  const via = [...trip.transitCountries, ...(last ? [trip.destinationCountry, ...legs.slice(0, -1).map((leg) => leg.country)] : [])];
  // A leg within one country (Bangkok on to Mae Sot) is not a country passed through.
  const viaCountries = via.filter((country, i) => country !== destinationCountry && via[i - 1] !== country);
  const cities = [trip.destinationCity, ...legs.map((leg) => leg.city)].filter((city): city is string => city !== undefined);
  const route: Route = { destinationCountry, viaCountries, destinationChain: [...viaCountries, destinationCountry] };
  const destinationCity = last ? last.city : trip.destinationCity;
  if (destinationCity !== undefined) route.destinationCity = destinationCity;
  if (cities.length > 0) route.routeCities = cities.join(' / ');
  return route;
}

const present = (value: string | undefined) => value !== undefined && value.length > 0;

function documentedSeafarer(data: DepartureCheck | PassportApplication): boolean {
  const s = data.seafarer;
  return s !== undefined && present(s.seamansBookNumber) && s.hasSeaEmploymentAgreement === true && present(s.crewAgencyLicence);
}

function licensedOrganiser(data: DepartureCheck | PassportApplication): boolean {
  return data.travelAgency?.licenceType !== undefined && present(data.travelAgency.licenceNumber);
}

function salaryUsd(employment: DepartureCheck['employment']): number | undefined {
  const amount = employment?.offeredMonthlySalary;
  const currency = employment?.salaryCurrency;
  if (amount === undefined || currency === undefined) return undefined;
  const rate = referenceUsdRates[currency];
  return rate === undefined ? undefined : Math.round((amount / rate) * 100) / 100;
}

/** The NIK and (when scanned) MRZ consistency facts of the person on an application. */
function identityFacts(
  person: DepartureCheck['traveller'] | PassportApplication['applicant'],
  referenceDate: string,
  mrz: readonly [string, string] | readonly string[] | undefined,
  passportNumber: string | undefined,
) {
  const nik = nikFacts(person);
  const fromMrz = mrz?.length === 2 ? mrzFacts([mrz[0]!, mrz[1]!], { passportNumber, dateOfBirth: person.dateOfBirth, sex: person.sex, referenceDate }) : undefined;
  return { ...nik, ...fromMrz };
}

/** Computes the derived block. Pure: the only "now" is the optional receivedAt the caller passes. */
export function buildSubject(kind: 'departure', data: DepartureCheck, options?: SubjectOptions): ScreeningSubject;
export function buildSubject(kind: 'passport', data: PassportApplication, options?: SubjectOptions): ScreeningSubject;
export function buildSubject(kind: 'manifest', data: ManifestPassenger, options?: SubjectOptions): ScreeningSubject;
export function buildSubject(kind: ScreeningKind, data: DepartureCheck | PassportApplication | ManifestPassenger, options?: SubjectOptions): ScreeningSubject;
export function buildSubject(kind: ScreeningKind, data: DepartureCheck | PassportApplication | ManifestPassenger, options: SubjectOptions = {}): ScreeningSubject {
  if (kind === 'manifest') return manifestSubject(data as ManifestPassenger);
  if (kind === 'departure') {
    const d = data as DepartureCheck;
    const departureDate = departureDateOf(d);
    const age = ageOn(d.traveller.dateOfBirth, departureDate);
    const derived: DerivedDeparture = {
      referenceDate: departureDate,
      departureDate,
      age,
      ageAtDeparture: age,
      ...routeOf(d.trip),
      purpose: d.purpose.declaredPurpose,
      documentedSeafarer: documentedSeafarer(d),
      documentedPilgrim:
        d.purpose.declaredPurpose === 'umrah_hajj' && (d.purpose.visaType === 'umrah' || d.purpose.visaType === 'hajj') && licensedOrganiser(d),
      ...identityFacts(d.traveller, departureDate, d.mrz, d.traveller.passportNumber),
    };
    if (d.trip.returnDate !== undefined) derived.tripLengthDays = dateToEpochDay(d.trip.returnDate) - dateToEpochDay(departureDate);
    const usd = salaryUsd(d.employment);
    if (usd !== undefined) derived.offeredMonthlySalaryUsd = usd;
    if (options.receivedAt !== undefined) {
      const received = Date.parse(options.receivedAt);
      const departure = Date.parse(d.trip.departureAt);
      if (Number.isFinite(received) && Number.isFinite(departure)) {
        derived.hoursFromReceiptToDeparture = Math.round(((departure - received) / 3_600_000) * 100) / 100;
      }
    }
    return { kind, data: d, derived };
  }
  const p = data as PassportApplication;
  const age = ageOn(p.applicant.dateOfBirth, p.applicationDate);
  const derived: DerivedPassport = {
    referenceDate: p.applicationDate,
    age,
    ageAtApplication: age,
    destinationCountry: p.intendedDestinationCountry,
    viaCountries: [],
    destinationChain: [p.intendedDestinationCountry],
    purpose: p.statedPurpose,
    documentedSeafarer: documentedSeafarer(p),
    documentedPilgrim: p.statedPurpose === 'umrah_hajj' && licensedOrganiser(p),
    ...identityFacts(p.applicant, p.applicationDate, p.mrz, undefined),
  };
  if (p.intendedDestinationCity !== undefined) {
    derived.destinationCity = p.intendedDestinationCity;
    derived.routeCities = p.intendedDestinationCity;
  }
  if (p.intendedTravelDate !== undefined) derived.daysUntilTravel = dateToEpochDay(p.intendedTravelDate) - dateToEpochDay(p.applicationDate);
  const usd = salaryUsd(p.employment);
  if (usd !== undefined) derived.offeredMonthlySalaryUsd = usd;
  return { kind, data: p, derived };
}

function manifestSubject(data: ManifestPassenger): ScreeningSubject {
  // The local calendar date as the carrier wrote it (the offset the mapping module gave the time).
  const departureDate = data.trip.departureAt.slice(0, 10);
  const derived: DerivedManifest = { referenceDate: departureDate, departureDate, destinationChain: [] };
  if (data.passenger.dateOfBirth !== undefined) derived.ageAtDeparture = ageOn(data.passenger.dateOfBirth, departureDate);
  if (data.trip.destinationCountry !== undefined) {
    derived.destinationCountry = data.trip.destinationCountry;
    derived.destinationChain = [data.trip.destinationCountry];
  }
  if (data.trip.destinationCity !== undefined) derived.destinationCity = data.trip.destinationCity;
  return { kind: 'manifest', data, derived };
}
