/**
 * What a subject-of-interest entry is, as the API and the CSV import accept it: validated and
 * normalised with zod (NIK 16 digits, passport number upper case, dates in WIB to instants).
 */
import { z } from 'zod';
import { validFromSchema, validToSchema } from '../watchlists/entries';
import type { SubjectEntryRow } from './schema';

const text = (max: number) =>
  z
    .string()
    .transform((v) => v.replace(/\s+/g, ' ').trim())
    .pipe(z.string().min(1, 'must not be empty').max(max));

/** The longest bar an entry may set (the practice is 6 months to 2 years). */
export const MAX_BAR_DAYS = 5 * 366;

const nik = z.string().trim().regex(/^\d{16}$/, 'NIK must be exactly 16 digits');
const passportNumber = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{1,2}\d{6,7}$/, 'expected an Indonesian passport number: 1-2 letters and 6-7 digits'));
const fullName = text(200).refine((v) => /[\p{L}]/u.test(v), 'a name needs letters');

const period = {
  /** A date is the start of that day in WIB; default: now. */
  barFrom: validFromSchema.optional(),
  /** A date runs through that day (WIB). */
  barUntil: validToSchema,
};
const about = {
  reason: text(1000),
  source: text(200),
  note: text(2000).optional(),
  /** The office that bars the person (supervisors: their own; defaults to the caller's office). */
  officeCode: text(40).optional(),
};

const barProblems = (v: { barFrom?: Date | undefined; barUntil: Date }, ctx: z.RefinementCtx) => {
  const from = v.barFrom ?? new Date();
  if (v.barUntil <= from) ctx.addIssue({ code: 'custom', path: ['barUntil'], message: 'barUntil must be after barFrom' });
  else if (v.barUntil.getTime() - from.getTime() > MAX_BAR_DAYS * 86_400_000) ctx.addIssue({ code: 'custom', path: ['barUntil'], message: 'a bar lasts at most 5 years' });
};

/** An entry by the person's identifiers: a NIK, a passport number, or a full name with the date of birth (any of them, at least one). */
export const entryInputSchema = z
  .strictObject({
    nik: nik.optional(),
    passportNumber: passportNumber.optional(),
    fullName: fullName.optional(),
    dateOfBirth: z.iso.date({ error: 'expected a date as YYYY-MM-DD' }).optional(),
    ...about,
    ...period,
  })
  .superRefine((v, ctx) => {
    if ((v.fullName === undefined) !== (v.dateOfBirth === undefined)) {
      ctx.addIssue({ code: 'custom', path: [v.fullName === undefined ? 'fullName' : 'dateOfBirth'], message: 'a name and a date of birth identify a person together: give both' });
    }
    if (v.nik === undefined && v.passportNumber === undefined && v.fullName === undefined) {
      ctx.addIssue({ code: 'custom', path: ['nik'], message: 'give a NIK, a passport number, or a full name with the date of birth' });
    }
    barProblems(v, ctx);
  });
export type EntryInput = z.output<typeof entryInputSchema>;

/** An entry straight from a postponement: the postponed application's NIK, passport number, name and date of birth. */
export const fromPostponementSchema = z
  .strictObject({
    postponementId: z.uuid(),
    reason: text(1000).optional(),
    source: text(200).optional(),
    note: text(2000).optional(),
    ...period,
  })
  .superRefine(barProblems);
export type FromPostponementInput = z.output<typeof fromPostponementSchema>;

export const createBodySchema = z.union([fromPostponementSchema, entryInputSchema]);

export const entryPatchSchema = z
  .strictObject({
    reason: text(1000).optional(),
    source: text(200).optional(),
    note: text(2000).nullable().optional(),
    barUntil: validToSchema.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type EntryPatch = z.output<typeof entryPatchSchema>;

export type EntryStatus = 'scheduled' | 'active' | 'expired' | 'revoked';

/** An entry's status at a moment (the API uses the request time; screening the application's receipt). */
export function statusAt(row: Pick<SubjectEntryRow, 'barFrom' | 'barUntil' | 'revokedAt'>, at: Date): EntryStatus {
  if (row.revokedAt && row.revokedAt <= at) return 'revoked';
  if (row.barUntil <= at) return 'expired';
  if (row.barFrom > at) return 'scheduled';
  return 'active';
}

/** An entry as the API returns it (without the internal name key). */
export function entryView(row: SubjectEntryRow, at: Date) {
  const { nameKey: _nameKey, ...rest } = row;
  return { ...rest, status: statusAt(row, at) };
}
