/**
 * What a rule set needs from outside the application: which watchlist comparisons and which link
 * windows its `watchlist` and `linked` conditions read. The compiled rule set exposes this so the
 * resolver (src/screening/context.ts) queries PostgreSQL for exactly that before the pure evaluation.
 * Operators declare theirs (`requirements` in ./operators); the registry collects them.
 */
import type { ScreeningKind } from '../application-schema';
import type { LinkKey, PersonMatch, WatchlistKind } from '../subject';

/**
 * Default `minSimilarity` of a fuzzy watchlist comparison: pg_trgm similarity of the normalised names
 * (see the README's watchlist section for measured examples). 0.7 keeps spelling variants
 * ("Budi Santosa" for "Budi Santoso", 0.73) and rejects different people and firms
 * ("Budi Susanto", 0.53; "Golden Sun Trading" for "Golden Star Trading", 0.70 - just below).
 */
export const DEFAULT_MIN_SIMILARITY = 0.7;
/** Lowest `minSimilarity` a rule may ask for: the trigram index pre-filters at this level. */
export const MIN_SIMILARITY_FLOOR = 0.3;

/**
 * How an application field is compared with a watchlist: phones by E.164 equality, an agency licence
 * by equality of its letters and digits, everything else by fuzzy name similarity.
 */
export type WatchlistMatchMode = 'phone' | 'licence' | 'name';

export function watchlistMatchMode(list: WatchlistKind, field: string): WatchlistMatchMode {
  if (list === 'phone') return 'phone';
  if (list === 'agency' && /licence$/i.test(field)) return 'licence';
  return 'name';
}

/** The application field each link key is read from (also the field shown as evidence). */
export const linkKeyFields: Readonly<Record<LinkKey, string>> = {
  recruiterPhone: 'employment.recruiterPhone',
  sponsorPhone: 'sponsor.phone',
  employer: 'employment.employerName',
  ticketPayer: 'trip.ticketPaidBy',
};

/** Which application kinds carry each link key (passport applications have no sponsor and no ticket). */
export const linkKeyKinds: Readonly<Record<LinkKey, readonly ScreeningKind[]>> = {
  recruiterPhone: ['departure', 'passport'],
  sponsorPhone: ['departure'],
  employer: ['departure', 'passport'],
  ticketPayer: ['departure'],
};

export interface WatchlistRequirement {
  list: WatchlistKind;
  field: string;
  mode: WatchlistMatchMode;
  /** The lowest similarity any condition on this list and field accepts (1 for exact modes). */
  minSimilarity: number;
}

export interface LinkRequirement {
  by: LinkKey;
  /** The widest window any condition on this key uses. */
  withinDays: number;
}

export interface ContextRequirements {
  watchlist: WatchlistRequirement[];
  links: LinkRequirement[];
  /** The keys `history` conditions find the person's earlier records by; empty when none asks. */
  history: PersonMatch[];
  /** The keys `subjectOfInterest` conditions match entries by; empty when none asks. */
  subjectsOfInterest: PersonMatch[];
}

/** Per application kind: what to resolve before screening an application of that kind. */
export type ScreeningRequirements = Readonly<Record<ScreeningKind, ContextRequirements>>;

export function effectiveMinSimilarity(list: WatchlistKind, field: string, minSimilarity: number | undefined): number {
  return watchlistMatchMode(list, field) === 'name' ? (minSimilarity ?? DEFAULT_MIN_SIMILARITY) : 1;
}
