import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client';
import { runPrepared } from '../db/prepared';
import { allowlistLookup, type AllowlistRow } from '../allowlists/matching';
import { linkLookup, type LinkRow } from '../links/queries';
import { historyLookup, type HistoryRow } from '../persons/history';
import { subjectOfInterestLookup, type SubjectRow } from '../subjects/matching';
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
    /** The office screening them: the `history` condition's "another office" is relative to it. */
    officeCode?: string,
  ): Promise<Array<ScreeningContext | undefined>>;
}

/** The database-backed port: watchlist matches, links, person history, subject-of-interest and allowlist entries in one statement (resolveScreeningContexts). */
export const databaseScreeningContext: ScreeningContextPort = {
  resolve: (db, applications, receivedAt, requirements, officeCode) => resolveScreeningContexts(db, applications, receivedAt, requirements, officeCode),
};

/**
 * Resolves the facts rules may read from outside the application (watchlist matches, links to
 * other applications, the person's earlier records, allowlist entries naming its agency or person) before the pure engine evaluates it. Every
 * screening path (single requests, batches, re-screens, replays) calls this, so they all see the
 * same facts.
 *
 * It queries exactly what the rule set asks for (`screener.requirements`: which watchlist
 * comparisons, which link keys and windows, which person keys), relative to the application's own
 * dates, never the clock: watchlist entries in force at `receivedAt`, applications received before
 * it whose departure (or, for passport applications, receipt) lies within the window around this
 * one's, and the person's applications, decisions and postponements made before it. Screening the
 * same stored application again with its original receipt time sees the same facts, unless an entry
 * was revoked or an application arrived in between.
 *
 * `officeCode` is the office the application is screened for (the `history` condition's
 * `atOtherOffice`). Without requirements (a screener that does not expose them) there is nothing to
 * resolve.
 */
export async function resolveScreeningContext(
  db: Database,
  application: ScreenedItem,
  receivedAt: Date,
  requirements?: ScreeningRequirements,
  officeCode = '',
  factsAsOf?: Date,
): Promise<ScreeningContext | undefined> {
  const [context] = await resolveScreeningContexts(db, [application], receivedAt, requirements, officeCode, factsAsOf);
  return context;
}

/** One letter per part for the prepared statement's name (PostgreSQL keeps only 63 bytes of a name, so the part names themselves would not fit). */
const partCodes = { watchlist: 'w', links: 'l', history: 'h', subjects: 's', allowlist: 'a' } as const;

/** One part of the context statement: a query whose rows come back as one JSON array column. */
interface Part {
  name: keyof typeof partCodes;
  query: SQL;
}

/**
 * resolveScreeningContext for several applications received at the same moment at one office (a
 * batch chunk), in one statement rather than one per application; contexts in the order given.
 *
 * `factsAsOf` (default `receivedAt`) moves only the facts' moment: the watchlist entries in force then
 * and the applications received before it. A cluster alert re-evaluates an earlier application with the
 * facts as of the screening that grew its cluster (src/networks/alerts.ts); windows stay around the
 * application's own dates. The person's history stays as of the receipt (`receivedAt`): its query does
 * not exclude the application itself, which a later moment would count as its own earlier record.
 */
export async function resolveScreeningContexts(
  db: Database,
  applications: readonly ScreenedItem[],
  receivedAt: Date,
  requirements?: ScreeningRequirements,
  officeCode = '',
  factsAsOf: Date = receivedAt,
): Promise<Array<ScreeningContext | undefined>> {
  const needs = applications.map((application) => requirements?.[application.kind]);
  const asked = applications.flatMap((application, i) => {
    const need = needs[i];
    // Allowlist entries may name any rule, so every counter application is looked up (manifests name no agency or NIK).
    const allowlisted = need !== undefined && application.kind !== 'manifest';
    return need && (allowlisted || need.watchlist.length > 0 || need.links.length > 0 || need.history.length > 0 || need.subjectsOfInterest.length > 0)
      ? [{ application, need, item: i }]
      : [];
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
  const history = historyLookup(
    asked.map(({ application, need }) => ({ application, matches: need.history })),
    receivedAt,
    officeCode,
  );
  // Entries on the list at factsAsOf whose bar covers the receipt (src/subjects/matching.ts).
  const subjects = subjectOfInterestLookup(
    asked.map(({ application, need }) => ({ application, matches: need.subjectsOfInterest })),
    receivedAt,
    factsAsOf,
  );
  const allowlist = allowlistLookup(
    asked.map(({ application }) => application),
    factsAsOf,
  );
  const parts: Part[] = [];
  if (watchlist) parts.push({ name: 'watchlist', query: watchlist.query });
  if (links) parts.push({ name: 'links', query: links.query });
  if (history) parts.push({ name: 'history', query: history.query });
  if (subjects) parts.push({ name: 'subjects', query: subjects.query });
  if (allowlist) parts.push({ name: 'allowlist', query: allowlist.query });
  // All parts in one statement: one round trip for the lot. Its text depends only on which parts
  // there are, so each combination is its own prepared statement.
  const columns = parts.map(({ name, query }) => sql`coalesce((select json_agg(x) from (${query}) x), '[]'::json) as ${sql.identifier(name)}`);
  const [row] =
    parts.length === 0
      ? [undefined]
      : await runPrepared<{ watchlist?: MatchRow[]; links?: LinkRow[]; history?: HistoryRow[]; subjects?: SubjectRow[]; allowlist?: AllowlistRow[] }>(
          db,
          `saring_context_${parts.map((p) => partCodes[p.name]).join('')}`,
          sql`select ${sql.join(columns, sql`, `)}`,
        );
  const watchlistOf = watchlist?.read(row?.watchlist ?? []);
  const linksOf = links?.read(row?.links ?? []);
  const historyOf = history?.read(row?.history ?? []);
  const subjectsOf = subjects?.read(row?.subjects ?? []);
  const allowlistOf = allowlist?.read(row?.allowlist ?? []);
  const contexts: Array<ScreeningContext | undefined> = applications.map(() => undefined);
  asked.forEach(({ item, need }, position) => {
    const context: ScreeningContext = { watchlist: watchlistOf?.[position] ?? [], links: linksOf?.[position] ?? {} };
    if (need.history.length > 0) context.history = historyOf?.[position] ?? [];
    if (need.subjectsOfInterest.length > 0) context.subjectsOfInterest = subjectsOf?.[position] ?? [];
    const allowed = allowlistOf?.[position] ?? [];
    if (allowed.length > 0) context.allowlist = allowed;
    contexts[item] = context;
  });
  return contexts;
}
