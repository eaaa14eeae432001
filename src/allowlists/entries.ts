/**
 * What an allowlist entry is, as the API accepts it (one shape per kind of party, validated and
 * normalised with zod), and how it reads in a decision's explanation and in the API.
 */
import { z } from 'zod';
import { allowlistParties, type AllowlistParty } from '../screening/subject';
import { validFromSchema, validToSchema } from '../watchlists/entries';
import { allowlistParty, type AllowlistEntryRow } from './schema';

// The database enum and the engine's list of parties must be the same values.
const sameParties: readonly AllowlistParty[] = allowlistParty.enumValues;
const samePartiesBack: readonly (typeof allowlistParty.enumValues)[number][] = allowlistParties;
void sameParties;
void samePartiesBack;

const text = (max: number) =>
  z
    .string()
    .transform((v) => v.replace(/\s+/g, ' ').trim())
    .pipe(z.string().min(1, 'must not be empty').max(max));

/** Rule ids as rule files write them (`procedural.no-id-pmi`). */
const ruleId = z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'expected a rule id such as procedural.no-id-pmi');

const licence = text(100).refine((v) => /[A-Za-z0-9]/.test(v), 'a licence number needs letters or digits');

const common = {
  name: text(200),
  suppresses: z
    .array(ruleId)
    .min(1, 'name at least one rule the entry suppresses')
    .max(50)
    .transform((ids) => [...new Set(ids)].sort()),
  source: text(200),
  note: text(2000).optional(),
  /** Default: now. */
  validFrom: validFromSchema.optional(),
  /** Required: every allowlist entry expires. A date means through that day (WIB). */
  validUntil: validToSchema,
};

export const allowlistEntryInputSchema = z
  .discriminatedUnion('partyType', [
    z.strictObject({ partyType: z.literal('placement_agency'), licence, ...common }),
    z.strictObject({ partyType: z.literal('travel_agency'), licence, ...common }),
    z.strictObject({ partyType: z.literal('crew_agency'), licence, ...common }),
    z.strictObject({
      partyType: z.literal('person'),
      nik: z.string().trim().regex(/^\d{16}$/, 'NIK must be exactly 16 digits').optional(),
      passportNumber: z
        .string()
        .trim()
        .transform((v) => v.toUpperCase())
        .pipe(z.string().regex(/^[A-Z]{1,2}\d{6,7}$/, 'expected an Indonesian passport number: 1-2 letters and 6-7 digits'))
        .optional(),
      ...common,
    }),
  ])
  .refine((v) => v.partyType !== 'person' || v.nik !== undefined || v.passportNumber !== undefined, { message: 'a person is identified by nik or passportNumber', path: ['nik'] })
  .refine((v) => !v.validFrom || v.validUntil > v.validFrom, { message: 'validUntil must be after validFrom', path: ['validUntil'] });
export type AllowlistEntryInput = z.output<typeof allowlistEntryInputSchema>;

const partyNames: Record<AllowlistParty, string> = {
  placement_agency: 'P3MI licence',
  travel_agency: 'PPIU/PIHK licence',
  crew_agency: 'SIUPPAK licence',
  person: 'person cleared after review',
};

/** The last characters of an identifier: enough to tell entries apart, never the whole number. */
const tail = (value: string, keep: number) => `…${value.slice(-keep)}`;

/** How the party reads in a decision's explanation: the agency with its licence, or the person with masked identifiers. */
export function partyLabel(row: Pick<AllowlistEntryRow, 'licence' | 'name' | 'nik'> & { party_type?: AllowlistParty; partyType?: AllowlistParty; passport_number?: string | null; passportNumber?: string | null }): string {
  const type = (row.partyType ?? row.party_type)!;
  if (type !== 'person') return `${row.name} (${partyNames[type]} ${row.licence})`;
  const passport = row.passportNumber ?? row.passport_number ?? null;
  const ids = [row.nik ? `NIK ${tail(row.nik, 4)}` : null, passport ? `passport ${tail(passport, 3)}` : null].filter(Boolean).join(', ');
  return `${row.name} (${partyNames.person}; ${ids})`;
}

export type AllowlistStatus = 'active' | 'scheduled' | 'expired' | 'revoked';

export function statusOf(row: AllowlistEntryRow, now: Date): AllowlistStatus {
  if (row.revokedAt) return 'revoked';
  if (row.validFrom > now) return 'scheduled';
  if (row.validUntil <= now) return 'expired';
  return 'active';
}

/** An entry as the API shows it (to admins only: it may carry a NIK). */
export function allowlistEntryView(row: AllowlistEntryRow, now: Date) {
  const { licenceKey: _k, ...rest } = row;
  return { ...rest, label: partyLabel(row), status: statusOf(row, now) };
}
