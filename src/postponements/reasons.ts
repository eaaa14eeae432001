import { z } from 'zod';
/**
 * The fixed, documented reason codes an officer chooses from, with the text in Bahasa Indonesia and
 * English. `actions` says which case decisions may use a code.
 */
export interface ReasonCode {
  code: string;
  actions: readonly ('clear' | 'postpone' | 'refer')[];
  label: { id: string; en: string };
  /**
   * For postponement reasons: the reason in plain words for the applicant's notice, and what the
   * person can do about it. Written for someone who is most likely at risk, not at fault: it never
   * calls them a perpetrator, suspect or offender (test/postponements/notice.test.ts checks).
   */
  notice?: { id: string; en: string };
  steps?: readonly NoticeStep[];
}

/** What a person can do after a postponement, in plain words; a reason names the ones that apply. */
export const noticeSteps = {
  siskop2mi: {
    id: 'Jika Anda akan bekerja di luar negeri: daftarkan diri di SISKOP2MI (Kementerian P2MI/BP3MI setempat) untuk memperoleh ID PMI, dan berangkat melalui perusahaan penempatan resmi (P3MI).',
    en: 'If you are going to work abroad: register in SISKOP2MI (the Ministry for Migrant Worker Protection, KP2MI, or its local BP3MI office) to obtain an ID PMI card, and travel through a licensed placement agency (P3MI).',
  },
  disnaker: {
    id: 'Mintalah surat rekomendasi dari Dinas Tenaga Kerja (Disnaker) kabupaten/kota tempat Anda tinggal.',
    en: 'Ask the labour office (Disnaker) of your regency or city for its recommendation letter.',
  },
  employer_documents: {
    id: 'Kembalilah dengan dokumen dari pemberi kerja: perjanjian kerja, visa kerja, dan alamat tempat kerja.',
    en: "Come back with the employer's documents: the employment contract, the work visa and the workplace address.",
  },
  purpose_documents: {
    id: 'Kembalilah dengan dokumen yang menjelaskan tujuan perjalanan (misalnya undangan, bukti pendaftaran, atau surat dari penyelenggara perjalanan).',
    en: 'Come back with documents that explain the purpose of the journey (for example an invitation, a registration or a letter from the travel organiser).',
  },
  missing_documents: {
    id: 'Lengkapi dokumen yang disebutkan dalam catatan petugas, lalu datang kembali.',
    en: "Complete the documents named in the officer's note, then come back.",
  },
  help: {
    id: 'Jika Anda merasa ditekan, dokumen Anda dipegang orang lain, atau Anda butuh bantuan, beri tahu petugas. Anda dapat dihubungkan dengan BP3MI, LPSK, IOM atau dinas sosial tanpa biaya.',
    en: 'If you feel pressured, someone else holds your documents or you need help, tell the officer. You can be put in touch with BP3MI, LPSK, IOM or social services free of charge.',
  },
} as const satisfies Record<string, { id: string; en: string }>;

export type NoticeStep = keyof typeof noticeSteps;

