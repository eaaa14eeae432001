/**
 * Person history for screening: the earlier applications of the person an application is about, and
 * what became of them (postponed, referred, cleared by an officer), as of the application's receipt.
 *
 * An earlier application belongs to the same person when it shares the NIK, the passport number, or
 * the normalised name (saring_name_key) with the date of birth; each record says which of these tied
 * it (`matchedBy`), so a rule chooses how sure it needs to be. Only what existed before the receipt
 * counts: applications received before it, decisions and postponements made before it. Screening the
 * same stored application again with its receipt time sees the same records, whatever came later.
 *
 * Every lookup is an index scan: applications_nik_idx, applications_passport_number_idx and
 * applications_name_dob_idx (saring_name_key(full_name), date_of_birth, submitted_at).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { ScreenedItem } from '../screening/application-schema';
import type { HistoryRecord, PersonMatch } from '../screening/subject';

/** The most earlier applications one key returns per application screened (newest first). */
export const HISTORY_QUERY_LIMIT = 50;
const DAY_MS = 86_400_000;

/** In how many positions two NIKs differ (a NIK missing on either side counts as all 16). */
export function differingDigits(a: string | null, b: string | null): number {
  if (a === null || b === null || a.length !== b.length) return 16;
  let count = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) count++;
  return count;
}

/** The identity fields a person key and the history lookups are read from. */
export interface PersonIdentity {
  nik: string | null;
  passportNumber: string | null;
  fullName: string;
  dateOfBirth: string;
}

export function identityOf(application: ScreenedItem): PersonIdentity {
  if (application.kind === 'manifest') {
    const { passenger } = application.data;
    return { nik: null, passportNumber: passenger.documentNumber ?? null, fullName: passenger.fullName, dateOfBirth: passenger.dateOfBirth ?? '' };
  }
  if (application.kind === 'departure') {
    const { nik, passportNumber, fullName, dateOfBirth } = application.data.traveller;
    return { nik, passportNumber, fullName, dateOfBirth };
  }
  const { nik, fullName, dateOfBirth } = application.data.applicant;
  return { nik, passportNumber: null, fullName, dateOfBirth };
}

export interface HistoryQueryInput {
  /** The receipt time: only what happened strictly before it counts. */
  asOf: Date;
  /** Per application; a null key is not looked up. */
  people: Array<{ nik: string | null; passportNumber: string | null; fullName: string | null; dateOfBirth: string | null }>;
}

/**
 * The query behind the `history` condition, for any number of applications (arrays in, so its text is
 * the same however many there are: prepared once per connection). Per application, up to
 * HISTORY_QUERY_LIMIT earlier applications per key, each with its decided case (clear or refer) and its
 * postponement when they were decided before `asOf`. Exported so its plan can be checked.
 */
export function personHistoryQuery(input: HistoryQueryInput): SQL {
  const column = <T>(values: (p: HistoryQueryInput['people'][number]) => T) => sql.param(input.people.map(values));
  const asOf = sql`${input.asOf.toISOString()}::timestamptz`;
  const limit = sql.raw(String(HISTORY_QUERY_LIMIT));
  return sql`select a.app, m.id, m.kind::text as kind, m.office_code, (extract(epoch from m.submitted_at) * 1000)::float8 as at_ms, m.outcome::text as outcome,
      m.nik as other_nik, h.by_nik, h.by_passport, h.by_name,
      c.action::text as case_action, c.reason_code as case_reason, c.office_code as case_office,
      (extract(epoch from coalesce(c.approved_at, c.decided_at)) * 1000)::float8 as case_ms,
      p.id as postponement_id, p.office_code as postponement_office, p.reason_code::text as postponement_reason,
      (extract(epoch from p.decided_at) * 1000)::float8 as postponement_ms
    from unnest(${sql.param(input.people.map((_, i) => i))}::int[], ${column((p) => p.nik)}::text[], ${column((p) => p.passportNumber)}::text[],
                ${column((p) => p.fullName)}::text[], ${column((p) => p.dateOfBirth)}::date[]) as a(app, nik, passport, name, dob)
    cross join lateral (
      select x.id, bool_or(x.by = 'nik') as by_nik, bool_or(x.by = 'passport') as by_passport, bool_or(x.by = 'nameDob') as by_name
      from (
        (select 'nik' as by, e.id from applications e
          where e.nik = a.nik and e.submitted_at < ${asOf} order by e.submitted_at desc limit ${limit})
        union all
        (select 'passport', e.id from applications e
          where e.passport_number = a.passport and e.submitted_at < ${asOf} order by e.submitted_at desc limit ${limit})
        union all
        (select 'nameDob', e.id from applications e
          where saring_name_key(e.full_name) = saring_name_key(a.name) and e.date_of_birth = a.dob and e.submitted_at < ${asOf}
          order by e.submitted_at desc limit ${limit})
      ) x
      group by x.id
    ) h
    join applications m on m.id = h.id
    left join cases c on c.application_id = m.id and c.state = 'decided' and c.action in ('clear', 'refer')
      and coalesce(c.approved_at, c.decided_at) < ${asOf}
    left join postponements p on p.application_id = m.id and p.decided_at < ${asOf}`;
}

