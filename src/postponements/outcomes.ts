import { followUpOutcome } from './schema';

export type FollowUpOutcome = (typeof followUpOutcome.enumValues)[number];

/** What happened after a postponement, in Bahasa Indonesia and English, for lists and exports. */
export const followUpOutcomeLabels: Record<FollowUpOutcome, { id: string; en: string }> = {
  documents_completed: { id: 'Dokumen telah dilengkapi', en: 'Documents completed' },
  departed_procedurally: { id: 'Berangkat kemudian secara prosedural', en: 'Departed later procedurally' },
  returned_home: { id: 'Kembali ke daerah asal', en: 'Returned home' },
  referred: { id: 'Dirujuk ke instansi lain', en: 'Referred to another agency' },
  application_withdrawn: { id: 'Permohonan ditarik', en: 'Application withdrawn' },
  other: { id: 'Lainnya (lihat catatan)', en: 'Other (see note)' },
  lifted: { id: 'Penundaan dicabut setelah peninjauan ulang', en: 'Postponement lifted on re-review' },
  upheld: { id: 'Penundaan dipertahankan setelah peninjauan ulang', en: 'Postponement upheld on re-review' },
};
