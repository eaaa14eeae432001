import type { Database } from '../db/client';
import { findLinkedApplications } from '../links/queries';
import { findWatchlistMatches } from '../watchlists/matching';
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
  // One prepared statement each; on the pool they run side by side (in a transaction, one after the other).
  const [watchlist, links] = await Promise.all([
    needs.watchlist.length > 0 ? findWatchlistMatches(db, application, receivedAt, needs.watchlist) : [],
    needs.links.length > 0 ? findLinkedApplications(db, application, receivedAt, needs.links) : {},
  ]);
  return { watchlist, links };
}
