/**
 * The two intake bodies (departure check at a checkpoint, passport application at a passport office),
 * validated and normalised. These schemas are also the source of the field paths rules may use
 * (see field-paths.ts), so every leaf here is a potential rule input.
 *
 * Cross-field business checks are deliberately not in the schemas: see checkConsistency().
 */
import { z } from 'zod';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { mrzProblems, normaliseMrzLine } from './identity';

/** What a leaf means beyond its zod type; read by the field-path walker for rule operand checks. */
export type FieldTag = 'date' | 'datetime' | 'country' | 'currency' | 'phone';
const fieldTags = new WeakMap<object, FieldTag>();
/** Marks a schema node with a FieldTag (also used by the derived schema). */
export function tagField<T extends z.ZodType>(schema: T, fieldTag: FieldTag): T {
  fieldTags.set(schema, fieldTag);
  return schema;
}
/** The tag attached to a schema node by this module, if any. */
export function fieldTagOf(schema: z.ZodType): FieldTag | undefined {
  return fieldTags.get(schema);
}

const foldWhitespace = (value: string) => value.replace(/\s+/g, ' ').trim();

/** Free text: trimmed, runs of whitespace folded to one space. */
const text = (max: number, min = 1) =>
  z
    .string()
    .transform(foldWhitespace)
    .pipe(z.string().min(min).max(max));

const isoDate = () => tagField(z.iso.date({ error: 'expected a date as YYYY-MM-DD' }), 'date');
const isoDateTime = () =>
  tagField(z.iso.datetime({ offset: true, error: 'expected an ISO 8601 date-time with an offset, e.g. 2026-11-23T09:40:00+07:00' }), 'datetime');

