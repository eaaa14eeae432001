/**
 * Deterministic, seeded generator of realistic intake bodies (departure checks and passport
 * applications) for the benchmarks. Bodies start from the API test payload shapes and vary every
 * field a rule reads, so every default rule fires on part of the sample and misses on the rest.
 * Every body is checked against the real intake schema before it is used.
 */
import {
  checkConsistency,
  declaredPurposes,
  departureCheckInputSchema,
  passportApplicationInputSchema,
  recruitmentChannels,
  ticketPayers,
  visaTypes,
  type Application,
  type DepartureCheckInput,
  type PassportApplicationInput,
} from '../src/screening/application-schema';
import type { ContextRequirements, ScreeningRequirements } from '../src/screening/engine/requirements';
import type { ScreeningContext } from '../src/screening/subject';
import { cambodiaLure, japanHoliday, passportForWorkInCambodia, proceduralWorker } from '../test/applications/payloads';

/** mulberry32: small, fast and good enough to make varied data reproducibly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Dice {
  constructor(private readonly next: () => number) {}
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
  some<T>(items: readonly T[], max: number): T[] {
    const out: T[] = [];
    const count = this.int(0, max);
    for (let i = 0; i < count; i++) {
      const item = this.pick(items);
      if (!out.includes(item)) out.push(item);
    }
    return out;
  }
}

const firstNames = ['Rina', 'Budi', 'Dewi', 'Agus', 'Siti', 'Andi', 'Putri', 'Joko', 'Wulan', 'Rizky', 'Nur', 'Fajar', 'Ayu', 'Dimas', 'Intan'];
const lastNames = ['Marlina', 'Santoso', 'Lestari', 'Prasetyo', 'Rahayu', 'Saputra', 'Wijaya', 'Hidayat', 'Kusuma', 'Nugroho', 'Pratama', 'Sari'];
const provinces = ['Jawa Barat', 'Jawa Tengah', 'Jawa Timur', 'DKI Jakarta', 'Nusa Tenggara Barat', 'Nusa Tenggara Timur', 'Sumatera Utara', 'Lampung', 'Sulawesi Selatan'];
const regencies = ['Karawang', 'Indramayu', 'Cirebon', 'Cianjur', 'Lombok Timur', 'Kupang', 'Medan', 'Brebes', 'Banyuwangi'];
const carriers = ['AirAsia', 'Garuda Indonesia', 'Lion Air', 'Batik Air', 'Scoot', 'Singapore Airlines', 'Malaysia Airlines', 'China Airlines'];

/** Destinations weighted towards the ones the rules care about. */
const destinations: { country: string; cities: string[] }[] = [
  { country: 'KH', cities: ['Phnom Penh', 'Sihanoukville', 'Poipet', 'Bavet', 'Siem Reap'] },
  { country: 'KH', cities: ['Phnom Penh', 'Koh Kong', 'Battambang'] },
  { country: 'MM', cities: ['Myawaddy', 'Yangon', 'Tachileik', 'Shwe Kokko'] },
  { country: 'LA', cities: ['Vientiane', 'Bokeo', 'Golden Triangle'] },
  { country: 'PH', cities: ['Manila', 'Pasay', 'Bamban', 'Cebu'] },
  { country: 'TH', cities: ['Bangkok', 'Mae Sot', 'Phuket'] },
  { country: 'VN', cities: ['Ho Chi Minh City', 'Hanoi'] },
  { country: 'MY', cities: ['Kuala Lumpur', 'Johor Bahru', 'Penang'] },
  { country: 'SG', cities: ['Singapore'] },
  { country: 'JP', cities: ['Tokyo', 'Osaka'] },
  { country: 'TW', cities: ['Taipei', 'Taichung'] },
  { country: 'HK', cities: ['Hong Kong'] },
  { country: 'KR', cities: ['Seoul', 'Busan'] },
  { country: 'SA', cities: ['Jeddah', 'Mecca', 'Riyadh'] },
  { country: 'AE', cities: ['Dubai', 'Abu Dhabi'] },
  { country: 'AU', cities: ['Perth', 'Sydney'] },
];
const transitHubs = ['MY', 'TH', 'VN', 'SG', 'QA', 'AE'];