export const reasonCodes = [
  { code: 'nonprocedural_migrant_worker', actions: ['postpone', 'refer'], label: { id: 'Calon pekerja migran nonprosedural', en: 'Nonprocedural migrant worker' },
    notice: {
      id: 'Dokumen untuk bekerja di luar negeri belum lengkap. Pekerja migran Indonesia berangkat melalui perusahaan penempatan resmi, terdaftar di SISKOP2MI dan memiliki ID PMI; tanpa itu Anda tidak mendapat perlindungan negara di tempat kerja.',
      en: 'The documents for working abroad are not complete yet. Indonesian migrant workers leave through a licensed placement agency, are registered in SISKOP2MI and hold an ID PMI card; without them the state cannot protect you at work.',
    }, steps: ['siskop2mi', 'disnaker', 'employer_documents', 'help'] },
  { code: 'suspected_trafficking_victim', actions: ['postpone', 'refer'], label: { id: 'Diduga korban perdagangan orang', en: 'Suspected trafficking victim' },
    notice: {
      id: 'Petugas melihat tanda-tanda bahwa tawaran kerja atau perjalanan ini dapat membahayakan Anda, misalnya pihak lain memegang dokumen Anda atau membiayai seluruh perjalanan. Anda tidak dianggap bersalah; penundaan ini untuk melindungi Anda.',
      en: 'The officer saw signs that this job offer or journey could put you in danger, for example someone else holds your documents or paid for the whole journey. You are not considered at fault; the postponement is to protect you.',
    }, steps: ['help', 'siskop2mi', 'employer_documents'] },
  { code: 'incomplete_documents', actions: ['postpone'], label: { id: 'Dokumen tidak lengkap', en: 'Incomplete documents' },
    notice: {
      id: 'Dokumen yang diperlukan untuk perjalanan ini belum lengkap.',
      en: 'The documents this journey needs are not complete yet.',
    }, steps: ['missing_documents', 'disnaker', 'help'] },
  { code: 'inconsistent_purpose', actions: ['postpone', 'refer'], label: { id: 'Tujuan perjalanan tidak konsisten', en: 'Inconsistent purpose of travel' },
    notice: {
      id: 'Keterangan tentang tujuan perjalanan belum sesuai dengan dokumen yang ditunjukkan.',
      en: 'What was said about the purpose of the journey did not yet match the documents shown.',
    }, steps: ['purpose_documents', 'employer_documents', 'help'] },
  { code: 'watchlist_match', actions: ['postpone', 'refer'], label: { id: 'Cocok dengan daftar pengawasan', en: 'Watchlist match' },
    notice: {
      id: 'Data perjalanan Anda perlu diperiksa lebih lanjut oleh petugas sebelum perjalanan dapat dilanjutkan. Ini bukan tuduhan terhadap Anda.',
      en: 'Your travel details need further checking by an officer before the journey can go ahead. This is not an accusation against you.',
    }, steps: ['missing_documents', 'help'] },
  { code: 'documents_verified', actions: ['clear'], label: { id: 'Dokumen terverifikasi', en: 'Documents verified' } },
  { code: 'procedural_worker_verified', actions: ['clear'], label: { id: 'Pekerja migran prosedural terverifikasi', en: 'Procedural migrant worker verified' } },
  { code: 'purpose_credible', actions: ['clear'], label: { id: 'Tujuan perjalanan meyakinkan', en: 'Purpose of travel credible' } },
  { code: 'false_positive', actions: ['clear'], label: { id: 'Indikator tidak terbukti', en: 'Indicators not borne out' } },
  { code: 'other', actions: ['clear', 'postpone', 'refer'], label: { id: 'Lainnya (lihat catatan)', en: 'Other (see note)' },
    notice: { id: 'Alasan lain, sebagaimana dijelaskan dalam catatan petugas di bawah.', en: "Another reason, as the officer's note below explains." },
    steps: ['missing_documents', 'help'] },
] as const satisfies readonly ReasonCode[];

export type ReasonCodeValue = (typeof reasonCodes)[number]['code'];

/** The postponement log's reasons: every code a postponement may carry. */
export const postponementReasonCodes = reasonCodes
  .filter((r) => (r.actions as readonly string[]).includes('postpone'))
  .map((r) => r.code) as [ReasonCodeValue, ...ReasonCodeValue[]];

export const allReasonCodes = reasonCodes.map((r) => r.code) as [ReasonCodeValue, ...ReasonCodeValue[]];

/**
 * The reason codes as the API validates and documents them (an enum in the OpenAPI document): every
 * request body and response that carries a reason code uses this one schema. Which action each code
 * allows is checked beside it (reasonAllows).
 */
export const reasonCodeSchema = z
  .enum(allReasonCodes, { error: 'unknown reason code' })
  .meta({
    id: 'ReasonCode',
    description: `The reason an officer chose. ${reasonCodes.map((r) => `\`${r.code}\` (${r.actions.join('/')}): ${r.label.en}`).join('; ')}`,
  });

/** The codes a postponement may carry, as a schema (the postponement log's records and filters). */
export const postponementReasonCodeSchema = z.enum(postponementReasonCodes, { error: 'unknown postponement reason code' }).meta({ id: 'PostponementReasonCode' });

export function reasonAllows(code: string, action: 'clear' | 'postpone' | 'refer'): boolean {
  const reason = reasonCodes.find((r) => r.code === code);
  return !!reason && (reason.actions as readonly string[]).includes(action);
}

export const reasonLabel = (code: string) => reasonCodes.find((r) => r.code === code)?.label ?? null;

/** A postponement reason's wording for the applicant's notice, with the steps that apply. */
export function noticeWording(code: string): { reason: { id: string; en: string }; steps: { id: string; en: string }[] } | null {
  const reason: ReasonCode | undefined = reasonCodes.find((r) => r.code === code);
  if (!reason?.notice) return null;
  return { reason: reason.notice, steps: (reason.steps ?? []).map((step) => noticeSteps[step]) };
}
