import {
  checkConsistency,
  departureCheckInputSchema,
  passportApplicationInputSchema,
} from '../../src/screening/application-schema';
import { fieldCatalogue, fieldPathsFor, isProtectedField } from '../../src/screening/field-paths';
import { applyPatch } from '../../src/screening/rules/tests';
import { buildSubject } from '../../src/screening/subject';
import { holidayInput, passportInput } from './builders';

const parseDeparture = (patch: Record<string, unknown>) => departureCheckInputSchema.safeParse(applyPatch(holidayInput(), patch));

describe('intake schemas', () => {
  it('given messy but valid input, when parsed, then names are folded, codes upper-cased and phones E.164', () => {
    const result = parseDeparture({
      traveller: { fullName: '  Rina   Marlina ', passportNumber: 'c1234567', phone: '0812-3456-7890' },
      trip: { destinationCountry: 'kh', transitCountries: ['my'] },
      employment: { hasJobOffer: true, recruiterPhone: '+855 12 345 678', salaryCurrency: 'usd' },
    });
    expect(result.success).toBe(true);
    const data = result.data!;
    expect(data.traveller.fullName).toBe('Rina Marlina');
    expect(data.traveller.passportNumber).toBe('C1234567');
    expect(data.traveller.phone).toBe('+6281234567890');
    expect(data.trip.destinationCountry).toBe('KH');
    expect(data.trip.transitCountries).toEqual(['MY']);
    expect(data.employment?.recruiterPhone).toBe('+85512345678');
    expect(data.employment?.salaryCurrency).toBe('USD');
  });

  it('given omitted defaults, when parsed, then transitCountries is [] and groupSize is 1', () => {
    const data = parseDeparture({ trip: { groupSize: null } }).data!;
    expect(data.trip.transitCountries).toEqual([]);
    expect(data.trip.groupSize).toBe(1);
  });

  it.each([
    ['an unknown top-level key', { extra: 1 }, ''],
    ['an unknown nested key', { trip: { seat: '12A' } }, 'trip'],
    ['a 15-digit NIK', { traveller: { nik: '317401120385000' } }, 'traveller.nik'],
    ['a malformed passport number', { traveller: { passportNumber: 'X12345' } }, 'traveller.passportNumber'],
    ['an invalid phone', { traveller: { phone: '12' } }, 'traveller.phone'],
    ['a departure without offset', { trip: { departureAt: '2026-12-20T23:55:00' } }, 'trip.departureAt'],
    ['a three-letter country', { trip: { destinationCountry: 'KHM' } }, 'trip.destinationCountry'],
    ['a group of zero', { trip: { groupSize: 0 } }, 'trip.groupSize'],
    ['an unknown purpose', { purpose: { declaredPurpose: 'holiday' } }, 'purpose.declaredPurpose'],
    ['officer notes over 2000 characters', { officerNotes: 'x'.repeat(2001) }, 'officerNotes'],
  ])('given %s, when parsed, then rejected at that path', (_name, patch, path) => {
    const result = parseDeparture(patch);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('given a valid passport application, when parsed, then accepted; without placeOfBirth, rejected', () => {
    expect(passportApplicationInputSchema.safeParse(passportInput()).success).toBe(true);
    const result = passportApplicationInputSchema.safeParse(applyPatch(passportInput(), { applicant: { placeOfBirth: null } }));
    expect(result.error!.issues[0]!.path).toEqual(['applicant', 'placeOfBirth']);
  });
});

describe('checkConsistency', () => {
  it('given a return date before departure, when checked, then one message names it', () => {
    const data = parseDeparture({ trip: { returnDate: '2026-12-19' } }).data!;
    expect(checkConsistency('departure', data)).toEqual([expect.stringContaining('returnDate')]);
  });
  it('given a return on the departure day, when checked, then consistent', () => {
    expect(checkConsistency('departure', parseDeparture({ trip: { returnDate: '2026-12-20' } }).data!)).toEqual([]);
  });
  it('given a travel date before the application and a birth after it, when checked, then both reported', () => {
    const data = passportApplicationInputSchema.parse(applyPatch(passportInput(), { intendedTravelDate: '2026-11-01', applicant: { dateOfBirth: '2026-11-03' } }));
    expect(checkConsistency('passport', data)).toHaveLength(2);
  });
});

describe('derived subject', () => {
  it('given a departure the day before the 42nd birthday, when derived, then age 41, trip length and chain are computed', () => {
    const data = parseDeparture({ traveller: { dateOfBirth: '1984-12-21' }, trip: { transitCountries: ['SG'] } }).data!;
    const { derived } = buildSubject('departure', data);
    expect(derived).toMatchObject({ referenceDate: '2026-12-20', age: 41, ageAtDeparture: 41, tripLengthDays: 14, destinationChain: ['SG', 'JP'], purpose: 'tourism' });
  });
  it('given a receipt time, when derived, then hours to departure are computed from it', () => {
    const data = parseDeparture({}).data!;
    const { derived } = buildSubject('departure', data, { receivedAt: '2026-12-20T13:55:00.000Z' });
    expect(derived).toMatchObject({ hoursFromReceiptToDeparture: 3 });
  });
});

describe('field paths', () => {
  it('given the schemas, when walked, then leaves, derived and context paths are listed per kind with types', () => {
    const departure = fieldPathsFor('departure');
    expect(departure).toEqual(expect.arrayContaining(['traveller.nik', 'trip.transitCountries', 'employment.recruiterPhone', 'observations.appearsCoached', 'derived.ageAtDeparture']));
    // The context is read through the watchlist and linked conditions, not as fields.
    expect(departure.filter((path) => path.startsWith('context.'))).toEqual([]);
    expect(departure).not.toContain('applicationDate');
    expect(fieldPathsFor('passport')).toEqual(expect.arrayContaining(['applicant.placeOfBirth', 'supportingDocuments.recommendationLetter', 'interview.answers', 'derived.daysUntilTravel']));
    expect(fieldCatalogue.departure.get('trip.destinationCountry')).toMatchObject({ type: 'string', tag: 'country', optional: false });
    expect(fieldCatalogue.departure.get('purpose.visaType')?.values).toContain('visa_on_arrival');
    expect(fieldCatalogue.departure.get('trip.transitCountries')).toMatchObject({ type: 'string[]', tag: 'country' });
  });
  it.each([
    ['traveller.sex', true],
    ['applicant.placeOfBirth', true],
    ['derived.ageAtApplication', true],
    ['traveller.fullName', false],
    ['trip.destinationCountry', false],
  ])('given %s, when classified, then protected is %s', (path, expected) => {
    expect(isProtectedField(path)).toBe(expected);
  });
});
