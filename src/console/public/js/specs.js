// @ts-check
// The two intake forms, field by field, in the order an officer reads the documents. Field paths,
// types and enum values come from the server (reference.json: the intake zod schemas); this file
// says only layout, which fields are required, and the format checks the API applies
// (src/screening/application-schema.ts).

const person = (root) => [
  { path: `${root}.fullName`, required: true, max: 200, span: 'wide' },
  { path: `${root}.nik`, required: true, pattern: /^\d{16}$/, patternMessage: 'v.nik', inputmode: 'numeric', hint: 'hint.nik' },
];

const personRest = (root) => [
  { path: `${root}.dateOfBirth`, required: true },
  { path: `${root}.sex`, required: true, options: 'sex' },
  { path: `${root}.provinceOfOrigin`, required: true, max: 100 },
  { path: `${root}.regencyOfOrigin`, max: 100 },
  { path: `${root}.phone` },
];

const employmentFields = [
  { path: 'employment.hasJobOffer', kind: 'flag' },
  { path: 'employment.jobTitle', max: 200 },
  { path: 'employment.employerName', max: 200 },
  { path: 'employment.employerCountry' },
  { path: 'employment.employerCity', max: 100 },
  { path: 'employment.offeredMonthlySalary', integer: false, min: 0, max: 1e12 },
  { path: 'employment.salaryCurrency', hint: 'hint.currency' },
  { path: 'employment.recruitedVia', options: 'channel' },
  { path: 'employment.recruiterName', max: 200 },
  { path: 'employment.recruiterPhone' },
  { path: 'employment.placementAgencyName', max: 200 },
  { path: 'employment.placementAgencyLicence', max: 100 },
  { path: 'employment.idPmiNumber', max: 100 },
  { path: 'employment.hasPlacementAgreement', widget: 'tri' },
  { path: 'employment.jobDescription', widget: 'textarea', max: 4000 },
];

const observationFields = [
  'companionAnswersForTraveller',
  'travellerNotHoldingOwnDocuments',
  'travelArrangedByThirdParty',
  'inconsistentStory',
  'appearsCoached',
].map((name) => ({ path: `observations.${name}`, kind: 'flag' }));

const notes = { path: 'officerNotes', widget: 'textarea', max: 2000 };

/** Pilgrims' licensed organiser (PPIU/PIHK) and seafarers' documents and crew agency (SIUPPAK). */
const travelAgencyFields = [
  { path: 'travelAgency.name', max: 200 },
  { path: 'travelAgency.licenceType', options: 'agencyLicence' },
  { path: 'travelAgency.licenceNumber', max: 100 },
];
const seafarerFields = [
  { path: 'seafarer.seamansBookNumber', max: 40 },
  { path: 'seafarer.hasSeaEmploymentAgreement', widget: 'tri' },
  { path: 'seafarer.vesselName', max: 200 },
  { path: 'seafarer.crewAgencyName', max: 200 },
  { path: 'seafarer.crewAgencyLicence', max: 100 },
];

/** A job offer recorded at all means the employment block is sent, and then hasJobOffer must be said. */
function withEmployment(payload) {
  if (payload.employment && payload.employment.hasJobOffer === undefined) payload.employment.hasJobOffer = false;
  // The form has one onward leg (trip.onwardLeg.*); the API takes a list of them.
  const leg = payload.trip?.onwardLeg;
  if (payload.trip) delete payload.trip.onwardLeg;
  if (leg?.country) payload.trip.onwardLegs = [{ mode: leg.mode ?? 'land', country: leg.country, ...(leg.city ? { city: leg.city } : {}) }];
  return payload;
}

