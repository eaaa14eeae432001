/**
 * Subject-of-interest matching for screening: the list entries about an application's person whose
 * bar covers the application's receipt, found by the keys the rule set asks for (the NIK, the
 * passport number, the normalised name with the date of birth), as one part of the one context
 * statement (src/screening/context.ts).
 *
 * An entry counts when it was on the list (added, not yet revoked) at `factsAsOf` (the receipt, or
 * the later moment of a cluster re-evaluation) and its bar covers the receipt (`barFrom <= receivedAt <
 * barUntil`). A replay with the original receipt time therefore sees what intake saw, whatever was
 * added later; an entry revoked since stays visible to it (revoked_at after the receipt).
 *
 * Every key is an index lookup: subjects_of_interest_nik_idx, _passport_idx and _name_dob_idx.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { ScreenedItem } from '../screening/application-schema';
import type { PersonMatch, SubjectOfInterestHit } from '../screening/subject';
import { identityOf } from '../persons/history';

export interface SubjectRow extends Record<string, unknown> {
  app: number;
  by: PersonMatch;
  id: string;
  reason: string;
  source: string;
  office_code: string;
  bar_from_ms: number;
  bar_until_ms: number;
}

export interface SubjectQueryInput {
  receivedAt: Date;
  factsAsOf: Date;
  /** Per application; a null key is not looked up. */
  people: Array<{ nik: string | null; passportNumber: string | null; fullName: string | null; dateOfBirth: string | null }>;
}

/** The query behind the `subjectOfInterest` condition for any number of applications (arrays in: one text, prepared once). Exported so its plan can be checked. */
export function subjectOfInterestQuery(input: SubjectQueryInput): SQL {
  const column = <T>(values: (p: SubjectQueryInput['people'][number]) => T) => sql.param(input.people.map(values));
  const received = sql`${input.receivedAt.toISOString()}::timestamptz`;
  const asOf = sql`${input.factsAsOf.toISOString()}::timestamptz`;
  return sql`select a.app, k.by, s.id, s.reason, s.source, s.office_code,
      (extract(epoch from s.bar_from) * 1000)::float8 as bar_from_ms, (extract(epoch from s.bar_until) * 1000)::float8 as bar_until_ms
    from unnest(${sql.param(input.people.map((_, i) => i))}::int[], ${column((p) => p.nik)}::text[], ${column((p) => p.passportNumber)}::text[],
                ${column((p) => p.fullName)}::text[], ${column((p) => p.dateOfBirth)}::date[]) as a(app, nik, passport, name, dob)
    cross join lateral (
      (select 'nik' as by, e.id from subjects_of_interest e where e.nik = a.nik)
      union all
      (select 'passport', e.id from subjects_of_interest e where e.passport_number = a.passport)
      union all
      (select 'nameDob', e.id from subjects_of_interest e where e.name_key = saring_name_key(a.name) and e.date_of_birth = a.dob)
    ) k
    join subjects_of_interest s on s.id = k.id
    where s.created_at <= ${asOf} and (s.revoked_at is null or s.revoked_at > ${asOf})
      and s.bar_from <= ${received} and s.bar_until > ${received}`;
}

export interface SubjectLookup {
  query: SQL;
  read(rows: readonly SubjectRow[]): SubjectOfInterestHit[][];
}

const keyOrder: Record<PersonMatch, number> = { nik: 0, passport: 1, nameDob: 2 };

/** The lookup for each application's person by the keys asked for (`matches`); null when nothing is asked. */
export function subjectOfInterestLookup(
  items: ReadonlyArray<{ application: ScreenedItem; matches: readonly PersonMatch[] }>,
  receivedAt: Date,
  factsAsOf: Date,
): SubjectLookup | null {
  if (items.length === 0 || items.every(({ matches }) => matches.length === 0)) return null;
  const people = items.map(({ application, matches }) => {
    const identity = identityOf(application);
    const byName = matches.includes('nameDob') && identity.dateOfBirth !== '';
    return {
      nik: matches.includes('nik') ? identity.nik : null,
      passportNumber: matches.includes('passport') ? identity.passportNumber : null,
      fullName: byName ? identity.fullName : null,
      dateOfBirth: byName ? identity.dateOfBirth : null,
    };
  });
  return {
    query: subjectOfInterestQuery({ receivedAt, factsAsOf, people }),
    read: (rows) => {
      const hits: SubjectOfInterestHit[][] = items.map(() => []);
      // One hit per entry and key, in a fixed order (entry id, then nik, passport, name), whatever the plan.
      const sorted = [...rows].sort((a, b) => a.app - b.app || (a.id < b.id ? -1 : a.id > b.id ? 1 : keyOrder[a.by] - keyOrder[b.by]));
      for (const row of sorted) {
        hits[row.app]!.push({
          entryId: row.id,
          matchedBy: row.by,
          reason: row.reason,
          source: row.source,
          barFrom: new Date(row.bar_from_ms).toISOString(),
          barUntil: new Date(row.bar_until_ms).toISOString(),
          officeCode: row.office_code,
        });
      }
      return hits;
    },
  };
}
