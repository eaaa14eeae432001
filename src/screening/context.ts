import type { Database } from '../db/client';
import type { Application } from './application-schema';
import type { ScreeningContext } from './subject';

/**
 * Resolves the facts rules may read from outside the application (watchlist matches, links to
 * other applications) before the pure engine evaluates it. Every screening path (single requests,
 * batches, re-screens, replays) calls this, so they all see the same facts.
 *
 * No resolvers are registered yet: until watchlists and link analysis exist, the context is empty
 * and context rules never fire.
 */
export async function resolveScreeningContext(
  _db: Database,
  _application: Application,
  _receivedAt: Date,
): Promise<ScreeningContext | undefined> {
  return undefined;
}
