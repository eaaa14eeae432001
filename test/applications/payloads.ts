/** Realistic request bodies (the reference scenarios), shared by the API, screening and other tests. */

/** The textbook scam-compound lure: tourist visa to Phnom Penh, "customer service" job found on Telegram, employer-paid one-way ticket. */
export function cambodiaLure() {
  return {
    traveller: {
      fullName: '  Rina   Marlina ',
      nik: '3201235403010001',
      passportNumber: 'c1234567',
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
      destinationCountry: 'kh',
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
}

/** A family holiday to Japan with a return ticket and no job offer. */
export function japanHoliday() {
  return {
    traveller: {
      fullName: 'Budi Santoso',
      nik: '3174011203850002',
      passportNumber: 'B7654321',
      dateOfBirth: '1985-03-12',
      sex: 'M',
      provinceOfOrigin: 'DKI Jakarta',
    },
    trip: {
      departureAt: '2026-12-20T23:55:00+07:00',
      carrier: 'Garuda Indonesia',
      flightOrVessel: 'GA 874',
      mode: 'air',
      destinationCountry: 'JP',
      destinationCity: 'Tokyo',
      transitCountries: [],
      hasReturnTicket: true,
      returnDate: '2027-01-03',
      ticketPaidBy: 'self',
      groupSize: 4,
      previousInternationalTrips: 5,
    },
    purpose: { declaredPurpose: 'tourism', visaType: 'visa_exemption' },
  };
}

/** A procedural migrant worker to Taiwan: licensed agency, ID PMI, work visa, placement agreement. */
export function proceduralWorker() {
  return {
    traveller: {
      fullName: 'Dewi Lestari',
      nik: '3308015506950003',
      passportNumber: 'C2345678',
      dateOfBirth: '1995-06-15',
      sex: 'F',
      provinceOfOrigin: 'Jawa Tengah',
    },
    trip: {
      departureAt: '2026-12-01T08:00:00+07:00',
      carrier: 'China Airlines',
      flightOrVessel: 'CI 762',
      mode: 'air',
      destinationCountry: 'TW',
      destinationCity: 'Taipei',
      transitCountries: [],
      hasReturnTicket: false,
      ticketPaidBy: 'agency',
      groupSize: 1,
      previousInternationalTrips: 0,
    },
    purpose: { declaredPurpose: 'work', visaType: 'work' },
    employment: {
      hasJobOffer: true,
      jobTitle: 'Caregiver',
      jobDescription: 'Perawat lansia di rumah tangga',
      employerName: 'Chen Family',
      employerCountry: 'TW',
      employerCity: 'Taipei',
      offeredMonthlySalary: 20000,
      salaryCurrency: 'TWD',
      recruitedVia: 'placement_agency',
      placementAgencyName: 'PT Bina Tenaga Kerja Mandiri',
      placementAgencyLicence: 'KEP.123/PPTKIS/2023',
      idPmiNumber: 'PMI-2026-0012345',
      hasPlacementAgreement: true,
    },
  };
}

export function passportForWorkInCambodia() {
  return {
    applicant: {
      fullName: 'Agus Prasetyo',
      nik: '3215010101000004',
      dateOfBirth: '2000-01-01',
      sex: 'M',
      provinceOfOrigin: 'Jawa Barat',
      placeOfBirth: 'Karawang',
    },
    applicationDate: '2026-11-20',
    statedPurpose: 'tourism',
    intendedDestinationCountry: 'KH',
    intendedTravelDate: '2026-11-27',
    isFirstPassport: true,
    urgency: 'urgent',
    employment: { hasJobOffer: true, jobTitle: 'Admin online', recruitedVia: 'facebook' },
    supportingDocuments: { recommendationLetter: false, employerLetter: false },
  };
}

/** A 3-day business trip to Singapore; the ticket is paid by the traveller's Indonesian employer. */
export function businessTripToSingapore() {
  return {
    traveller: { fullName: 'Andi Wijaya', nik: '3171021508880004', passportNumber: 'B1234567', dateOfBirth: '1988-08-15', sex: 'M', provinceOfOrigin: 'DKI Jakarta' },
    trip: {
      departureAt: '2026-12-07T07:30:00+07:00',
      carrier: 'Singapore Airlines',
      flightOrVessel: 'SQ 957',
      mode: 'air',
      destinationCountry: 'SG',
      destinationCity: 'Singapore',
      hasReturnTicket: true,
      returnDate: '2026-12-10',
      ticketPaidBy: 'employer_indonesian',
      previousInternationalTrips: 3,
    },
    purpose: { declaredPurpose: 'business', visaType: 'visa_exemption' },
    employment: { hasJobOffer: false, employerName: 'PT Nusantara Data Solusi', employerCountry: 'ID', employerCity: 'Jakarta' },
  };
}

/** A first-time seafarer flying one way to join a vessel in Singapore, placed by a licensed crew agency (SIUPPAK). */
export function seafarerJoiningVessel() {
  return {
    traveller: { fullName: 'Rizky Pratama', nik: '3374012003990001', passportNumber: 'C8765432', dateOfBirth: '1999-03-20', sex: 'M', provinceOfOrigin: 'Jawa Tengah', isFirstPassport: true },
    trip: {
      departureAt: '2026-12-03T10:00:00+07:00',
      carrier: 'Garuda Indonesia',
      flightOrVessel: 'GA 836',
      mode: 'air',
      destinationCountry: 'SG',
      destinationCity: 'Singapore',
      hasReturnTicket: false,
      ticketPaidBy: 'crew_agency',
      previousInternationalTrips: 0,
    },
    purpose: { declaredPurpose: 'work', visaType: 'crew' },
    employment: { hasJobOffer: true, jobTitle: 'Able seaman', employerName: 'Oceanic Bulk Carriers', employerCountry: 'SG' },
    seafarer: {
      seamansBookNumber: 'F 123456',
      hasSeaEmploymentAgreement: true,
      vesselName: 'MV Ocean Pride',
      crewAgencyName: 'PT Samudra Awak Nusantara',
      crewAgencyLicence: 'SIUPPAK 123.45/2024',
    },
  };
}

/** An umrah pilgrim in a group organised by a licensed PPIU, which paid the tickets. */
export function umrahPilgrim() {
  return {
    traveller: { fullName: 'Hj. Aminah binti Abdullah', nik: '3578015201700002', passportNumber: 'B2223334', dateOfBirth: '1970-01-12', sex: 'F', provinceOfOrigin: 'Jawa Timur', isFirstPassport: true },
    trip: {
      departureAt: '2026-12-12T21:00:00+07:00',
      carrier: 'Saudia',
      flightOrVessel: 'SV 817',
      mode: 'air',
      destinationCountry: 'SA',
      destinationCity: 'Jeddah',
      hasReturnTicket: true,
      returnDate: '2026-12-24',
      ticketPaidBy: 'travel_agency',
      groupSize: 45,
      previousInternationalTrips: 0,
    },
    purpose: { declaredPurpose: 'umrah_hajj', visaType: 'umrah' },
    travelAgency: { name: 'PT Arafah Wisata Utama', licenceType: 'PPIU', licenceNumber: 'U.123 TAHUN 2022' },
  };
}

/** A tourist flight to Bangkok whose traveller goes on by land to Myawaddy (Myanmar). */
export function bangkokOnToMyawaddy() {
  const body = japanHoliday();
  return {
    ...body,
    trip: {
      ...body.trip,
      destinationCountry: 'TH',
      destinationCity: 'Bangkok',
      transitCountries: ['MY'],
      onwardLegs: [
        { mode: 'land', country: 'TH', city: 'Mae Sot' },
        { mode: 'land', country: 'mm', city: 'Myawaddy' },
      ],
    },
  };
}