export interface HistoryRow extends Record<string, unknown> {
  app: number;
  id: string;
  kind: 'departure' | 'passport';
  office_code: string;
  at_ms: number;
  outcome: string;
  other_nik: string;
  by_nik: boolean;
  by_passport: boolean;
  by_name: boolean;
  case_action: 'clear' | 'refer' | null;
  case_reason: string | null;
  case_office: string | null;
  case_ms: number | null;
  postponement_id: string | null;
  postponement_office: string | null;
  postponement_reason: string | null;
  postponement_ms: number | null;
}

/** A history lookup for several applications: its query, and how its rows become each one's context. */
export interface HistoryLookup {
  query: SQL;
  read(rows: readonly HistoryRow[]): HistoryRecord[][];
}

/**
 * The lookup for the earlier records of each application's person, by the keys the rule set asks
 * for (`matches`), all in one statement; null when nothing is asked. `officeCode` is the office
 * screening them (the `atOtherOffice` comparison).
 */
export function historyLookup(
  items: ReadonlyArray<{ application: ScreenedItem; matches: readonly PersonMatch[] }>,
  asOf: Date,
  officeCode: string,
): HistoryLookup | null {
  if (items.length === 0 || items.every(({ matches }) => matches.length === 0)) return null;
  const identities = items.map(({ application }) => identityOf(application));
  const people = items.map(({ matches }, i) => {
    const identity = identities[i]!;
    const byName = matches.includes('nameDob');
    return {
      nik: matches.includes('nik') || byName ? identity.nik : null,
      passportNumber: matches.includes('passport') ? identity.passportNumber : null,
      fullName: byName ? identity.fullName : null,
      dateOfBirth: byName && identity.dateOfBirth !== '' ? identity.dateOfBirth : null,
    };
  });
  return {
    query: personHistoryQuery({ asOf, people }),
    read: (rows) => {
      const records: HistoryRecord[][] = items.map(() => []);
      const seen = items.map(() => new Set<string>());
      for (const row of rows) {
        const own = records[row.app]!;
        const keys = seen[row.app]!;
        const matchedBy: PersonMatch[] = [];
        if (row.by_nik) matchedBy.push('nik');
        if (row.by_passport) matchedBy.push('passport');
        if (row.by_name) matchedBy.push('nameDob');
        const digits = differingDigits(identities[row.app]!.nik, row.other_nik);
        const base = { applicationId: row.id, kind: row.kind, matchedBy, sameNik: digits === 0, nikDigitsDifferent: digits };
        const office = (code: string) => ({ officeCode: code, atOtherOffice: code !== officeCode });
        const add = (record: HistoryRecord, key: string) => {
          if (keys.has(key)) return;
          keys.add(key);
          own.push(record);
        };
        const at = (ms: number) => ({ at: new Date(ms).toISOString(), daysAgo: Math.max(0, Math.floor((asOf.getTime() - ms) / DAY_MS)) });
        add({ of: 'application', ...base, ...office(row.office_code), ...at(row.at_ms), outcome: row.outcome, reasonCode: null }, `a:${row.id}`);
        if (row.case_action !== null && row.case_ms !== null) {
          const of = row.case_action === 'clear' ? 'clearance' : 'referral';
          add({ of, ...base, ...office(row.case_office ?? row.office_code), ...at(row.case_ms), outcome: row.case_action, reasonCode: row.case_reason }, `c:${row.id}`);
        }
        if (row.postponement_id !== null && row.postponement_ms !== null) {
          add(
            { of: 'postponement', ...base, ...office(row.postponement_office ?? row.office_code), ...at(row.postponement_ms), outcome: 'postponed', reasonCode: row.postponement_reason },
            `p:${row.postponement_id}`,
          );
        }
      }
      // Newest first; ties by kind of record and id, so the order never depends on the plan.
      for (const own of records) own.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.of < b.of ? -1 : a.of > b.of ? 1 : a.applicationId < b.applicationId ? -1 : 1));
      return records;
    },
  };
}
