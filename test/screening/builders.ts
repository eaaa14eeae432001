/** Baseline valid applications for screening tests; overrides are deep-merged (null removes a key). */
import {
  departureCheckInputSchema,
  passportApplicationInputSchema,
} from '../../src/screening/application-schema';
import { applyPatch } from '../../src/screening/rules/tests';
import { buildSubject, type ScreeningSubject } from '../../src/screening/subject';

export function holidayInput(): Record<string, unknown> {
  return {
    traveller: { fullName: 'Budi Santoso', nik: '3174011203850002', passportNumber: 'B7654321', dateOfBirth: '1985-03-12', sex: 'M', provinceOfOrigin: 'DKI Jakarta' },
    trip: {
      departureAt: '2026-12-20T23:55:00+07:00',
      carrier: 'Garuda Indonesia',
      flightOrVessel: 'GA 874',
      mode: 'air',
      destinationCountry: 'JP',
      destinationCity: 'Tokyo',
      hasReturnTicket: true,
      returnDate: '2027-01-03',
      ticketPaidBy: 'self',
      groupSize: 4,
      previousInternationalTrips: 5,
    },
    purpose: { declaredPurpose: 'tourism', visaType: 'visa_exemption' },
  };
}

export function passportInput(): Record<string, unknown> {
  return {
    applicant: { fullName: 'Siti Aminah', nik: '3215014504900005', dateOfBirth: '1990-04-05', sex: 'F', provinceOfOrigin: 'Jawa Barat', placeOfBirth: 'Bekasi' },
    applicationDate: '2026-11-02',
    statedPurpose: 'tourism',
    intendedDestinationCountry: 'JP',
    isFirstPassport: true,
    urgency: 'normal',
    supportingDocuments: { recommendationLetter: false, employerLetter: false },
  };
}

export function departure(patch: Record<string, unknown> = {}): ScreeningSubject {
  return buildSubject('departure', departureCheckInputSchema.parse(applyPatch(holidayInput(), patch)));
}

export function passport(patch: Record<string, unknown> = {}): ScreeningSubject {
  return buildSubject('passport', passportApplicationInputSchema.parse(applyPatch(passportInput(), patch)));
}
