import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { runPrepared } from '../db/prepared';
import { linkLookup, type LinkRow } from '../links/queries';
import { watchlistLookup, type MatchRow } from '../watchlists/matching';
import type { Application } from './application-schema';
import type { ScreeningRequirements } from './engine/requirements';
import type { ScreeningContext } from './subject';

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
  application: Application,
  receivedAt: Date,
  requirements?: ScreeningRequirements,
): Promise<ScreeningContext | undefined> {
  const needs = requirements?.[application.kind];
  if (!needs || (needs.watchlist.length === 0 && needs.links.length === 0)) return undefined;
  const watchlist = needs.watchlist.length > 0 ? watchlistLookup(application, receivedAt, needs.watchlist) : null;
  const links = needs.links.length > 0 ? linkLookup(application, receivedAt, needs.links) : null;
  if (watchlist && links) {
    // Both in one statement: one round trip per screening instead of two.
    const [row] = await runPrepared<{ watchlist: MatchRow[]; links: LinkRow[] }>(
      db,
      'saring_screening_context',
      sql`select coalesce((select json_agg(w) from (${watchlist.query}) w), '[]'::json) as watchlist,
        coalesce((select json_agg(l) from (${links.query}) l), '[]'::json) as links`,
    );
    return { watchlist: watchlist.read(row?.watchlist ?? []), links: links.read(row?.links ?? []) };
  }
  return {
    watchlist: watchlist ? watchlist.read(await runPrepared<MatchRow>(db, 'saring_watchlist_match', watchlist.query)) : [],
    links: links ? links.read(await runPrepared<LinkRow>(db, 'saring_linked_applications', links.query)) : {},
  };
}
