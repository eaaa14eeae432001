/**
 * The fixed, documented reason codes an officer chooses from, with the text in Bahasa Indonesia and
 * English. `actions` says which case decisions may use a code.
 */
export interface ReasonCode {
  code: string;
  actions: readonly ('clear' | 'postpone' | 'refer')[];
  label: { id: string; en: string };
}

export const reasonCodes = [
  { code: 'nonprocedural_migrant_worker', actions: ['postpone', 'refer'], label: { id: 'Calon pekerja migran nonprosedural', en: 'Nonprocedural migrant worker' } },
  { code: 'suspected_trafficking_victim', actions: ['postpone', 'refer'], label: { id: 'Diduga korban perdagangan orang', en: 'Suspected trafficking victim' } },
  { code: 'incomplete_documents', actions: ['postpone'], label: { id: 'Dokumen tidak lengkap', en: 'Incomplete documents' } },
  { code: 'inconsistent_purpose', actions: ['postpone', 'refer'], label: { id: 'Tujuan perjalanan tidak konsisten', en: 'Inconsistent purpose of travel' } },
  { code: 'watchlist_match', actions: ['postpone', 'refer'], label: { id: 'Cocok dengan daftar pengawasan', en: 'Watchlist match' } },
  { code: 'documents_verified', actions: ['clear'], label: { id: 'Dokumen terverifikasi', en: 'Documents verified' } },
  { code: 'procedural_worker_verified', actions: ['clear'], label: { id: 'Pekerja migran prosedural terverifikasi', en: 'Procedural migrant worker verified' } },
  { code: 'purpose_credible', actions: ['clear'], label: { id: 'Tujuan perjalanan meyakinkan', en: 'Purpose of travel credible' } },
  { code: 'false_positive', actions: ['clear'], label: { id: 'Indikator tidak terbukti', en: 'Indicators not borne out' } },
  { code: 'other', actions: ['clear', 'postpone', 'refer'], label: { id: 'Lainnya (lihat catatan)', en: 'Other (see note)' } },
] as const satisfies readonly ReasonCode[];

export type ReasonCodeValue = (typeof reasonCodes)[number]['code'];

/** The postponement log's reasons: every code a postponement may carry. */
export const postponementReasonCodes = reasonCodes
  .filter((r) => (r.actions as readonly string[]).includes('postpone'))
  .map((r) => r.code) as [ReasonCodeValue, ...ReasonCodeValue[]];

export const allReasonCodes = reasonCodes.map((r) => r.code) as [ReasonCodeValue, ...ReasonCodeValue[]];

export function reasonAllows(code: string, action: 'clear' | 'postpone' | 'refer'): boolean {
  const reason = reasonCodes.find((r) => r.code === code);
  return !!reason && (reason.actions as readonly string[]).includes(action);
}

export const reasonLabel = (code: string) => reasonCodes.find((r) => r.code === code)?.label ?? null;