const lureTitles = ['Customer Service', 'CS online', 'Admin Online', 'Operator komputer', 'Digital Marketing', 'Data Entry', 'Typist', 'Crypto trader', 'Telesales', 'Game online host'];
const plainTitles = ['Caregiver', 'Perawat lansia', 'Factory worker', 'Welder', 'Cook', 'Housekeeper', 'Fisherman', 'Construction worker', 'Nurse', 'Physics teacher'];
const lurePhrases = ['gaji tinggi', 'tanpa pengalaman', 'tiket ditanggung', 'langsung kerja', 'free accommodation', 'bonus besar', 'visa ditanggung', 'proses cepat', 'gaji USD'];
const plainPhrases = ['kontrak dua tahun', 'shift malam', 'asrama disediakan majikan', 'pelatihan tiga bulan', 'sesuai perjanjian kerja', 'libur satu hari seminggu', 'asuransi BPJS'];
/** A few employers, recruiters and sponsors recur (a syndicate's clusters, for link analysis); most are one of thousands. */
const syndicateEmployers = ['Golden Star Trading Co.', 'Lucky Dragon Technology', 'Sunrise Entertainment Ltd', 'Mekong Digital Group'];
const employerWords = {
  first: ['Golden', 'Lucky', 'Sunrise', 'Mekong', 'Royal', 'Silver', 'Jade', 'Harmony', 'Pacific', 'Eastern', 'Bright', 'Grand', 'Star', 'Ocean', 'Green'],
  second: ['Star', 'Dragon', 'Trading', 'Digital', 'Foods', 'Textile', 'Logistics', 'Care', 'Marine', 'Electronics', 'Garden', 'Hotel', 'Build', 'Farm'],
  suffix: ['Co.', 'Ltd', 'Sdn Bhd', 'Pte Ltd', 'Corp', 'Group', 'Family'],
};
const agencies = ['PT Bina Tenaga Kerja Mandiri', 'PT Sinar Jaya Abadi', 'PT Duta Putra Bangsa'];
const currencies = ['USD', 'IDR', 'MYR', 'THB', 'TWD', 'SGD', 'JPY', 'SAR', 'KHR', 'XXX'];
/** Number shapes libphonenumber accepts (X: any digit), by country; the syndicate's numbers recur. */
const recruiterPhoneShapes = ['+855 12 XXX XXX', '+855 96 XXX XXXX', '+95 9 25X XXX XXX', '+856 20 5XXX XXXX', '+63 917 XXX XXXX', '0812-XXXX-XXXX', '+60 12-XXX XXXX', '+66 81 XXX XXXX'];
const syndicatePhones = ['+855 12 345 678', '+855 96 555 1234', '+95 9 250 123 456', '+63 917 123 4567'];
const travellerPhoneShapes = ['0812-XXXX-XXXX', '0813 XXXX XXXX', '+62 857 XXXX XXXX', '0878-XXXX-XXXX'];

const fillDigits = (d: Dice, shape: string) => shape.replace(/X/g, () => String(d.int(0, 9)));
const recruiterPhone = (d: Dice) => (d.chance(0.03) ? d.pick(syndicatePhones) : fillDigits(d, d.pick(recruiterPhoneShapes)));
const employerName = (d: Dice) =>
  d.chance(0.03) ? d.pick(syndicateEmployers) : `${d.pick(employerWords.first)} ${d.pick(employerWords.second)} ${d.int(1, 99)} ${d.pick(employerWords.suffix)}`;

const salaryFor = (d: Dice, currency: string): number => {
  const usd = d.pick([300, 450, 600, 800, 1000, 1200, 1500, 2500]);
  const rates: Record<string, number> = { USD: 1, IDR: 16_000, MYR: 4.5, THB: 35, TWD: 32, SGD: 1.35, JPY: 150, SAR: 3.75, KHR: 4_100, XXX: 1 };
  return Math.round(usd * (rates[currency] ?? 1));
};