export const departureForm = {
  kind: 'departure',
  endpoint: '/departure-checks',
  sections: [
    {
      legend: 'sec.traveller',
      fields: [
        ...person('traveller'),
        { path: 'traveller.passportNumber', required: true, pattern: /^[A-Z]{1,2}\d{6,7}$/, upper: true, patternMessage: 'v.passport' },
        ...personRest('traveller'),
        { path: 'traveller.isFirstPassport', kind: 'flag' },
      ],
    },
    {
      legend: 'sec.trip',
      fields: [
        { path: 'trip.departureAt', required: true },
        { path: 'trip.carrier', required: true, max: 100 },
        { path: 'trip.flightOrVessel', required: true, max: 40 },
        { path: 'trip.mode', required: true, options: 'mode' },
        { path: 'trip.destinationCountry', required: true, hint: 'hint.country' },
        { path: 'trip.destinationCity', max: 100 },
        { path: 'trip.transitCountries', hint: 'hint.countries' },
        { path: 'trip.onwardLeg.mode', widget: 'select', values: ['land', 'sea', 'air'], options: 'mode', hint: 'hint.onwardLeg' },
        { path: 'trip.onwardLeg.country', widget: 'country' },
        { path: 'trip.onwardLeg.city', max: 100 },
        { path: 'trip.ticketPaidBy', required: true, options: 'payer' },
        { path: 'trip.hasReturnTicket', kind: 'bool' },
        { path: 'trip.returnDate' },
        { path: 'trip.groupSize', min: 1, max: 1000 },
        { path: 'trip.previousInternationalTrips', required: true, min: 0, max: 10000 },
      ],
    },
    {
      legend: 'sec.purpose',
      fields: [
        { path: 'purpose.declaredPurpose', required: true, options: 'purpose' },
        { path: 'purpose.visaType', required: true, options: 'visa' },
      ],
    },
    { legend: 'sec.employment', note: 'sec.employment.note', fields: employmentFields },
    { legend: 'sec.travelAgency', note: 'sec.travelAgency.note', fields: travelAgencyFields },
    { legend: 'sec.seafarer', note: 'sec.seafarer.note', fields: seafarerFields },
    {
      legend: 'sec.sponsor',
      fields: [
        { path: 'sponsor.name', max: 200 },
        { path: 'sponsor.phone' },
      ],
    },
    { legend: 'sec.observations', fields: [...observationFields, notes] },
  ],
  finalize: withEmployment,
  /** The API's consistency checks (checkConsistency): answered with 422 by the server. */
  crossChecks(payload) {
    const problems = [];
    const departureDate = payload.trip?.departureAt?.slice(0, 10);
    if (departureDate && payload.trip?.returnDate && payload.trip.returnDate < departureDate) {
      problems.push({ path: 'trip.returnDate', key: 'v.returnBeforeDeparture' });
    }
    if (departureDate && payload.traveller?.dateOfBirth && payload.traveller.dateOfBirth > departureDate) {
      problems.push({ path: 'traveller.dateOfBirth', key: 'v.bornAfterDeparture' });
    }
    return problems;
  },
};

export const passportForm = {
  kind: 'passport',
  endpoint: '/passport-applications',
  sections: [
    {
      legend: 'sec.applicant',
      fields: [...person('applicant'), { path: 'applicant.placeOfBirth', required: true, max: 100 }, ...personRest('applicant')],
    },
    {
      legend: 'sec.application',
      fields: [
        { path: 'applicationDate', required: true },
        { path: 'statedPurpose', required: true, options: 'purpose' },
        { path: 'intendedDestinationCountry', required: true, hint: 'hint.country' },
        { path: 'intendedDestinationCity', max: 100 },
        { path: 'intendedTravelDate' },
        { path: 'urgency', required: true, options: 'urgency' },
        { path: 'isFirstPassport', kind: 'bool' },
      ],
    },
    {
      legend: 'sec.documents',
      fields: [
        { path: 'supportingDocuments.recommendationLetter', kind: 'bool' },
        { path: 'supportingDocuments.employerLetter', kind: 'bool' },
        { path: 'supportingDocuments.invitationLetter', widget: 'tri' },
      ],
    },
    { legend: 'sec.employment', note: 'sec.employment.note', fields: employmentFields },
    {
      legend: 'sec.interview',
      fields: [
        { path: 'interview.jobDescribedClearly', widget: 'tri' },
        { path: 'interview.knowsWorkplaceAddress', widget: 'tri' },
        { path: 'interview.knowsResponsiblePerson', widget: 'tri' },
        { path: 'interview.dependsOnThirdParty', widget: 'tri' },
        { path: 'interview.answers', widget: 'textarea', max: 4000 },
      ],
    },
    { legend: 'sec.observations', fields: [...observationFields, notes] },
  ],
  finalize: withEmployment,
  crossChecks(payload) {
    const problems = [];
    if (payload.applicationDate && payload.intendedTravelDate && payload.intendedTravelDate < payload.applicationDate) {
      problems.push({ path: 'intendedTravelDate', key: 'v.travelBeforeApplication' });
    }
    if (payload.applicationDate && payload.applicant?.dateOfBirth && payload.applicant.dateOfBirth > payload.applicationDate) {
      problems.push({ path: 'applicant.dateOfBirth', key: 'v.bornAfterApplication' });
    }
    return problems;
  },
};

export const formOf = { departure: departureForm, passport: passportForm };

/** Every field's spec by path, for showing stored applications with the same labels. */
export function fieldSpecs(kind) {
  return new Map(formOf[kind].sections.flatMap((section) => section.fields).map((field) => [field.path, field]));
}
