import type { Database } from '../db/client';
import { offices } from './schema';

type OfficeSeed = typeof offices.$inferInsert;

/**
 * Real checkpoints (Tempat Pemeriksaan Imigrasi) and passport offices (Kantor Imigrasi) named in
 * public reporting, plus headquarters. Loaded on every start; existing rows are left as they are.
 */
export const referenceOffices: OfficeSeed[] = [
  { code: 'HQ', name: 'Direktorat Jenderal Imigrasi (Jakarta)', kind: 'headquarters' },
  { code: 'TPI-CGK', name: 'TPI Bandara Soekarno-Hatta', kind: 'checkpoint' },
  { code: 'TPI-DPS', name: 'TPI Bandara I Gusti Ngurah Rai', kind: 'checkpoint', timezone: 'Asia/Makassar' },
  { code: 'TPI-SUB', name: 'TPI Bandara Juanda', kind: 'checkpoint' },
  { code: 'TPI-KNO', name: 'TPI Bandara Kualanamu', kind: 'checkpoint' },
  { code: 'TPI-YIA', name: 'TPI Bandara Yogyakarta International', kind: 'checkpoint' },
  { code: 'TPI-BTC', name: 'TPI Pelabuhan Batam Centre', kind: 'checkpoint' },
  { code: 'TPI-SKP', name: 'TPI Pelabuhan Sekupang (Batam)', kind: 'checkpoint' },
  { code: 'TPI-DUM', name: 'TPI Pelabuhan Dumai', kind: 'checkpoint' },
  { code: 'TPI-TBK', name: 'TPI Pelabuhan Tanjung Balai Karimun', kind: 'checkpoint' },
  { code: 'TPI-NNK', name: 'TPI Pelabuhan Tunon Taka Nunukan', kind: 'checkpoint', timezone: 'Asia/Makassar' },
  { code: 'KANIM-JAKSEL', name: 'Kantor Imigrasi Jakarta Selatan', kind: 'passport_office' },
  { code: 'KANIM-KARAWANG', name: 'Kantor Imigrasi Karawang', kind: 'passport_office' },
  { code: 'KANIM-BANDUNG', name: 'Kantor Imigrasi Bandung', kind: 'passport_office' },
  { code: 'KANIM-MEDAN', name: 'Kantor Imigrasi Medan', kind: 'passport_office' },
  { code: 'KANIM-SURABAYA', name: 'Kantor Imigrasi Surabaya', kind: 'passport_office' },
  { code: 'KANIM-MATARAM', name: 'Kantor Imigrasi Mataram', kind: 'passport_office', timezone: 'Asia/Makassar' },
  { code: 'KANIM-KUPANG', name: 'Kantor Imigrasi Kupang', kind: 'passport_office', timezone: 'Asia/Makassar' },
  { code: 'KANIM-MAKASSAR', name: 'Kantor Imigrasi Makassar', kind: 'passport_office', timezone: 'Asia/Makassar' },
];

export async function seedReferenceOffices(db: Database): Promise<void> {
  await db.insert(offices).values(referenceOffices).onConflictDoNothing();
}
