import { z } from 'zod';
import type { ApiRoute } from '../openapi/registry';
import { departureCheckInputSchema, passportApplicationInputSchema } from '../screening/application-schema';
import { decisionSchema } from '../screening/openapi-schemas';
import { idParams, listQuerySchema } from './routes';

const screenedSchema = z
  .object({ id: z.uuid(), kind: z.enum(['departure', 'passport']), decision: decisionSchema, caseId: z.uuid().nullable() })
  .meta({ id: 'ScreeningResult' });

const applicationSchema = z.object({ id: z.uuid(), kind: z.enum(['departure', 'passport']), officeCode: z.string(), outcome: z.string() }).loose();

/**
 * A departure as an officer at Juanda (Surabaya) would enter it: flying to Ho Chi Minh City via Kuala
 * Lumpur and going on by land to Bavet on the Cambodian border, for an "online marketing" job found on
 * TikTok, the ticket paid by the recruiter. Written for the documentation; no test uses it as a fixture.
 */
export const departureCheckExample = {
  traveller: {
    fullName: 'Lalu Ahmad Zulkarnain',
    nik: '5201011708990003',
    passportNumber: 'E4821907',
    dateOfBirth: '1999-08-17',
    sex: 'M',
    provinceOfOrigin: 'Nusa Tenggara Barat',
    regencyOfOrigin: 'Lombok Barat',
    phone: '+62 819-0731-4482',
    isFirstPassport: true,
  },
  trip: {
    checkpointCode: 'TPI-SUB',
    departureAt: '2027-02-09T06:15:00+07:00',
    carrier: 'Malaysia Airlines',
    flightOrVessel: 'MH 870',
    mode: 'air',
    destinationCountry: 'VN',
    destinationCity: 'Ho Chi Minh City',
    transitCountries: ['MY'],
    onwardLegs: [{ mode: 'land', country: 'KH', city: 'Bavet' }],
    hasReturnTicket: false,
    ticketPaidBy: 'recruiter',
    groupSize: 3,
    previousInternationalTrips: 0,
  },
  purpose: { declaredPurpose: 'tourism', visaType: 'visa_exemption' },
  employment: {
    hasJobOffer: true,
    jobTitle: 'Marketing online',
    jobDescription: 'Promosi produk lewat media sosial, mess dan makan ditanggung, tidak perlu pengalaman',
    employerName: 'Jin Bei Entertainment',
    employerCountry: 'KH',
    employerCity: 'Bavet',
    offeredMonthlySalary: 15_000_000,
    salaryCurrency: 'IDR',
    recruitedVia: 'tiktok',
    recruiterName: 'Mas Andi',
    recruiterPhone: '+60 11-2345 8710',
  },
  observations: { travelArrangedByThirdParty: true },
};

/**
 * A first passport application at the Cirebon immigration office: "visiting family" in Malaysia, but
 * the interview reveals a housekeeping job offered on WhatsApp and no Disnaker recommendation.
 */
export const passportApplicationExample = {
  applicant: {
    fullName: 'Siti Nurhasanah',
    nik: '3212066204980002',
    dateOfBirth: '1998-04-22',
    sex: 'F',
    provinceOfOrigin: 'Jawa Barat',
    regencyOfOrigin: 'Indramayu',
    placeOfBirth: 'Indramayu',
  },
  applicationDate: '2027-01-18',
  statedPurpose: 'family_visit',
  intendedDestinationCountry: 'MY',
  intendedDestinationCity: 'Johor Bahru',
  intendedTravelDate: '2027-02-01',
  isFirstPassport: true,
  urgency: 'normal',
  employment: { hasJobOffer: true, jobTitle: 'Asisten rumah tangga', recruitedVia: 'whatsapp', offeredMonthlySalary: 1800, salaryCurrency: 'MYR' },
  supportingDocuments: { recommendationLetter: false, employerLetter: false, invitationLetter: false },
  interview: { jobDescribedClearly: false, knowsWorkplaceAddress: false, knowsResponsiblePerson: false, dependsOnThirdParty: true },
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
