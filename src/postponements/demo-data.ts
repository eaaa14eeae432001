import type { FollowUpOutcome } from './outcomes';
import type { ReasonCodeValue } from './reasons';

/**
 * A deterministic synthetic year for demonstrations: departure checks and passport applications
 * across the real checkpoints and passport offices, their screening decisions, the review cases of
 * the flagged ones, and the postponement log with some follow-ups. January to April follow the
 * published shape (about 5,000 deferred departures and 303 postponed passport issuances); the rest
 * of the year is plausible noise around the same level. Everything is marked synthetic: payloads
 * carry `synthetic: true`, notes say so, NIKs use the non-existent province code 99 and passport
 * numbers the prefix ZZ. Pure: the same options always give the same data, and no clock is read.
 */

export const DEMO_SUBMITTED_BY = 'seed:demo';
export const DEMO_RULE_SET_VERSION = 'demo-synthetic';
export const DEMO_DEFAULT_SEED = 20250430;
const SYNTHETIC_NOTE = 'Data sintetis untuk demonstrasi / synthetic demo data, not a real person';

/** Published January–April 2025 counts, per Jakarta calendar month. */
export const JAN_APR_DEPARTURES = [1180, 1160, 1290, 1370] as const; // 5,000
export const JAN_APR_PASSPORTS = [71, 68, 79, 85] as const; // 303

export interface DemoOptions {
  seed?: number;
  year?: number;
}

export interface DemoApplication {
  id: string;
  kind: 'departure' | 'passport';
  officeCode: string;
  submittedBy: string;
  submittedAt: Date;
  fullName: string;
  nik: string;
  passportNumber: string | null;
  dateOfBirth: string;
  destinationCountry: string;
  departureAt: Date | null;
  employerName: string | null;
  payload: Record<string, unknown>;
  outcome: 'CLEAR' | 'REVIEW' | 'POSTPONE_RECOMMENDED';
  score: number;
  ruleSetVersion: string;
}

export interface DemoDecision {
  applicationId: string;
  ruleSetVersion: string;
  outcome: DemoApplication['outcome'];
  score: number;
  hits: unknown[];
  trigger: string;
  createdAt: Date;
}

export interface DemoCase {
  id: string;
  applicationId: string;
  kind: 'departure' | 'passport';
  officeCode: string;
  state: 'decided';
  outcome: 'REVIEW' | 'POSTPONE_RECOMMENDED';
  score: number;
  priorityAt: Date;
  slaDueAt: Date;
  claimedBy: string;
  claimedAt: Date;
  action: 'clear' | 'postpone' | 'refer';
  reasonCode: string;
  note: string | null;
  postponementDeadline: string | null;
  decidedBy: string;
  decidedAt: Date;
  createdAt: Date;
}

export interface DemoPostponement {
  id: string;
  kind: 'departure' | 'passport_issuance';
  applicationId: string;
  caseId: string;
  officeCode: string;
  destinationCountry: string;
  reasonCode: ReasonCodeValue;
  note: string;
  deadline: string;
  decidedBy: string;
  decidedAt: Date;
}

export interface DemoFollowUp {
  id: string;
  postponementId: string;
  outcome: FollowUpOutcome;
  note: string | null;
  recordedBy: string;
  recordedAt: Date;
}

export interface DemoData {
  seed: number;
  year: number;
  applications: DemoApplication[];
  decisions: DemoDecision[];
  cases: DemoCase[];
  postponements: DemoPostponement[];
  followUps: DemoFollowUp[];
}