const countryCode = () =>
  tagField(
    z
      .string()
      .trim()
      .transform((v) => v.toUpperCase())
      .pipe(z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code')),
    'country',
  );

const currencyCode = () =>
  tagField(
    z
      .string()
      .trim()
      .transform((v) => v.toUpperCase())
      .pipe(z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code')),
    'currency',
  );

/** A phone number in any common notation, normalised to E.164; Indonesian numbers may omit +62. */
export const e164Phone = () =>
  z
    .string()
    .max(40)
    .transform((value, ctx) => {
      const parsed = parsePhoneNumberFromString(value, 'ID');
      if (!parsed || !parsed.isValid()) {
        ctx.addIssue({ code: 'custom', message: 'expected a valid phone number (E.164, or Indonesian national format)' });
        return z.NEVER;
      }
      return parsed.number as string;
    });

const phoneNumber = () => tagField(e164Phone(), 'phone');

export const declaredPurposes = [
  'tourism',
  'work',
  'family_visit',
  'study',
  'internship',
  'umrah_hajj',
  'business',
  'marriage',
  'medical',
  'other',
] as const;
/** `umrah` and `hajj` are the pilgrimage visas; `crew` a seafarer's crew visa or letter of guarantee to join a vessel. */
export const visaTypes = ['none', 'tourist', 'visa_on_arrival', 'visa_exemption', 'work', 'student', 'business', 'umrah', 'hajj', 'crew', 'other'] as const;
/**
 * Who paid the ticket. The precise payers say which agency or which employer; `employer` and `agency`
 * are the values of the first API version and stay valid, meaning "an employer / an agency, not said
 * which" (the default rules treat an unstated employer like a foreign one, as they always did).
 */
export const ticketPayers = [
  'self',
  'family',
  'travel_agency',
  'placement_agency',
  'crew_agency',
  'employer_indonesian',
  'employer_foreign',
  'recruiter',
  'sponsor',
  'employer',
  'agency',
  'unknown',
] as const;
/** How a leg of the journey is travelled. */
export const travelModes = ['air', 'sea', 'land'] as const;
/** Licences of travel organisers for pilgrims: PPIU (umrah) and PIHK (special hajj). */
export const travelAgencyLicenceTypes = ['PPIU', 'PIHK'] as const;
export const recruitmentChannels = [
  'facebook',
  'telegram',
  'whatsapp',
  'tiktok',
  'instagram',
  'friend_or_family',
  'placement_agency',
  'job_fair',
  'other',
] as const;

const personFields = {
  fullName: text(200),
  nik: z.string().trim().regex(/^\d{16}$/, 'NIK must be exactly 16 digits'),
  dateOfBirth: isoDate(),
  sex: z.enum(['M', 'F']),
  provinceOfOrigin: text(100),
  regencyOfOrigin: text(100).optional(),
  phone: phoneNumber().optional(),
  religion: text(50).optional(),
};

const travellerSchema = z.strictObject({
  ...personFields,
  /** The passport shown was issued for this journey (the traveller's first passport). */
  isFirstPassport: z.boolean().optional(),
  passportNumber: z
    .string()
    .trim()
    .transform((v) => v.toUpperCase())
    .pipe(z.string().regex(/^[A-Z]{1,2}\d{6,7}$/, 'expected an Indonesian passport number: 1-2 letters and 6-7 digits')),
});

const applicantSchema = z.strictObject({
  ...personFields,
  placeOfBirth: text(100),
});

/** A leg after the ticketed destination (e.g. Bangkok on by land to Myawaddy), in travel order. */
const onwardLegSchema = z.strictObject({
  mode: z.enum(travelModes),
  country: countryCode(),
  city: text(100).optional(),
});

const tripSchema = z.strictObject({
  checkpointCode: text(40).optional(),
  departureAt: isoDateTime(),
  carrier: text(100),
  flightOrVessel: text(40),
  mode: z.enum(travelModes),
  destinationCountry: countryCode(),
  destinationCity: text(100).optional(),
  transitCountries: z.array(countryCode()).max(10).default([]),
  /** Legs beyond the ticketed destination; the last one is the final destination. */
  onwardLegs: z.array(onwardLegSchema).max(5).default([]),
  hasReturnTicket: z.boolean(),
  returnDate: isoDate().optional(),
  ticketPaidBy: z.enum(ticketPayers),
  groupSize: z.number().int().min(1).max(1000).default(1),
  previousInternationalTrips: z.number().int().min(0).max(10000),
});

const purposeSchema = z.strictObject({
  declaredPurpose: z.enum(declaredPurposes),
  visaType: z.enum(visaTypes),
});

export const employmentSchema = z.strictObject({
  hasJobOffer: z.boolean(),
  jobTitle: text(200).optional(),
  jobDescription: text(4000).optional(),
  employerName: text(200).optional(),
  employerCountry: countryCode().optional(),
  employerCity: text(100).optional(),
  offeredMonthlySalary: z.number().min(0).max(1e12).optional(),
  salaryCurrency: currencyCode().optional(),
  recruitedVia: z.enum(recruitmentChannels).optional(),
  recruiterName: text(200).optional(),
  recruiterPhone: phoneNumber().optional(),
  placementAgencyName: text(200).optional(),
  placementAgencyLicence: text(100).optional(),
  idPmiNumber: text(100).optional(),
  hasPlacementAgreement: z.boolean().optional(),
});

/** The licensed organiser of a pilgrimage (PPIU for umrah, PIHK for special hajj). */
export const travelAgencySchema = z.strictObject({
  name: text(200).optional(),
  licenceType: z.enum(travelAgencyLicenceTypes).optional(),
  licenceNumber: text(100).optional(),
});

/** A seafarer's documents and the crew agency placing them (SIUPPAK licence). */
export const seafarerSchema = z.strictObject({
  /** Buku Pelaut. */
  seamansBookNumber: text(40).optional(),
  /** A signed sea employment agreement (Perjanjian Kerja Laut). */
  hasSeaEmploymentAgreement: z.boolean().optional(),
  vesselName: text(200).optional(),
  crewAgencyName: text(200).optional(),
  /** Surat Izin Usaha Perekrutan dan Penempatan Awak Kapal. */
  crewAgencyLicence: text(100).optional(),
});

const sponsorSchema = z.strictObject({
  name: text(200).optional(),
  phone: phoneNumber().optional(),
});

/** IOM counter red flags the officer records. */
const observationsSchema = z.strictObject({
  companionAnswersForTraveller: z.boolean().optional(),
  travellerNotHoldingOwnDocuments: z.boolean().optional(),
  travelArrangedByThirdParty: z.boolean().optional(),
  inconsistentStory: z.boolean().optional(),
  appearsCoached: z.boolean().optional(),
});

const officerNotes = text(2000).optional();

/**
 * The passport's machine-readable zone as a reader outputs it: the two TD3 lines (44 characters each).
 * Checked with the `mrz` package (format, check digits); a bad MRZ is refused naming its line and
 * field. Stored with the application (replays compare it with the typed fields again), never logged.
 */
const mrzSchema = z
  .array(z.string().max(60), { error: 'expected the two lines of the passport MRZ' })
  .length(2, 'expected the two lines of the passport MRZ')
  .transform((lines) => lines.map(normaliseMrzLine) as [string, string])
  .superRefine((lines, ctx) => {
    for (const problem of mrzProblems(lines)) ctx.addIssue({ code: 'custom', path: [problem.line], message: problem.message });
  });

export const departureCheckInputSchema = z.strictObject({
  traveller: travellerSchema,
  trip: tripSchema,
  purpose: purposeSchema,
  employment: employmentSchema.optional(),
  travelAgency: travelAgencySchema.optional(),
  seafarer: seafarerSchema.optional(),
  sponsor: sponsorSchema.optional(),
  observations: observationsSchema.optional(),
  officerNotes,
  /** The passport's MRZ, when a reader scanned it. */
  mrz: mrzSchema.optional(),
});

export const passportApplicationInputSchema = z.strictObject({
  applicant: applicantSchema,
  applicationDate: isoDate(),
  statedPurpose: z.enum(declaredPurposes),
  intendedDestinationCountry: countryCode(),
  intendedDestinationCity: text(100).optional(),
  intendedTravelDate: isoDate().optional(),
  isFirstPassport: z.boolean(),
  urgency: z.enum(['normal', 'urgent']),
  employment: employmentSchema.optional(),
  travelAgency: travelAgencySchema.optional(),
  seafarer: seafarerSchema.optional(),
  supportingDocuments: z.strictObject({
    recommendationLetter: z.boolean(),
    employerLetter: z.boolean(),
    invitationLetter: z.boolean().optional(),
  }),
  interview: z
    .strictObject({
      jobDescribedClearly: z.boolean().optional(),
      knowsWorkplaceAddress: z.boolean().optional(),
      knowsResponsiblePerson: z.boolean().optional(),
      dependsOnThirdParty: z.boolean().optional(),
      answers: text(4000).optional(),
    })
    .optional(),
  observations: observationsSchema.optional(),
  officerNotes,
  /** The MRZ of the applicant's current passport (a renewal), when a reader scanned it. */
  mrz: mrzSchema.optional(),
});

/** A departure check as received (before normalisation). */
export type DepartureCheckInput = z.input<typeof departureCheckInputSchema>;
/** A normalised departure check. */
export type DepartureCheck = z.output<typeof departureCheckInputSchema>;
export type PassportApplicationInput = z.input<typeof passportApplicationInputSchema>;
export type PassportApplication = z.output<typeof passportApplicationInputSchema>;
export type Employment = z.output<typeof employmentSchema>;
export type OnwardLeg = z.output<typeof onwardLegSchema>;
export type ApplicationKind = 'departure' | 'passport';
export const applicationKinds: readonly ApplicationKind[] = ['departure', 'passport'];

export type Application = { kind: 'departure'; data: DepartureCheck } | { kind: 'passport'; data: PassportApplication };

/**
 * A passenger as a carrier's manifest (API/PAXLST or a ferry list) describes them, before they reach a
 * counter: only what the message carries, so most fields are optional. The manifests component maps
 * messages into this shape (src/manifests/paxlst.ts, src/manifests/ferry-csv.ts); the engine screens
 * it as the `manifest` kind.
 */
export const manifestPassengerSchema = z.strictObject({
  passenger: z.strictObject({
    fullName: text(200),
    sex: z.enum(['M', 'F', 'U']).optional(),
    dateOfBirth: isoDate().optional(),
    nationality: countryCode().optional(),
    documentType: z.enum(['passport', 'other']).optional(),
    documentNumber: text(40).optional(),
    documentExpiry: isoDate().optional(),
    documentIssuingCountry: countryCode().optional(),
  }),
  trip: z.strictObject({
    mode: z.enum(['air', 'sea']),
    carrier: text(100).optional(),
    flightOrVessel: text(40),
    departurePort: text(40),
    arrivalPort: text(40),
    departureAt: isoDateTime(),
    arrivalAt: isoDateTime().optional(),
    /** The country of the arrival port (or of the passenger's own port of debarkation, when given). */
    destinationCountry: countryCode().optional(),
    destinationCity: text(100).optional(),
    /** True when the manifest shows a one-way booking, false when it shows a return; absent when it does not say. */
    oneWay: z.boolean().optional(),
  }),
  booking: z.strictObject({
    reference: text(70).optional(),
    contactPhone: text(60).optional(),
    contactEmail: text(200).optional(),
    /** Other passengers on the same manifest with the same booking contact (phone or e-mail) or payer. */
    othersSharingContact: z.number().int().min(0),
    /** Other passengers on the same manifest with the same booking reference. */
    othersSharingReference: z.number().int().min(0),
  }),
});
export type ManifestPassenger = z.output<typeof manifestPassengerSchema>;

/** What the engine screens: an application at a counter, or a passenger on a carrier's manifest. */
export type ScreeningKind = ApplicationKind | 'manifest';
export const screeningKinds: readonly ScreeningKind[] = ['departure', 'passport', 'manifest'];
export type ScreenedItem = Application | { kind: 'manifest'; data: ManifestPassenger };

export const applicationSchemas = {
  departure: departureCheckInputSchema,
  passport: passportApplicationInputSchema,
} as const;

/** Days from a to b (both YYYY-MM-DD); positive when b is later. */
export function daysBetweenDates(a: string, b: string): number {
  return Math.round((dateToEpochDay(b) - dateToEpochDay(a)));
}

/** Whole days since 1970-01-01 of a YYYY-MM-DD (or the date part of an ISO date-time, in its own offset). */
export function dateToEpochDay(date: string): number {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

/** Age in whole years on a date (both YYYY-MM-DD). */
export function ageOn(dateOfBirth: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  const birthdayNotYet = on.slice(5, 10) < dateOfBirth.slice(5, 10);
  return birthdayNotYet ? years - 1 : years;
}

/** The local calendar date of the departure (the date written in the departureAt offset). */
export const departureDateOf = (data: DepartureCheck) => data.trip.departureAt.slice(0, 10);

/**
 * Business errors the schema cannot express (the intake layer answers them with 422).
 * Returns human-readable messages; empty when consistent.
 */
export function checkConsistency(kind: 'departure', input: DepartureCheck): string[];
export function checkConsistency(kind: 'passport', input: PassportApplication): string[];
export function checkConsistency(kind: ApplicationKind, input: DepartureCheck | PassportApplication): string[];
export function checkConsistency(kind: ApplicationKind, input: DepartureCheck | PassportApplication): string[] {
  const problems: string[] = [];
  if (kind === 'departure') {
    const data = input as DepartureCheck;
    const departureDate = departureDateOf(data);
    if (data.trip.returnDate !== undefined && data.trip.returnDate < departureDate) {
      problems.push(`trip.returnDate ${data.trip.returnDate} is before the departure date ${departureDate}`);
    }
    if (data.traveller.dateOfBirth > departureDate) {
      problems.push(`traveller.dateOfBirth ${data.traveller.dateOfBirth} is after the departure date ${departureDate}`);
    }
  } else {
    const data = input as PassportApplication;
    if (data.intendedTravelDate !== undefined && data.intendedTravelDate < data.applicationDate) {
      problems.push(`intendedTravelDate ${data.intendedTravelDate} is before the application date ${data.applicationDate}`);
    }
    if (data.applicant.dateOfBirth > data.applicationDate) {
      problems.push(`applicant.dateOfBirth ${data.applicant.dateOfBirth} is after the application date ${data.applicationDate}`);
    }
  }
  return problems;
}
