/**
 * What the officer observed, as structured indicators, each with the IOM Human Trafficking Case Data
 * Standard (HTCDS 2.0) field and value it corresponds to where the standard has one.
 */
export const referralIndicators = {
  documents_held_by_others: { htcds: { field: 'vic_MethodsOfControl', value: 'WithholdsDocuments' }, label: { id: 'Dokumen dipegang orang lain', en: 'Documents held by someone else' } },
  job_offer_too_good: { htcds: { field: 'vic_MethodsOfControl', value: 'FalsePromises' }, label: { id: 'Tawaran kerja bergaji tinggi tanpa syarat', en: 'Well-paid job with no requirements' } },
  debt_to_recruiter: { htcds: { field: 'vic_MethodsOfControl', value: 'DebtBondage' }, label: { id: 'Berutang kepada perekrut', en: 'In debt to the recruiter' } },
  threats: { htcds: { field: 'vic_MethodsOfControl', value: 'Threats' }, label: { id: 'Ada ancaman', en: 'Threats' } },
  recruited_online: { htcds: { field: 'vic_MethodOfRecruitment', value: 'Internet (social media, online advertisement)' }, label: { id: 'Direkrut lewat media sosial', en: 'Recruited online' } },
  job_advertisement: { htcds: { field: 'vic_MethodOfRecruitment', value: 'Job offer/advertisement' }, label: { id: 'Direkrut lewat iklan lowongan', en: 'Recruited through a job advertisement' } },
  travel_paid_by_third_party: { htcds: null, label: { id: 'Perjalanan dibayar pihak lain', en: 'Travel paid by someone else' } },
  companion_answers_for_traveller: { htcds: null, label: { id: 'Pendamping menjawab untuk orang yang bepergian', en: 'A companion answers for the traveller' } },
  tourist_visa_for_work: { htcds: null, label: { id: 'Visa turis untuk bekerja', en: 'Tourist visa for work' } },
} as const;

export type ReferralIndicator = keyof typeof referralIndicators;
export const referralIndicatorCodes = Object.keys(referralIndicators) as [ReferralIndicator, ...ReferralIndicator[]];

/** The agencies, their HTCDS organisation type (org_Type) where one fits, and names in both languages. */
export const referralAgencies = {
  kp2mi_bp3mi: { orgType: 'CentralGovernmentOrganisation', label: { id: 'KP2MI / BP3MI', en: 'KP2MI / BP3MI (migrant worker protection)' } },
  lpsk: { orgType: 'CentralGovernmentOrganisation', label: { id: 'LPSK (Lembaga Perlindungan Saksi dan Korban)', en: 'LPSK (Witness and Victim Protection Agency)' } },
  police_anti_trafficking: { orgType: 'LawEnforcement', label: { id: 'Satgas TPPO Polri', en: 'Police anti-trafficking task force' } },
  iom: { orgType: '', label: { id: 'IOM', en: 'IOM (International Organization for Migration)' } },
  social_services: { orgType: 'LocalGovernmentOrganisation', label: { id: 'Dinas Sosial', en: 'Social services' } },
  embassy: { orgType: 'CentralGovernmentOrganisation', label: { id: 'Perwakilan RI / kedutaan', en: 'Embassy' } },
} as const;
