import { z } from 'zod';
import type { ApiRoute } from '../openapi/registry';
import { departureCheckInputSchema, passportApplicationInputSchema } from '../screening/application-schema';
import { decisionSchema } from '../screening/openapi-schemas';
import { idParams, listQuerySchema } from './routes';

const screenedSchema = z
  .object({ id: z.uuid(), kind: z.enum(['departure', 'passport']), decision: decisionSchema, caseId: z.uuid().nullable() })
  .meta({ id: 'ScreeningResult' });

const applicationSchema = z.object({ id: z.uuid(), kind: z.enum(['departure', 'passport']), officeCode: z.string(), outcome: z.string() }).loose();

/** The textbook scam-compound lure, as an officer at Soekarno-Hatta would enter it. */
export const departureCheckExample = {
  traveller: {
    fullName: 'Rina Marlina',
    nik: '3201235403010001',
    passportNumber: 'C1234567',
    dateOfBirth: '2001-03-14',
    sex: 'F',
    provinceOfOrigin: 'Jawa Barat',
    regencyOfOrigin: 'Karawang',
    phone: '0812-3456-7890',
  },
  trip: {
    departureAt: '2026-11-23T09:40:00+07:00',
    carrier: 'AirAsia',
    flightOrVessel: 'QZ 262',
    mode: 'air',
    destinationCountry: 'KH',
    destinationCity: 'Phnom Penh',
    transitCountries: ['MY'],
    hasReturnTicket: false,
    ticketPaidBy: 'employer',
    groupSize: 4,
    previousInternationalTrips: 0,
  },
  purpose: { declaredPurpose: 'tourism', visaType: 'tourist' },
  employment: {
    hasJobOffer: true,
    jobTitle: 'Customer Service',
    jobDescription: 'Kerja kantoran jadi CS online, gaji tinggi tanpa pengalaman, tiket ditanggung',
    employerName: 'Golden Star Trading Co.',
    employerCountry: 'KH',
    employerCity: 'Phnom Penh',
    offeredMonthlySalary: 1200,
    salaryCurrency: 'USD',
    recruitedVia: 'telegram',
    recruiterName: 'Bang Jo',
    recruiterPhone: '+855 12 345 678',
  },
};

export const passportApplicationExample = {
  applicant: { fullName: 'Agus Prasetyo', nik: '3215010101000004', dateOfBirth: '2000-01-01', sex: 'M', provinceOfOrigin: 'Jawa Barat', placeOfBirth: 'Karawang' },
  applicationDate: '2026-11-20',
  statedPurpose: 'tourism',
  intendedDestinationCountry: 'KH',
  intendedTravelDate: '2026-11-27',
  isFirstPassport: true,
  urgency: 'urgent',
  employment: { hasJobOffer: true, jobTitle: 'Admin online', recruitedVia: 'facebook' },
  supportingDocuments: { recommendationLetter: false, employerLetter: false },
};

const idempotent = 'Send an Idempotency-Key header to make retries safe: the same key and body returns the first result (200); the same key with another body is a 409.';

export const applicationApi: ApiRoute[] = [
  {
    method: 'post',
    path: '/api/v1/departure-checks',
    operationId: 'submitDepartureCheck',
    tag: 'Screening',
    summary: `Screen a traveller at a checkpoint. ${idempotent}`,
    roles: ['officer', 'supervisor'],
    body: departureCheckInputSchema,
    example: departureCheckExample,
    success: { status: 201, description: 'Screened and stored; REVIEW and POSTPONE_RECOMMENDED open a review case', schema: screenedSchema },
    errors: [409, 422],
  },
  {
    method: 'post',
    path: '/api/v1/passport-applications',
    operationId: 'submitPassportApplication',
    tag: 'Screening',
    summary: `Screen a passport application at a passport office. ${idempotent}`,
    roles: ['passport_officer', 'supervisor'],
    body: passportApplicationInputSchema,
    example: passportApplicationExample,
    success: { status: 201, description: 'Screened and stored', schema: screenedSchema },
    errors: [409, 422],
  },
  {
    method: 'get',
    path: '/api/v1/applications',
    operationId: 'listApplications',
    tag: 'Screening',
    summary: 'List applications (newest first; q finds an exact NIK or passport number, or a name)',
    query: listQuerySchema,
    success: { status: 200, description: 'One page', schema: z.object({ items: z.array(applicationSchema), nextCursor: z.string().nullable() }) },
  },
  {
    method: 'get',
    path: '/api/v1/applications/:id',
    operationId: 'getApplication',
    tag: 'Screening',
    summary: 'One application with its decisions and case',
    params: idParams,
    success: { status: 200, description: 'The application', schema: applicationSchema },
    errors: [404],
  },
];