const pad = (n: number) => String(n).padStart(2, '0');
const isoDate = (y: number, m: number, day: number) => `${y}-${pad(m)}-${pad(day)}`;
function addDays(date: string, days: number): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Real district codes (idn-area-data) for the generated NIKs' first six digits. */
const nikDistricts = ['317401', '320101', '321501', '330801', '337401', '357801', '120101', '520101'];

/** A NIK as issued: a district, the birth date as DDMMYY (day + 40 for women), a serial; 2% carry a mistyped birth date. */
function nikOf(d: Dice, dateOfBirth: string, sex: 'M' | 'F'): string {
  const day = Number(dateOfBirth.slice(8, 10)) + (sex === 'F' ? 40 : 0);
  const encoded = `${pad(day)}${dateOfBirth.slice(5, 7)}${dateOfBirth.slice(2, 4)}`;
  return `${d.pick(nikDistricts)}${d.chance(0.02) ? `${pad(day)}${pad(d.int(1, 12))}${dateOfBirth.slice(2, 4)}` : encoded}${d.digits(4)}`;
}

function person(d: Dice) {
  const dateOfBirth = isoDate(d.int(1965, 2006), d.int(1, 12), d.int(1, 28));
  const sex = d.pick(['M', 'F'] as const);
  return {
    fullName: `${d.pick(firstNames)} ${d.pick(lastNames)}`,
    nik: nikOf(d, dateOfBirth, sex),
    dateOfBirth,
    sex,
    provinceOfOrigin: d.pick(provinces),
    ...(d.chance(0.5) ? { regencyOfOrigin: d.pick(regencies) } : {}),
    ...(d.chance(0.6) ? { phone: fillDigits(d, d.pick(travellerPhoneShapes)) } : {}),
  };
}

function employment(d: Dice, lureish: boolean) {
  const hasJobOffer = lureish || d.chance(0.5);
  if (!hasJobOffer && d.chance(0.5)) return { hasJobOffer: false };
  const title = lureish && d.chance(0.8) ? d.pick(lureTitles) : d.pick(plainTitles);
  const phrases = [...d.some(lureish ? lurePhrases : plainPhrases, 3), ...(d.chance(0.2) ? d.some(lurePhrases, 1) : [])];
  const procedural = !lureish && d.chance(0.6);
  const currency = d.pick(currencies);
  const dest = d.pick(destinations);
  return {
    hasJobOffer,
    ...(d.chance(0.9) ? { jobTitle: title } : {}),
    ...(phrases.length > 0 ? { jobDescription: `Kerja sebagai ${title.toLowerCase()}, ${phrases.join(', ')}` } : {}),
    ...(d.chance(0.8) ? { employerName: employerName(d) } : {}),
    ...(d.chance(0.7) ? { employerCountry: dest.country.toLowerCase() } : {}),
    ...(d.chance(0.6) ? { employerCity: d.pick(dest.cities) } : {}),
    ...(d.chance(0.7) ? { offeredMonthlySalary: salaryFor(d, currency), salaryCurrency: currency } : {}),
    ...(d.chance(0.85) ? { recruitedVia: procedural ? 'placement_agency' : d.pick(recruitmentChannels) } : {}),
    ...(d.chance(0.5) ? { recruiterName: `Bang ${d.pick(firstNames)}` } : {}),
    ...(d.chance(0.5) ? { recruiterPhone: recruiterPhone(d) } : {}),
    ...(procedural ? { placementAgencyName: d.pick(agencies), placementAgencyLicence: `KEP.${d.int(100, 999)}/PPTKIS/${d.int(2018, 2025)}` } : {}),
    ...(procedural && d.chance(0.9) ? { idPmiNumber: `PMI-2026-${d.digits(7)}` } : {}),
    ...(d.chance(0.7) ? { hasPlacementAgreement: procedural || d.chance(0.2) } : {}),
  };
}

