/**
 * What a watchlist entry is, as the API and the CSV import accept it: one shape per list, validated
 * and normalised with zod (phones to E.164, countries upper case, dates to instants).
 */
import { e164Phone } from '../screening/application-schema';
import { z } from 'zod';
import { type WatchlistKind, watchlistKinds } from '../screening/subject';
import { watchlistKind, type WatchlistEntryRow } from './schema';

// The database enum and the engine's list of watchlists must be the same values.
const sameKinds: readonly WatchlistKind[] = watchlistKind.enumValues;
const sameKindsBack: readonly (typeof watchlistKind.enumValues)[number][] = watchlistKinds;
void sameKinds;
void sameKindsBack;

const text = (max: number) =>
  z
    .string()
    .transform((v) => v.replace(/\s+/g, ' ').trim())
    .pipe(z.string().min(1, 'must not be empty').max(max));

/** Letters or digits must survive normalisation, or the name could never match anything. */
const name = text(200).refine((v) => /[\p{L}\p{N}]/u.test(v), 'a name needs letters or digits');

const phone = e164Phone();

const country = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code'));

/** Dates without a time are read in Western Indonesian Time (UTC+7), the zone of headquarters. */
const WIB = '+07:00';
const dateOnly = /^\d{4}-\d{2}-\d{2}$/;
const instant = (end: boolean) =>
  z.union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'expected a date (YYYY-MM-DD) or an ISO 8601 date-time with an offset' }).transform((v) => {
    if (!dateOnly.test(v)) return new Date(v);
    const start = new Date(`${v}T00:00:00${WIB}`);
    // A date as valid-to means "through that day": the entry lapses when the next day begins.
    return end ? new Date(start.getTime() + 86_400_000) : start;
  });

export const validFromSchema = instant(false);
export const validToSchema = instant(true);

const common = {
  source: text(200),
  note: text(2000).optional(),
  validFrom: validFromSchema.optional(),
  validTo: validToSchema.optional(),
};

export const entryInputSchema = z
  .discriminatedUnion('list', [
    z.strictObject({ list: z.literal('phone'), phone, name: name.optional(), ...common }),
    z.strictObject({ list: z.literal('agency'), name, licence: text(100).optional(), ...common }),
    z.strictObject({ list: z.literal('employer'), name, country: country.optional(), city: text(100).optional(), ...common }),
    z.strictObject({ list: z.literal('address'), name, country: country.optional(), city: text(100).optional(), ...common }),
    z.strictObject({ list: z.literal('person'), name, ...common }),
  ])
  .refine((v) => !v.validFrom || !v.validTo || v.validTo > v.validFrom, { message: 'validTo must be after validFrom', path: ['validTo'] });
export type EntryInput = z.output<typeof entryInputSchema>;

/** The identifying columns of an entry as stored: each list keeps only the fields it has, the rest null. */
export function entryColumns(input: EntryInput) {
  const place = input.list === 'employer' || input.list === 'address';
  return {
    name: 'name' in input ? (input.name ?? null) : null,
    phone: input.list === 'phone' ? input.phone : null,
    licence: input.list === 'agency' ? (input.licence ?? null) : null,
    country: place ? (input.country ?? null) : null,
    city: place ? (input.city ?? null) : null,
  };
}

/** A change to an entry: any of its fields except the list; null clears an optional one. */
export const entryPatchSchema = z
  .strictObject({
    name: name.nullable().optional(),
    phone: phone.optional(),
    licence: text(100).nullable().optional(),
    country: country.nullable().optional(),
    city: text(100).nullable().optional(),
    source: text(200).optional(),
    note: text(2000).nullable().optional(),
    validFrom: validFromSchema.optional(),
    validTo: validToSchema.nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type EntryPatch = z.output<typeof entryPatchSchema>;

/** Which optional fields each list carries (a patch may not add a licence to a person). */
export const fieldsOf: Readonly<Record<WatchlistKind, readonly string[]>> = {
  phone: ['phone', 'name'],
  agency: ['name', 'licence'],
  employer: ['name', 'country', 'city'],
  address: ['name', 'country', 'city'],
  person: ['name'],
};
/** Fields a list's entries cannot do without. */
export const requiredOf: Readonly<Record<WatchlistKind, readonly string[]>> = {
  phone: ['phone'],
  agency: ['name'],
  employer: ['name'],
  address: ['name'],
  person: ['name'],
};

/** How an entry reads in evidence: "+85512345678 (Bang Jo)", "Golden Star Trading (Phnom Penh, KH)". */
export function entryLabel(row: Pick<WatchlistEntryRow, 'list' | 'name' | 'phone' | 'licence' | 'country' | 'city'>): string {
  if (row.list === 'phone') return row.name ? `${row.phone} (${row.name})` : (row.phone ?? '');
  const details = row.list === 'agency' ? [row.licence && `licence ${row.licence}`] : [row.city, row.country];
  const extra = details.filter((d): d is string => Boolean(d));
  return extra.length > 0 ? `${row.name} (${extra.join(', ')})` : (row.name ?? '');
}

export type EntryStatus = 'active' | 'scheduled' | 'expired' | 'revoked';

/** An entry's status at a moment (the API uses the request time; screening uses the application's). */
export function statusAt(row: Pick<WatchlistEntryRow, 'validFrom' | 'validTo' | 'revokedAt'>, at: Date): EntryStatus {
  if (row.revokedAt && row.revokedAt <= at) return 'revoked';
  if (row.validTo && row.validTo <= at) return 'expired';
  if (row.validFrom > at) return 'scheduled';
  return 'active';
}

/** An entry as the API returns it (without the internal match keys). */
export function entryView(row: WatchlistEntryRow, at: Date) {
  const { nameKey: _nameKey, licenceKey: _licenceKey, ...rest } = row;
  return { ...rest, label: entryLabel(row), status: statusAt(row, at) };
}
