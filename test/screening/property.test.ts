import fc from 'fast-check';
import {
  declaredPurposes,
  departureCheckInputSchema,
  passportApplicationInputSchema,
  recruitmentChannels,
  ticketPayers,
  visaTypes,
} from '../../src/screening/application-schema';
import { compileRuleSet } from '../../src/screening/engine';
import { loadRuleSetFromDirOrThrow } from '../../src/screening/rules/loader';
import { buildSubject, screeningContextSchema } from '../../src/screening/subject';

const engine = compileRuleSet(loadRuleSetFromDirOrThrow('rules/default'));

const country = fc.constantFrom('KH', 'MM', 'LA', 'PH', 'MY', 'TH', 'VN', 'SG', 'JP', 'TW', 'SA', 'kh', ' us ');
const date = fc.date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const text = fc.oneof(fc.string({ minLength: 1, maxLength: 60 }), fc.constantFrom('Customer Service', 'CS online gaji tinggi', 'Phnom Penh', 'Sihanoukville', 'ádmin  ÓNLINE', '🙂 crypto', 'x'));
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const phone = fc.constantFrom('0812-3456-7890', '+855 12 345 678', '+6281234567890', '+886 912 345 678');

const employment = fc.record(
  {
    hasJobOffer: fc.boolean(),
    jobTitle: text,
    jobDescription: text,
    employerName: text,
    employerCountry: country,
    employerCity: text,
    offeredMonthlySalary: fc.double({ min: 0, max: 1e9, noNaN: true }),
    salaryCurrency: fc.constantFrom('USD', 'IDR', 'KHR', 'XYZ', 'twd'),
    recruitedVia: fc.constantFrom(...recruitmentChannels),
    recruiterName: text,
    recruiterPhone: phone,
    placementAgencyName: text,
    placementAgencyLicence: text,
    idPmiNumber: text,
    hasPlacementAgreement: fc.boolean(),
  },
  { requiredKeys: ['hasJobOffer'] },
);
const observations = fc.record(
  { companionAnswersForTraveller: fc.boolean(), travellerNotHoldingOwnDocuments: fc.boolean(), travelArrangedByThirdParty: fc.boolean(), inconsistentStory: fc.boolean(), appearsCoached: fc.boolean() },
  { requiredKeys: [] },
);
const person = {
  fullName: text,
  nik: fc.stringMatching(/^\d{16}$/),
  dateOfBirth: date,
  sex: fc.constantFrom('M', 'F'),
  provinceOfOrigin: text,
  regencyOfOrigin: opt(text),
  phone: opt(phone),
  religion: opt(text),
};
const watchlistMatch = fc.record({
  list: fc.constantFrom('phone', 'agency', 'employer', 'address', 'person'),
  field: fc.constantFrom('employment.recruiterPhone', 'sponsor.phone', 'employment.employerName', 'employment.placementAgencyName', 'employment.recruiterName', 'trip.destinationCity'),
  entryId: fc.uuid(),
  entry: text,
  similarity: fc.double({ min: 0, max: 1, noNaN: true }),
  source: text,
});
const linked = fc.array(fc.record({ applicationId: fc.uuid(), daysApart: fc.double({ min: 0, max: 60, noNaN: true }), traveller: fc.constantFrom('t1', 't2', 't3', 't4') }), { maxLength: 6 });
const context = fc.record(
  {
    watchlist: fc.array(watchlistMatch, { maxLength: 4 }),
    links: fc.record({ recruiterPhone: linked, sponsorPhone: linked, employer: linked, ticketPayer: linked }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

const departureInput = fc.record({
  traveller: fc.record({ ...person, passportNumber: fc.stringMatching(/^[A-Za-z]{1,2}\d{6,7}$/) }),
  trip: fc.record({
    departureAt: fc.tuple(date, fc.constantFrom('T00:00:00+07:00', 'T23:59:59Z', 'T12:30:00-05:00')).map(([d, t]) => d + t),
    carrier: text,
    flightOrVessel: text,
    mode: fc.constantFrom('air', 'sea', 'land'),
    destinationCountry: country,
    destinationCity: opt(text),
    transitCountries: opt(fc.array(country, { maxLength: 4 })),
    hasReturnTicket: fc.boolean(),
    returnDate: opt(date),
    ticketPaidBy: fc.constantFrom(...ticketPayers),
    groupSize: opt(fc.integer({ min: 1, max: 1000 })),
    previousInternationalTrips: fc.nat(10000),
  }),
  purpose: fc.record({ declaredPurpose: fc.constantFrom(...declaredPurposes), visaType: fc.constantFrom(...visaTypes) }),
  employment: opt(employment),
  sponsor: opt(fc.record({ name: opt(text), phone: opt(phone) })),
  observations: opt(observations),
  officerNotes: opt(text),
});

const passportInput = fc.record({
  applicant: fc.record({ ...person, placeOfBirth: text }),
  applicationDate: date,
  statedPurpose: fc.constantFrom(...declaredPurposes),
  intendedDestinationCountry: country,
  intendedDestinationCity: opt(text),
  intendedTravelDate: opt(date),
  isFirstPassport: fc.boolean(),
  urgency: fc.constantFrom('normal', 'urgent'),
  employment: opt(employment),
  supportingDocuments: fc.record({ recommendationLetter: fc.boolean(), employerLetter: fc.boolean(), invitationLetter: opt(fc.boolean()) }),
  interview: opt(fc.record({ jobDescribedClearly: opt(fc.boolean()), knowsWorkplaceAddress: opt(fc.boolean()), knowsResponsiblePerson: opt(fc.boolean()), dependsOnThirdParty: opt(fc.boolean()), answers: opt(text) })),
  observations: opt(observations),
  officerNotes: opt(text),
});

/** Drops undefined-valued keys: JSON bodies never carry them. */
const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe('engine robustness', () => {
  it('given any departure check that passes the intake schema, when evaluated, then it never throws and the outcome is consistent', () => {
    let evaluated = 0;
    fc.assert(
      fc.property(departureInput, context, (input, ctx) => {
        const parsed = departureCheckInputSchema.safeParse(json(input));
        if (!parsed.success) return;
        evaluated++;
        const result = engine.evaluate(buildSubject('departure', parsed.data), screeningContextSchema.parse(ctx));
        expect(result.score).toBe(result.hits.reduce((sum, h) => sum + h.weight, 0));
        if (result.outcome === 'CLEAR') expect(result.score).toBeLessThan(engine.thresholds.review);
        if (result.score >= engine.thresholds.postpone) expect(result.outcome).toBe('POSTPONE_RECOMMENDED');
      }),
      { numRuns: 400 },
    );
    expect(evaluated).toBeGreaterThan(100);
  });

  it('given any passport application that passes the intake schema, when evaluated, then it never throws', () => {
    let evaluated = 0;
    fc.assert(
      fc.property(passportInput, context, (input, ctx) => {
        const parsed = passportApplicationInputSchema.safeParse(json(input));
        if (!parsed.success) return;
        evaluated++;
        const result = engine.evaluate(buildSubject('passport', parsed.data), screeningContextSchema.parse(ctx));
        expect(['CLEAR', 'REVIEW', 'POSTPONE_RECOMMENDED']).toContain(result.outcome);
      }),
      { numRuns: 400 },
    );
    expect(evaluated).toBeGreaterThan(100);
  });
});