function observations(d: Dice) {
  const keys = ['companionAnswersForTraveller', 'travellerNotHoldingOwnDocuments', 'travelArrangedByThirdParty', 'inconsistentStory', 'appearsCoached'] as const;
  if (d.chance(0.7)) return undefined;
  return Object.fromEntries(keys.filter(() => d.chance(0.4)).map((key) => [key, d.chance(0.5)]));
}

export function departureBody(d: Dice): DepartureCheckInput {
  const base = d.pick([cambodiaLure, japanHoliday, proceduralWorker])();
  const lureish = base.trip.destinationCountry.toUpperCase() === 'KH' ? d.chance(0.8) : d.chance(0.25);
  const dest = d.pick(destinations);
  const departureDate = isoDate(d.int(2026, 2027), d.int(1, 12), d.int(1, 28));
  const hasReturnTicket = d.chance(0.6);
  const visaType = d.pick(visaTypes);
  const body: DepartureCheckInput = {
    traveller: { ...person(d), passportNumber: `${d.pick(['c', 'B', 'X', 'AB'])}${d.digits(7)}` },
    trip: {
      departureAt: `${departureDate}T${pad(d.int(0, 23))}:${pad(d.int(0, 59))}:00+07:00`,
      carrier: d.pick(carriers),
      flightOrVessel: `${d.pick(['QZ', 'GA', 'JT', 'ID', 'TR'])} ${d.int(100, 999)}`,
      mode: d.pick(['air', 'air', 'air', 'sea', 'land'] as const),
      destinationCountry: d.chance(0.5) ? dest.country : dest.country.toLowerCase(),
      ...(d.chance(0.8) ? { destinationCity: d.pick(dest.cities) } : {}),
      transitCountries: d.some(transitHubs, 2),
      hasReturnTicket,
      ...(hasReturnTicket ? { returnDate: addDays(departureDate, d.int(2, 120)) } : {}),
      ticketPaidBy: d.pick(ticketPayers),
      groupSize: d.int(1, 12),
      previousInternationalTrips: d.chance(0.4) ? 0 : d.int(1, 20),
    },
    purpose: { declaredPurpose: d.pick(declaredPurposes), visaType },
    ...(d.chance(0.75) ? { employment: employment(d, lureish) } : {}),
    ...(d.chance(0.2) ? { sponsor: { name: `Pak ${d.pick(lastNames)}`, ...(d.chance(0.5) ? { phone: recruiterPhone(d) } : {}) } } : {}),
    ...(d.chance(0.1) ? { officerNotes: 'Penumpang gugup, ditemani dua orang yang membawa paspornya.' } : {}),
  };
  const obs = observations(d);
  if (obs) body.observations = obs;
  return body;
}

export function passportBody(d: Dice): PassportApplicationInput {
  // The API test shape, with every optional field decided afresh below.
  const { intendedTravelDate: _date, employment: _employment, ...base } = passportForWorkInCambodia();
  const dest = d.pick(destinations);
  const applicationDate = isoDate(d.int(2026, 2027), d.int(1, 12), d.int(1, 28));
  const lureish = d.chance(0.4);
  const body: PassportApplicationInput = {
    ...base,
    applicant: { ...person(d), placeOfBirth: d.pick(regencies) },
    applicationDate,
    statedPurpose: d.pick(declaredPurposes),
    intendedDestinationCountry: dest.country,
    ...(d.chance(0.6) ? { intendedDestinationCity: d.pick(dest.cities) } : {}),
    ...(d.chance(0.7) ? { intendedTravelDate: addDays(applicationDate, d.int(1, 60)) } : {}),
    isFirstPassport: d.chance(0.6),
    urgency: d.pick(['normal', 'normal', 'urgent'] as const),
    supportingDocuments: { recommendationLetter: d.chance(0.4), employerLetter: d.chance(0.4), ...(d.chance(0.3) ? { invitationLetter: d.chance(0.5) } : {}) },
  };
  if (d.chance(0.75)) body.employment = employment(d, lureish);
  if (d.chance(0.6)) {
    body.interview = {
      ...(d.chance(0.7) ? { jobDescribedClearly: d.chance(0.6) } : {}),
      ...(d.chance(0.7) ? { knowsWorkplaceAddress: d.chance(0.6) } : {}),
      ...(d.chance(0.7) ? { knowsResponsiblePerson: d.chance(0.6) } : {}),
      ...(d.chance(0.5) ? { dependsOnThirdParty: d.chance(0.4) } : {}),
      ...(d.chance(0.6) ? { answers: `Saya ditawari kerja ${d.some(lureish ? lurePhrases : plainPhrases, 3).join(', ') || 'oleh saudara'}` } : {}),
    };
  }
  const obs = observations(d);
  if (obs) body.observations = obs;
  return body;
}

