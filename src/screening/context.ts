import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { runPrepared } from '../db/prepared';
import { linkLookup, type LinkRow } from '../links/queries';
import { watchlistLookup, type MatchRow } from '../watchlists/matching';
import type { ScreenedItem } from './application-schema';
import type { ScreeningRequirements } from './engine/requirements';
import type { ScreeningContext } from './subject';

/**
 * The port through which screening reads the world: contexts for applications received at one
 * moment, resolved for exactly the requirements of the version that will evaluate them.
 */
export interface ScreeningContextPort {
  resolve(
    db: Database,
    applications: readonly ScreenedItem[],
    receivedAt: Date,
    requirements: ScreeningRequirements | undefined,
  ): Promise<Array<ScreeningContext | undefined>>;
}

/** The database-backed port: watchlist matches and links in one statement (resolveScreeningContexts). */
export const databaseScreeningContext: ScreeningContextPort = {
  resolve: (db, applications, receivedAt, requirements) => resolveScreeningContexts(db, applications, receivedAt, requirements),
};

/**
 * Resolves the facts rules may read from outside the application (watchlist matches, links to
 * other applications) before the pure engine evaluates it. Every screening path (single requests,
 * batches, re-screens, replays) calls this, so they all see the same facts.
 *
 * It queries exactly what the rule set asks for (`screener.requirements`: which watchlist
 * comparisons, which link keys and windows), relative to the application's own dates, never the
 * clock: watchlist entries in force at `receivedAt`, and applications received before it whose
 * departure (or, for passport applications, receipt) lies within the window around this one's.
 * Screening the same stored application again with its original receipt time sees the same facts,
 * unless an entry was revoked or an application arrived in between.
 *
 * Without requirements (a screener that does not expose them) there is nothing to resolve.
 */
export async function resolveScreeningContext(
  db: Database,
  application: ScreenedItem,
  receivedAt: Date,
  requirements?: ScreeningRequirements,
  factsAsOf?: Date,
): Promise<ScreeningContext | undefined> {
  const [context] = await resolveScreeningContexts(db, [application], receivedAt, requirements, factsAsOf);
  return context;
}

/**
 * resolveScreeningContext for several applications received at the same moment (a batch chunk), in
 * one statement rather than one per application; contexts in the order given.
 *
 * `factsAsOf` (default `receivedAt`) moves only the facts' moment: the watchlist entries in force then
 * and the applications received before it. A cluster alert re-evaluates an earlier application with the
 * facts as of the screening that grew its cluster (src/networks/alerts.ts); windows stay around the
 * application's own dates.
 */
export async function resolveScreeningContexts(
  db: Database,
  applications: readonly ScreenedItem[],
  receivedAt: Date,
  requirements?: ScreeningRequirements,
  factsAsOf: Date = receivedAt,
): Promise<Array<ScreeningContext | undefined>> {
  const needs = applications.map((application) => requirements?.[application.kind]);
  const asked = applications.flatMap((application, i) => {
    const need = needs[i];
    return need && (need.watchlist.length > 0 || need.links.length > 0) ? [{ application, need, item: i }] : [];
  });
  if (asked.length === 0) return applications.map(() => undefined);
  const watchlist = watchlistLookup(
    asked.map(({ application, need }) => ({ application, requirements: need.watchlist })),
    factsAsOf,
  );
  const links = linkLookup(
    asked.map(({ application, need }) => ({ application, requirements: need.links })),
    receivedAt,
    factsAsOf,
  );
  let matches: MatchRow[] = [];
  let linked: LinkRow[] = [];
  if (watchlist && links) {
    // Both in one statement: one round trip for the lot.
    const [row] = await runPrepared<{ watchlist: MatchRow[]; links: LinkRow[] }>(
      db,
      'saring_screening_context',
      sql`select coalesce((select json_agg(w) from (${watchlist.query}) w), '[]'::json) as watchlist,
        coalesce((select json_agg(l) from (${links.query}) l), '[]'::json) as links`,
    );
    matches = row?.watchlist ?? [];
    linked = row?.links ?? [];
  } else if (watchlist) {
    matches = await runPrepared<MatchRow>(db, 'saring_watchlist_match', watchlist.query);
  } else if (links) {
    linked = await runPrepared<LinkRow>(db, 'saring_linked_applications', links.query);
  }
  const watchlistOf = watchlist?.read(matches);
  const linksOf = links?.read(linked);
  const contexts: Array<ScreeningContext | undefined> = applications.map(() => undefined);
  asked.forEach(({ item }, position) => {
    contexts[item] = { watchlist: watchlistOf?.[position] ?? [], links: linksOf?.[position] ?? {} };
  });
  return contexts;
}
