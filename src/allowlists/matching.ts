/**
 * Allowlist lookup for screening: the entries in force when the application was received that name
 * its placement agency, travel organiser or crew agency (by the letters and digits of the licence),
 * or the person (by NIK or passport number). Resolved into the context beside watchlist matches
 * (src/screening/context.ts); the pure engine drops the hits of the rules they name.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { ScreenedItem } from '../screening/application-schema';
import type { AllowlistMatch, AllowlistParty } from '../screening/subject';
import { partyLabel } from './entries';

export interface AllowlistRow extends Record<string, unknown> {
  req: number;
  id: string;
  party_type: AllowlistParty;
  name: string;
  licence: string | null;
  nik: string | null;
  passport_number: string | null;
  suppresses: string[];
  valid_until: string;
}

type AgencyParty = Exclude<AllowlistParty, 'person'>;

/** The parties an application names: its agencies' licences and the person's identifiers. */
export function partiesOf(application: ScreenedItem): { licences: Array<{ party: AgencyParty; licence: string }>; nik?: string; passport?: string } {
  if (application.kind === 'manifest') return { licences: [] };
  const data = application.data;
  const licences: Array<{ party: AgencyParty; licence: string }> = [];
  const add = (party: AgencyParty, licence: string | undefined) => {
    if (licence !== undefined && licence.length > 0) licences.push({ party, licence });
  };
  add('placement_agency', data.employment?.placementAgencyLicence);
  add('travel_agency', data.travelAgency?.licenceNumber);
  add('crew_agency', data.seafarer?.crewAgencyLicence);
  if (application.kind === 'departure') return { licences, nik: application.data.traveller.nik, passport: application.data.traveller.passportNumber };
  return { licences, nik: application.data.applicant.nik };
}

/**
 * Entries count when in force at `asOf`: created by then, valid from/until around it, and not revoked
 * by then, so replaying a stored decision with its receipt time sees the entries it saw.
 */
function allowlistQuery(asOf: string, licence: { req: number[]; parties: string[]; values: string[] }, nik: { req: number[]; values: string[] }, passport: { req: number[]; values: string[] }): SQL {
  const active = sql`e.created_at <= ${asOf}::timestamptz and e.valid_from <= ${asOf}::timestamptz and e.valid_until > ${asOf}::timestamptz
    and (e.revoked_at is null or e.revoked_at > ${asOf}::timestamptz)`;
  const columns = sql.raw('r.req, e.id, e.party_type, e.name, e.licence, e.nik, e.passport_number, e.suppresses, e.valid_until');
  return sql`select ${columns}
    from unnest(${sql.param(licence.req)}::int[], ${sql.param(licence.parties)}::allowlist_party[], ${sql.param(licence.values)}::text[]) as r(req, party, value)
    join allowlist_entries e on e.party_type = r.party and e.licence_key = saring_licence_key(r.value) and ${active}
  union all
  select ${columns}
    from unnest(${sql.param(nik.req)}::int[], ${sql.param(nik.values)}::text[]) as r(req, value)
    join allowlist_entries e on e.nik = r.value and e.party_type = 'person' and ${active}
  union all
  select ${columns}
    from unnest(${sql.param(passport.req)}::int[], ${sql.param(passport.values)}::text[]) as r(req, value)
    join allowlist_entries e on e.passport_number = r.value and e.party_type = 'person' and ${active}`;
}

export interface AllowlistLookup {
  query: SQL;
  /** Each application's entries in force (deduplicated, ordered by entry id), in the order given. */
  read(rows: readonly AllowlistRow[]): AllowlistMatch[][];
}

/** The allowlist lookup for several applications in one query; null when none names an agency or person. */
export function allowlistLookup(applications: readonly ScreenedItem[], asOf: Date): AllowlistLookup | null {
  const licence = { req: [] as number[], parties: [] as string[], values: [] as string[] };
  const nik = { req: [] as number[], values: [] as string[] };
  const passport = { req: [] as number[], values: [] as string[] };
  applications.forEach((application, item) => {
    const parties = partiesOf(application);
    for (const { party, licence: value } of parties.licences) {
      licence.req.push(item);
      licence.parties.push(party);
      licence.values.push(value);
    }
    if (parties.nik) {
      nik.req.push(item);
      nik.values.push(parties.nik);
    }
    if (parties.passport) {
      passport.req.push(item);
      passport.values.push(parties.passport);
    }
  });
  if (licence.req.length + nik.req.length + passport.req.length === 0) return null;
  return {
    query: allowlistQuery(asOf.toISOString(), licence, nik, passport),
    read: (rows) => {
      const found: Array<Map<string, AllowlistMatch>> = applications.map(() => new Map());
      for (const row of rows) {
        const matches = found[row.req];
        if (!matches || matches.has(row.id)) continue;
        matches.set(row.id, {
          entryId: row.id,
          partyType: row.party_type,
          party: partyLabel(row),
          suppresses: [...row.suppresses],
          validUntil: new Date(row.valid_until).toISOString(),
        });
      }
      return found.map((matches) => [...matches.values()].sort((a, b) => (a.entryId < b.entryId ? -1 : 1)));
    },
  };
}
