/**
 * Watchlist matching for screening: for each comparison the rule set asks for (list, application
 * field, lowest similarity), the entries in force when the application was received.
 *
 * Phones match by E.164 equality; agency licences by their letters and digits; names by pg_trgm
 * similarity of saring_name_key() forms (accents, case, spacing, punctuation, legal forms, old
 * Indonesian spellings and Muhammad's spellings folded; word order ignored).
 */
import { and, gt, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client';
import type { Application } from '../screening/application-schema';
import type { WatchlistRequirement } from '../screening/engine/requirements';
import type { WatchlistMatch } from '../screening/subject';
import { entryLabel } from './entries';
import { watchlistEntries as e, type WatchlistEntryRow } from './schema';

/** The value at a dotted path of the application data, when it is text. */
export function applicationText(application: Application, path: string): string | undefined {
  let value: unknown = application.data;
  for (const key of path.split('.')) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The country an employer on the application is in: the stated one, else the destination. */
function employerCountryOf(application: Application): string {
  return application.kind === 'departure'
    ? (application.data.employment?.employerCountry ?? application.data.trip.destinationCountry)
    : (application.data.employment?.employerCountry ?? application.data.intendedDestinationCountry);
}

/**
 * Entries in force at `asOf`: added by then, valid from/to around it, and not revoked by then. Using
 * the application's own receipt time (not the clock) makes a replay of an old decision see the same
 * entries it saw.
 */
export function activeAt(asOf: Date): SQL {
  return and(
    lte(e.createdAt, asOf),
    lte(e.validFrom, asOf),
    or(isNull(e.validTo), gt(e.validTo, asOf)),
    or(isNull(e.revokedAt), gt(e.revokedAt, asOf)),
  )!;
}

type Row = Pick<WatchlistEntryRow, 'id' | 'list' | 'name' | 'phone' | 'licence' | 'country' | 'city' | 'source'> & { similarity: number };

const selection = {
  id: e.id,
  list: e.list,
  name: e.name,
  phone: e.phone,
  licence: e.licence,
  country: e.country,
  city: e.city,
  source: e.source,
};

async function matchOne(db: Database, application: Application, asOf: Date, requirement: WatchlistRequirement): Promise<Row[]> {
  const value = applicationText(application, requirement.field);
  if (value === undefined) return [];
  const { list, mode } = requirement;
  if (mode === 'phone') {
    return db
      .select({ ...selection, similarity: sql<number>`1`.mapWith(Number) })
      .from(e)
      .where(and(sql`${e.list} = ${list}`, sql`${e.phone} = ${value}`, activeAt(asOf)));
  }
  if (mode === 'licence') {
    return db
      .select({ ...selection, similarity: sql<number>`1`.mapWith(Number) })
      .from(e)
      .where(and(sql`${e.list} = ${list}`, sql`${e.licenceKey} = saring_licence_key(${value})`, activeAt(asOf)));
  }
  const key = sql`saring_name_key(${value})`;
  // pg_trgm's similarity is a real: compared as a real, and read through numeric so 0.7 arrives as 0.7.
  const similarity = sql`similarity(${e.nameKey}, ${key})`;
  return db
    .select({ ...selection, similarity: sql<number>`${similarity}::numeric`.mapWith(Number) })
    .from(e)
    .where(
      and(
        sql`${e.list} = ${list}`,
        // `%` is what the trigram index answers (at pg_trgm.similarity_threshold); the second test applies this rule's own threshold.
        sql`${e.nameKey} % ${key}`,
        sql`${similarity} >= ${requirement.minSimilarity}`,
        list === 'employer' ? sql`(${e.country} is null or ${e.country} = ${employerCountryOf(application)})` : undefined,
        activeAt(asOf),
      ),
    );
}

/**
 * The watchlist matches for every requirement, as the `watchlist` condition reads them. Name
 * comparisons run in one transaction (a savepoint when `db` already is one) so the trigram threshold
 * set for the index is local to it.
 */
export async function findWatchlistMatches(db: Database, application: Application, asOf: Date, requirements: readonly WatchlistRequirement[]): Promise<WatchlistMatch[]> {
  const present = requirements.filter((r) => applicationText(application, r.field) !== undefined);
  if (present.length === 0) return [];
  const names = present.filter((r) => r.mode === 'name').map((r) => r.minSimilarity);
  const run = async (tx: Database) => {
    if (names.length > 0) await tx.execute(sql`select set_config('pg_trgm.similarity_threshold', ${String(Math.min(...names))}, true)`);
    const out: WatchlistMatch[] = [];
    for (const requirement of present) {
      const rows = await matchOne(tx, application, asOf, requirement);
      for (const row of rows) {
        out.push({
          list: requirement.list,
          field: requirement.field,
          entryId: row.id,
          entry: entryLabel(row),
          similarity: row.similarity,
          source: row.source,
        });
      }
    }
    return out;
  };
  // Exact comparisons need no trigram threshold, so no transaction of their own.
  return names.length > 0 ? db.transaction((tx) => run(tx)) : run(db);
}
