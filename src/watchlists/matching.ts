/**
 * Watchlist matching for screening: for each comparison the rule set asks for (list, application
 * field, lowest similarity), the entries in force when the application was received.
 *
 * Phones match by E.164 equality; agency licences by their letters and digits; names by pg_trgm
 * similarity of saring_name_key() forms (accents, case, spacing, punctuation, legal forms, old
 * Indonesian spellings and Muhammad's spellings folded; word order ignored).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { ScreenedItem } from '../screening/application-schema';
import type { WatchlistRequirement } from '../screening/engine/requirements';
import type { WatchlistMatch } from '../screening/subject';
import { entryLabel } from './entries';
import type { WatchlistEntryRow } from './schema';

/** The value at a dotted path of the application data, when it is text. */
export function applicationText(application: ScreenedItem, path: string): string | undefined {
  let value: unknown = application.data;
  for (const key of path.split('.')) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The country an employer on the application is in: the stated one, else the destination. */
function employerCountryOf(application: ScreenedItem): string {
  if (application.kind === 'manifest') return application.data.trip.destinationCountry ?? '';
  return application.kind === 'departure'
    ? (application.data.employment?.employerCountry ?? application.data.trip.destinationCountry)
    : (application.data.employment?.employerCountry ?? application.data.intendedDestinationCountry);
}

export interface MatchRow extends Record<string, unknown> {
  req: number;
  id: string;
  list: WatchlistEntryRow['list'];
  name: string | null;
  phone: string | null;
  licence: string | null;
  country: string | null;
  city: string | null;
  source: string;
  /** As text, so a real 0.7 reads as 0.7. */
  similarity: string;
}

/**
 * Entries count when in force at `asOf`, the application's receipt: added by then, valid from/to
 * around it, and not revoked by then (so a replay of an old decision sees the entries it saw).
 *
 * Every comparison of any number of applications in one statement (of the same text whatever the
 * rule set asks, so it is prepared once per connection): the comparisons come in as arrays, one per
 * kind of comparison, each numbered (`req`) so its matches can be told apart. The trigram threshold is set by the statement itself before the name lookups run: they
 * sit in a LATERAL subquery that depends on the row that set it, so they run after it (set_config's
 * `true` keeps the setting to the current transaction).
 */
export function watchlistMatchQuery(input: {
  asOf: string;
  threshold: number;
  phone: { req: number[]; values: string[] };
  licence: { req: number[]; values: string[] };
  /** Per name comparison, also the employer country of its application (employer entries must match it). */
  name: { req: number[]; lists: string[]; values: string[]; mins: number[]; countries: string[] };
}): SQL {
  const active = sql`e.created_at <= ${input.asOf}::timestamptz and e.valid_from <= ${input.asOf}::timestamptz
    and (e.valid_to is null or e.valid_to > ${input.asOf}::timestamptz) and (e.revoked_at is null or e.revoked_at > ${input.asOf}::timestamptz)`;
  // sql.param: an array is one array parameter here, not a list of parameters.
  const columns = sql.raw('r.req, e.id, e.list, e.name, e.phone, e.licence, e.country, e.city, e.source');
  return sql`select m.* from (select set_config('pg_trgm.similarity_threshold', ${String(input.threshold)}, true) as threshold) cfg
cross join lateral (
  select ${columns}, '1' as similarity
    from unnest(${sql.param(input.phone.req)}::int[], ${sql.param(input.phone.values)}::text[]) as r(req, value)
    join watchlist_entries e on e.list = 'phone' and e.phone = r.value and ${active}
  union all
  select ${columns}, '1'
    from unnest(${sql.param(input.licence.req)}::int[], ${sql.param(input.licence.values)}::text[]) as r(req, value)
    join watchlist_entries e on e.list = 'agency' and e.licence_key = saring_licence_key(r.value) and ${active}
  union all
  select ${columns}, similarity(e.name_key, r.key)::numeric::text
    from (select u.req, u.list, u.min, u.country, saring_name_key(u.value) as key
            from unnest(${sql.param(input.name.req)}::int[], ${sql.param(input.name.lists)}::watchlist_kind[], ${sql.param(input.name.values)}::text[],
                        ${sql.param(input.name.mins)}::real[], ${sql.param(input.name.countries)}::text[]) as u(req, list, value, min, country)
          offset 0) r
    -- Each name is one trigram index lookup, in a function of its own that always uses the index
    -- (drizzle/0013_watchlist_name_lookup.sql); the rest filters its result.
    cross join lateral saring_watchlist_name_candidates(r.key) e
   where e.list = r.list and similarity(e.name_key, r.key) >= r.min
     and (r.list <> 'employer' or e.country is null or e.country = r.country) and ${active}
     and cfg.threshold is not null
) m`;
}

/** A watchlist lookup for several applications: its query, and how its rows become each one's matches. */
export interface WatchlistLookup {
  query: SQL;
  /** The matches of each application, in the order given, as the `watchlist` condition reads them. */
  read(rows: readonly MatchRow[]): WatchlistMatch[][];
}

/**
 * The lookup for each application's watchlist requirements, all in one statement; null when none of
 * the applications has any of the fields they compare. Entries count when in force at `asOf`.
 */
export function watchlistLookup(
  items: ReadonlyArray<{ application: ScreenedItem; requirements: readonly WatchlistRequirement[] }>,
  asOf: Date,
): WatchlistLookup | null {
  const present = items.flatMap(({ application, requirements }, item) =>
    requirements.flatMap((requirement) => {
      const value = applicationText(application, requirement.field);
      return value === undefined ? [] : [{ item, requirement, value, country: employerCountryOf(application) }];
    }),
  );
  if (present.length === 0) return null;
  const input = {
    asOf: asOf.toISOString(),
    threshold: Math.min(1, ...present.filter(({ requirement }) => requirement.mode === 'name').map(({ requirement }) => requirement.minSimilarity)),
    phone: { req: [] as number[], values: [] as string[] },
    licence: { req: [] as number[], values: [] as string[] },
    name: { req: [] as number[], lists: [] as string[], values: [] as string[], mins: [] as number[], countries: [] as string[] },
  };
  present.forEach(({ requirement, value, country }, req) => {
    const target = input[requirement.mode];
    target.req.push(req);
    target.values.push(value);
    if (requirement.mode === 'name') {
      input.name.lists.push(requirement.list);
      input.name.mins.push(requirement.minSimilarity);
      input.name.countries.push(country);
    }
  });
  return {
    query: watchlistMatchQuery(input),
    read: (rows) => {
      const found = rows
        .map((row) => {
          const { item, requirement } = present[row.req]!;
          const { list, field } = requirement;
          return { item, req: row.req, match: { list, field, entryId: row.id, entry: entryLabel(row), similarity: Number(row.similarity), source: row.source } };
        })
        .sort((a, b) => a.req - b.req || (a.match.entryId < b.match.entryId ? -1 : 1));
      const matches: WatchlistMatch[][] = items.map(() => []);
      for (const { item, match } of found) matches[item]!.push(match);
      return matches;
    },
  };
}