/**
 * Watchlist matches and linked applications, as the context resolvers would produce them, for the
 * comparisons the rule set asks for (its compiled requirements); most applications have none.
 */
function context(d: Dice, needs: ContextRequirements | undefined): ScreeningContext | undefined {
  if (!needs || d.chance(0.85)) return undefined;
  const watchlist = needs.watchlist
    .filter(() => d.chance(0.3))
    .map((w) => ({
      list: w.list,
      field: w.field,
      entryId: `wl-${d.int(1, 500)}`,
      entry: 'bench watchlist entry',
      similarity: w.mode === 'name' ? d.int(50, 100) / 100 : 1,
      source: 'bench',
    }));
  const links = Object.fromEntries(
    needs.links
      .filter(() => d.chance(0.4))
      .map((l) => [
        l.by,
        Array.from({ length: d.int(0, 6) }, (_, i) => ({ applicationId: `app-${i}`, daysApart: d.int(0, l.withinDays * 2), traveller: `traveller-${d.int(0, 4)}` })),
      ]),
  );
  return { watchlist, links };
}

export interface GeneratedBody {
  kind: 'departure' | 'passport';
  body: DepartureCheckInput | PassportApplicationInput;
}

/** Raw request bodies (as a client would send them), departure checks and passport applications mixed 4:1. */
export function generateBodies(count: number, seed: number, passportShare = 0.2): GeneratedBody[] {
  const d = new Dice(seededRandom(seed));
  const out: GeneratedBody[] = [];
  for (let i = 0; i < count; i++) {
    out.push(d.chance(passportShare) ? { kind: 'passport', body: passportBody(d) } : { kind: 'departure', body: departureBody(d) });
  }
  return out;
}

export function departureBodies(count: number, seed: number): DepartureCheckInput[] {
  const d = new Dice(seededRandom(seed));
  return Array.from({ length: count }, () => departureBody(d));
}

export interface Sample {
  application: Application;
  context: ScreeningContext | undefined;
  receivedAt: Date;
}

/**
 * Normalised applications (through the real zod intake schemas) with a screening context for the
 * rule set's requirements, when given.
 * Throws on the first body the schema rejects: the generator must only make valid input.
 */
export function generateSample(count: number, seed: number, requirements?: ScreeningRequirements): Sample[] {
  const bodies = generateBodies(count, seed);
  const d = new Dice(seededRandom(seed ^ 0x5eed));
  const receivedAt = new Date('2026-01-01T00:00:00+07:00');
  return bodies.map(({ kind, body }, index) => {
    const schema = kind === 'departure' ? departureCheckInputSchema : passportApplicationInputSchema;
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new Error(`generated ${kind} #${index} is not valid: ${JSON.stringify(parsed.error.issues)}\n${JSON.stringify(body)}`);
    const problems = checkConsistency(kind, parsed.data);
    if (problems.length > 0) throw new Error(`generated ${kind} #${index} is inconsistent: ${problems.join('; ')}`);
    return { application: { kind, data: parsed.data } as Application, context: context(d, requirements?.[kind]), receivedAt };
  });
}