/** mulberry32: a small, fast, well-distributed 32-bit PRNG; plenty for demo data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Weighted<T> = readonly (readonly [T, number])[];

class Dice {
  constructor(private readonly next: () => number) {}
  float = () => this.next();
  int = (min: number, max: number) => min + Math.floor(this.next() * (max - min + 1));
  chance = (p: number) => this.next() < p;
  pick = <T>(items: readonly T[]): T => items[Math.floor(this.next() * items.length)]!;
  weighted<T>(table: WeightTable<T>): T {
    const roll = this.next() * table.total;
    const index = table.cumulative.findIndex((bound) => roll < bound);
    return table.items[index === -1 ? table.items.length - 1 : index]!;
  }
  /** n decimal digits, drawn six at a time. */
  digits(n: number): string {
    let out = '';
    while (out.length < n) out += String(Math.floor(this.next() * 1e6)).padStart(6, '0');
    return out.slice(0, n);
  }
  /** A version-4-shaped UUID from the seeded stream, so ids are as reproducible as everything else. */
  uuid(): string {
    const word = () => (Math.floor(this.next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
    const s = word() + word() + word() + word();
    const variant = ((parseInt(s[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${variant}${s.slice(17, 20)}-${s.slice(20, 32)}`;
  }
}

interface WeightTable<T> {
  items: T[];
  cumulative: number[];
  total: number;
}

function table<T>(weights: Weighted<T>): WeightTable<T> {
  let total = 0;
  const cumulative = weights.map(([, weight]) => (total += weight));
  return { items: weights.map(([item]) => item), cumulative, total };
}

const checkpointWeights = table<string>([
  ['TPI-CGK', 34],
  ['TPI-KNO', 12],
  ['TPI-BTC', 12],
  ['TPI-SUB', 10],
  ['TPI-DPS', 7],
  ['TPI-SKP', 6],
  ['TPI-YIA', 5],
  ['TPI-NNK', 5],
  ['TPI-DUM', 5],
  ['TPI-TBK', 4],
]);
const passportOfficeWeights = table<string>([
  ['KANIM-JAKSEL', 16],
  ['KANIM-KARAWANG', 14],
  ['KANIM-MEDAN', 15],
  ['KANIM-SURABAYA', 13],
  ['KANIM-BANDUNG', 12],
  ['KANIM-MATARAM', 12],
  ['KANIM-KUPANG', 9],
  ['KANIM-MAKASSAR', 9],
]);
const seaports = new Set(['TPI-BTC', 'TPI-SKP', 'TPI-DUM', 'TPI-TBK', 'TPI-NNK']);

/** Cambodia first: most recruitment into scam compounds in 2024–2025 went there. */
const destinationWeights = table<string>([
  ['KH', 40],
  ['MM', 12],
  ['TH', 9],
  ['LA', 8],
  ['MY', 8],
  ['PH', 7],
  ['VN', 4],
  ['AE', 3],
  ['SA', 2],
  ['HK', 2],
  ['TW', 2],
  ['JP', 2],
  ['SG', 1],
]);
/** From the sea ports of Riau and North Kalimantan most travel is across the strait to Malaysia and Singapore. */
const seaportDestinationWeights = table<string>([
  ['MY', 45],
  ['SG', 15],
  ['KH', 20],
  ['TH', 8],
  ['MM', 5],
  ['LA', 4],
  ['PH', 3],
]);

const departureReasonWeights = table<ReasonCodeValue>([
  ['nonprocedural_migrant_worker', 55],
  ['inconsistent_purpose', 15],
  ['incomplete_documents', 12],
  ['suspected_trafficking_victim', 8],
  ['other', 7],
  ['watchlist_match', 3],
]);
const passportReasonWeights = table<ReasonCodeValue>([
  ['nonprocedural_migrant_worker', 48],
  ['inconsistent_purpose', 22],
  ['incomplete_documents', 20],
  ['suspected_trafficking_victim', 4],
  ['other', 4],
  ['watchlist_match', 2],
]);

const notes: Partial<Record<ReasonCodeValue, readonly string[]>> = {
  nonprocedural_migrant_worker: [
    'Keberangkatan ditunda: diduga calon PMI nonprosedural, tidak memiliki ID PMI atau perjanjian kerja dari P2MI.',
    'Mengaku wisata, tetapi membawa tawaran kerja sebagai "customer service" tanpa dokumen penempatan resmi.',
    'Tidak terdaftar di SISKOP2MI; diarahkan ke BP3MI setempat untuk jalur penempatan resmi.',
  ],
  suspected_trafficking_victim: [
    'Diduga korban TPPO: tiket dan paspor diurus pihak ketiga, tidak mengetahui alamat tempat kerja. Dirujuk ke Satgas TPPO.',
    'Didampingi "sponsor" yang menguasai dokumen; keterangan berubah-ubah. Koordinasi dengan kepolisian.',
  ],
  incomplete_documents: [
    'Dokumen belum lengkap: surat rekomendasi Dinas Tenaga Kerja tidak ada. Dapat kembali setelah dilengkapi.',
    'Surat keterangan dari pemberi kerja tidak dapat diverifikasi; mohon melengkapi dalam 30 hari.',
  ],
  inconsistent_purpose: [
    'Tujuan perjalanan tidak konsisten: tiket sekali jalan, tidak ada pemesanan penginapan, dana tidak mencukupi.',
    'Menyatakan kunjungan keluarga namun tidak dapat menyebutkan nama atau alamat keluarga di negara tujuan.',
  ],
  watchlist_match: [
    'Nomor perekrut tercantum dalam daftar pantauan; keberangkatan ditunda untuk pendalaman.',
    'Pernah dipulangkan dari negara tujuan sebagai korban; perlu pendampingan sebelum bepergian kembali.',
  ],
  other: ['Lainnya: lihat berita acara pemeriksaan.', 'Ditunda atas permintaan keluarga yang melaporkan ke kantor imigrasi.'],
};

const clearReasons = table<string>([
  ['documents_verified', 40],
  ['procedural_worker_verified', 25],
  ['purpose_credible', 25],
  ['false_positive', 10],
]);
const referReasons = table<string>([
  ['suspected_trafficking_victim', 60],
  ['nonprocedural_migrant_worker', 30],
  ['watchlist_match', 10],
]);
const followUpWeights = table<FollowUpOutcome>([
  ['documents_completed', 30],
  ['departed_procedurally', 25],
  ['returned_home', 30],
  ['referred', 10],
  ['application_withdrawn', 5],
]);

const firstNames = [
  'Siti', 'Dewi', 'Sri', 'Nur', 'Putri', 'Ayu', 'Rina', 'Wulan', 'Fitri', 'Indah', 'Ratna', 'Yuni', 'Lestari', 'Ani', 'Rahmawati',
  'Agus', 'Budi', 'Andi', 'Dedi', 'Eko', 'Fajar', 'Hendra', 'Irfan', 'Joko', 'Rizky', 'Rudi', 'Slamet', 'Wahyu', 'Yoga', 'Bayu',
  'Muhammad', 'Ahmad', 'Dimas', 'Gilang', 'Komang', 'Made', 'Nyoman', 'Ketut', 'Wayan', 'Yohanes',
] as const;
const lastNames = [
  'Rahayu', 'Lestari', 'Wati', 'Sari', 'Handayani', 'Kurniawan', 'Saputra', 'Setiawan', 'Hidayat', 'Pratama', 'Nugroho', 'Santoso',
  'Wijaya', 'Siregar', 'Nasution', 'Harahap', 'Simanjuntak', 'Sinaga', 'Tambunan', 'Manurung', 'Daeng', 'Pattimura', 'Ndun', 'Bria',
  'Hasibuan', 'Lubis', 'Purba', 'Susanto', 'Firmansyah', 'Ramadhan',
] as const;
const employers = [
  'Golden Fortune Technology Co., Ltd.',
  'Huione Online Services',
  'Prince Digital Marketing',
  'KK Park Customer Service Center',
  'Shwe Kokko Entertainment',
  'Asia Pacific Data Entry Ltd.',
  'Borneo Palm Estates Sdn. Bhd.',
] as const;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** Days in a month of a proleptic Gregorian year (month 0–11). */
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/** An instant given as Jakarta (UTC+7, no DST) wall-clock time. */
const wib = (year: number, month: number, day: number, minuteOfDay: number) =>
  new Date(Date.UTC(year, month, day, 0, 0, 0) - 7 * HOUR_MS + minuteOfDay * MINUTE_MS);

const isoDay = (at: Date, offsetHours: number) => new Date(at.getTime() + offsetHours * HOUR_MS).toISOString().slice(0, 10);

/** Monthly targets: January–April as published, the rest of the year a plausible wander around the same level. */
function monthlyTargets(dice: Dice): { departures: number[]; passports: number[] } {
  const departures: number[] = [...JAN_APR_DEPARTURES];
  const passports: number[] = [...JAN_APR_PASSPORTS];
  for (let month = 4; month < 12; month++) {
    departures.push(Math.round(1250 * (0.85 + dice.float() * 0.3)));
    passports.push(Math.round(76 * (0.8 + dice.float() * 0.4)));
  }
  return { departures, passports };
}

/** Generates the synthetic year. Typically ~42,000 applications and ~16,000 postponements. */
export function generateDemoData(options: DemoOptions = {}): DemoData {
  const seed = options.seed ?? DEMO_DEFAULT_SEED;
  const year = options.year ?? 2025;
  const dice = new Dice(seededRandom(seed));
  const targets = monthlyTargets(dice);
  const data: DemoData = { seed, year, applications: [], decisions: [], cases: [], postponements: [], followUps: [] };
  const officerOf = (office: string) => `demo-officer:${office}:${dice.int(1, 4)}`;

  const person = () => {
    const fullName = dice.chance(0.15) ? dice.pick(firstNames) : `${dice.pick(firstNames)} ${dice.pick(lastNames)}`;
    const birthYear = year - dice.int(18, 45);
    return {
      fullName,
      nik: `99${dice.digits(14)}`,
      dateOfBirth: `${birthYear}-${String(dice.int(1, 12)).padStart(2, '0')}-${String(dice.int(1, 28)).padStart(2, '0')}`,
    };
  };

  /** One application; `decidedAt` is when a person decided its case, inside the target Jakarta month. */
  const application = (kind: 'departure' | 'passport', decidedAt: Date, outcome: DemoApplication['outcome'], score: number) => {
    const officeCode = dice.weighted(kind === 'departure' ? checkpointWeights : passportOfficeWeights);
    const destinationCountry = dice.weighted(kind === 'departure' && seaports.has(officeCode) ? seaportDestinationWeights : destinationWeights);
    const submittedAt = new Date(decidedAt.getTime() - dice.int(kind === 'departure' ? 8 : 30, kind === 'departure' ? 90 : 600) * MINUTE_MS);
    const departureAt = kind === 'departure' ? new Date(submittedAt.getTime() + dice.int(120, 360) * MINUTE_MS) : null;
    const row: DemoApplication = {
      id: dice.uuid(),
      kind,
      officeCode,
      submittedBy: DEMO_SUBMITTED_BY,
      submittedAt,
      ...person(),
      passportNumber: kind === 'departure' ? `ZZ${dice.digits(6)}` : null,
      destinationCountry,
      departureAt,
      employerName: outcome !== 'CLEAR' && dice.chance(0.5) ? dice.pick(employers) : null,
      payload: { synthetic: true, generator: 'saring seed:demo', seed, note: SYNTHETIC_NOTE },
      outcome,
      score,
      ruleSetVersion: DEMO_RULE_SET_VERSION,
    };
    data.applications.push(row);
    data.decisions.push({ applicationId: row.id, ruleSetVersion: DEMO_RULE_SET_VERSION, outcome, score, hits: [], trigger: 'intake', createdAt: submittedAt });
    return row;
  };

  const caseFor = (app: DemoApplication, decidedAt: Date, action: DemoCase['action'], reasonCode: string, note: string | null, deadline: string | null) => {
    const decidedBy = officerOf(app.officeCode);
    const row: DemoCase = {
      id: dice.uuid(),
      applicationId: app.id,
      kind: app.kind,
      officeCode: app.officeCode,
      state: 'decided',
      outcome: app.outcome === 'CLEAR' ? 'REVIEW' : app.outcome,
      score: app.score,
      priorityAt: app.departureAt ?? app.submittedAt,
      slaDueAt: app.departureAt ? new Date(app.departureAt.getTime() - HOUR_MS) : new Date(app.submittedAt.getTime() + 72 * HOUR_MS),
      claimedBy: decidedBy,
      claimedAt: new Date(app.submittedAt.getTime() + Math.floor((decidedAt.getTime() - app.submittedAt.getTime()) / 3)),
      action,
      reasonCode,
      note,
      postponementDeadline: deadline,
      decidedBy,
      decidedAt,
      createdAt: app.submittedAt,
    };
    data.cases.push(row);
    return row;
  };

  /** A moment in the given Jakarta month: departures through the flight banks, passports in office hours. */
  const momentIn = (kind: 'departure' | 'passport', month: number) => {
    const day = dice.int(1, daysIn(year, month));
    const minute = kind === 'departure' ? dice.int(5 * 60, 23 * 60 + 30) : dice.int(8 * 60 + 30, 15 * 60 + 30);
    return wib(year, month, day, minute);
  };

  const postpone = (kind: 'departure' | 'passport', month: number) => {
    const decidedAt = momentIn(kind, month);
    const recommended = dice.chance(0.6);
    const app = application(kind, decidedAt, recommended ? 'POSTPONE_RECOMMENDED' : 'REVIEW', recommended ? dice.int(70, 98) : dice.int(35, 69));
    const reasonCode = dice.weighted(kind === 'departure' ? departureReasonWeights : passportReasonWeights);
    const note = `${dice.pick(notes[reasonCode] ?? notes.other!)} [${SYNTHETIC_NOTE}]`;
    const deadline = isoDay(new Date(decidedAt.getTime() + 30 * DAY_MS), 7);
    const flagged = caseFor(app, decidedAt, 'postpone', reasonCode, note, deadline);
    const row: DemoPostponement = {
      id: dice.uuid(),
      kind: kind === 'departure' ? 'departure' : 'passport_issuance',
      applicationId: app.id,
      caseId: flagged.id,
      officeCode: app.officeCode,
      destinationCountry: app.destinationCountry,
      reasonCode,
      note,
      deadline,
      decidedBy: flagged.decidedBy,
      decidedAt,
    };
    data.postponements.push(row);
    if (dice.chance(0.35)) {
      data.followUps.push({
        id: dice.uuid(),
        postponementId: row.id,
        outcome: dice.weighted(followUpWeights),
        note: `Tindak lanjut sintetis / synthetic follow-up`,
        recordedBy: flagged.decidedBy,
        recordedAt: new Date(decidedAt.getTime() + dice.int(2, 45) * DAY_MS),
      });
    }
  };

  /** A flagged application a person cleared or referred instead of postponing. */
  const reviewedOnly = (kind: 'departure' | 'passport', month: number) => {
    const decidedAt = momentIn(kind, month);
    const app = application(kind, decidedAt, 'REVIEW', dice.int(30, 65));
    const refer = dice.chance(0.15);
    caseFor(app, decidedAt, refer ? 'refer' : 'clear', dice.weighted(refer ? referReasons : clearReasons), refer ? `Dirujuk untuk pendalaman. [${SYNTHETIC_NOTE}]` : null, null);
  };

  const cleared = (kind: 'departure' | 'passport', month: number) => {
    application(kind, momentIn(kind, month), 'CLEAR', dice.int(0, 25));
  };

  for (let month = 0; month < 12; month++) {
    const departures = targets.departures[month]!;
    const passports = targets.passports[month]!;
    for (let i = 0; i < departures; i++) postpone('departure', month);
    for (let i = 0; i < passports; i++) postpone('passport', month);
    for (let i = 0, n = Math.round(departures * 0.4); i < n; i++) reviewedOnly('departure', month);
    for (let i = 0, n = Math.round(passports * 1.5); i < n; i++) reviewedOnly('passport', month);
    for (let i = 0, n = departures; i < n; i++) cleared('departure', month);
    for (let i = 0, n = passports * 4; i < n; i++) cleared('passport', month);
  }
  return data;
}

/** Counts per kind and Jakarta month, the figures the statistics endpoint should show after seeding. */
export function summarizeDemoData(data: DemoData) {
  const byMonth = (kind: DemoPostponement['kind']) => {
    const counts = Array.from({ length: 12 }, () => 0);
    for (const p of data.postponements) {
      if (p.kind !== kind) continue;
      const month = Number(new Date(p.decidedAt.getTime() + 7 * HOUR_MS).toISOString().slice(5, 7)) - 1;
      counts[month]!++;
    }
    return counts;
  };
  const departures = byMonth('departure');
  const passports = byMonth('passport_issuance');
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    seed: data.seed,
    year: data.year,
    applications: data.applications.length,
    decisions: data.decisions.length,
    cases: data.cases.length,
    postponements: data.postponements.length,
    followUps: data.followUps.length,
    postponedDepartures: { janToApr: sum(departures.slice(0, 4)), year: sum(departures), byMonth: departures },
    postponedPassportIssuances: { janToApr: sum(passports.slice(0, 4)), year: sum(passports), byMonth: passports },
  };
}
