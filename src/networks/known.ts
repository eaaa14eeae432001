/**
 * "Mark as known network": a supervisor or admin puts the keys a cluster shares (recruiter and
 * sponsor phones, the employer, the placement agency) on the watchlists in one transaction, with
 * one source and validity for all, each entry audited as any watchlist entry is, plus one
 * `network.marked_known` record naming them all. Keys already on a list in force are left as they are.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { applications } from '../applications/schema';
import type { Actor } from '../audit/service';
import { recordAudit } from '../audit/service';
import type { RootDatabase } from '../db/client';
import { notFound, unprocessable } from '../http/errors';
import { type EntryInput, entryInputSchema } from '../watchlists/entries';
import { findDuplicate, insertEntry, lockWrites } from '../watchlists/service';
import { networkOf } from './queries';

export interface MarkKnownInput {
  source: string;
  note?: string | undefined;
  validFrom?: Date | undefined;
  validTo?: Date | undefined;
  withinDays: number;
}

export interface MarkKnownResult {
  applicationId: string;
  added: Array<{ id: string; list: string; name: string | null; phone: string | null; licence: string | null }>;
  alreadyListed: Array<{ id: string; list: string }>;
}

interface KeyRow extends Record<string, unknown> {
  id: string;
  employer_name: string | null;
  employer_country: string | null;
  employer_key: string | null;
  agency_name: string | null;
  agency_licence: string | null;
  agency_key: string | null;
}

/** Values shared by at least two applications, with the first application's raw value. */
function shared<T>(rows: readonly KeyRow[], keyOf: (row: KeyRow) => string | null, pickValue: (row: KeyRow) => T): T[] {
  const groups = new Map<string, KeyRow[]>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key) groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()].filter((group) => group.length >= 2).map((group) => pickValue(group[0]!));
}

export async function markKnownNetwork(db: RootDatabase, applicationId: string, input: MarkKnownInput, who: { actor: Actor; requestId: string | null; office: string | null }): Promise<MarkKnownResult> {
  const network = await networkOf(db, applicationId, input.withinDays, who.office);
  if (!network) throw notFound('Application');
  const ids = network.nodes.map((n) => n.id);
  const keyRows = (
    await db
      .select({
        id: applications.id,
        employer_name: applications.employerName,
        employer_country: sql<string | null>`${applications.payload}->'employment'->>'employerCountry'`,
        employer_key: sql<string | null>`saring_name_key(${applications.employerName})`,
        agency_name: sql<string | null>`${applications.payload}->'employment'->>'placementAgencyName'`,
        agency_licence: sql<string | null>`${applications.payload}->'employment'->>'placementAgencyLicence'`,
        agency_key: sql<string | null>`coalesce(saring_licence_key(${applications.payload}->'employment'->>'placementAgencyLicence'), saring_name_key(${applications.payload}->'employment'->>'placementAgencyName'))`,
      })
      .from(applications)
      .where(inArray(applications.id, ids))
  ).map((row) => row as KeyRow);

  const common = { source: input.source, note: input.note, validFrom: input.validFrom, validTo: input.validTo };
  const candidates: unknown[] = [
    ...network.sharedKeys.filter((k) => k.by === 'recruiterPhone' || k.by === 'sponsorPhone').map((k) => ({ list: 'phone', phone: k.value, ...common })),
    ...shared(keyRows, (r) => r.employer_key, (r) => ({ list: 'employer', name: r.employer_name, country: r.employer_country ?? undefined, ...common })),
    ...shared(keyRows, (r) => (r.agency_name ? r.agency_key : null), (r) => ({ list: 'agency', name: r.agency_name, licence: r.agency_licence ?? undefined, ...common })),
  ];
  // Deduplicate phones shared as both recruiter and sponsor numbers.
  const entries = watchlistEntries(candidates);
  if (entries.length === 0) throw unprocessable('This network shares no phone, employer or placement agency to put on a watchlist');

  return addToWatchlists(db, entries, who, applicationId, {
    action: 'network.marked_known',
    after: (added, alreadyListed) => ({
      added: added.map((a) => ({ id: a.id, list: a.list })),
      alreadyListed,
      source: input.source,
      validFrom: input.validFrom?.toISOString() ?? null,
      validTo: input.validTo?.toISOString() ?? null,
      withinDays: input.withinDays,
      applications: ids.length,
    }),
  });
}

/** Entries parsed by the watchlist schema (dates as ISO text); candidates that do not parse are skipped, duplicates dropped. */
function watchlistEntries(candidates: readonly unknown[]): EntryInput[] {
  const entries: EntryInput[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    const parsed = entryInputSchema.safeParse(JSON.parse(JSON.stringify(candidate, (_k, v) => (v instanceof Date ? v.toISOString() : v))));
    if (!parsed.success) continue;
    const identity = JSON.stringify([parsed.data.list, 'phone' in parsed.data ? parsed.data.phone : null, 'name' in parsed.data ? parsed.data.name : null]);
    if (seen.has(identity)) continue;
    seen.add(identity);
    entries.push(parsed.data);
  }
  return entries;
}

/** Adds the entries not already listed, each audited as any watchlist entry is, plus one record of the whole action. */
async function addToWatchlists(
  db: RootDatabase,
  entries: readonly EntryInput[],
  who: { actor: Actor; requestId: string | null },
  applicationId: string,
  audit: { action: string; after: (added: MarkKnownResult['added'], alreadyListed: MarkKnownResult['alreadyListed']) => Record<string, unknown>; extra?: Record<string, unknown> },
): Promise<MarkKnownResult> {
  return db.transaction(async (tx) => {
    await lockWrites(tx);
    const added: MarkKnownResult['added'] = [];
    const alreadyListed: MarkKnownResult['alreadyListed'] = [];
    for (const entry of entries) {
      const existing = await findDuplicate(tx, entry);
      if (existing) {
        alreadyListed.push({ id: existing, list: entry.list });
        continue;
      }
      const row = await insertEntry(tx, entry, who, audit.extra ?? { knownNetworkOf: applicationId });
      added.push({ id: row.id, list: row.list, name: row.name, phone: row.phone, licence: row.licence });
    }
    await recordAudit(tx, { actor: who.actor, action: audit.action, targetType: 'application', targetId: applicationId, after: audit.after(added, alreadyListed), requestId: who.requestId });
    return { applicationId, added, alreadyListed };
  });
}

/** The parties behind one application a supervisor may put on a watchlist from its case; never the traveller. */
export const recruiterKeys = ['recruiterPhone', 'sponsorPhone', 'placementAgency', 'employer'] as const;
export type RecruiterKey = (typeof recruiterKeys)[number];

export interface WatchlistRecruiterInput {
  keys: readonly RecruiterKey[];
  source: string;
  note?: string | undefined;
  validFrom?: Date | undefined;
  validTo?: Date | undefined;
}

/**
 * "Watchlist the recruiter" from a case: the recruiter's or sponsor's phone, the placement agency or
 * the employer named on this one application go on the watchlists, in one transaction with their
 * audit records. Victims and suspects are kept apart: the traveller's own name, NIK, passport and phone
 * are never read here. Keys the application does not carry are reported as `missing`.
 */
export async function watchlistRecruiter(
  db: RootDatabase,
  applicationId: string,
  input: WatchlistRecruiterInput,
  who: { actor: Actor; requestId: string | null; office: string | null },
): Promise<MarkKnownResult & { missing: RecruiterKey[] }> {
  const [row] = await db
    .select({
      recruiterPhone: applications.recruiterPhone,
      sponsorPhone: applications.sponsorPhone,
      agencyName: sql<string | null>`${applications.payload}->'employment'->>'placementAgencyName'`,
      agencyLicence: sql<string | null>`${applications.payload}->'employment'->>'placementAgencyLicence'`,
      employerName: applications.employerName,
      employerCountry: sql<string | null>`${applications.payload}->'employment'->>'employerCountry'`,
    })
    .from(applications)
    .where(and(eq(applications.id, applicationId), who.office === null ? undefined : eq(applications.officeCode, who.office)))
    .limit(1);
  if (!row) throw notFound('Application');
  const common = { source: input.source, note: input.note, validFrom: input.validFrom, validTo: input.validTo };
  const candidateOf: Record<RecruiterKey, unknown | null> = {
    recruiterPhone: row.recruiterPhone ? { list: 'phone', phone: row.recruiterPhone, ...common } : null,
    sponsorPhone: row.sponsorPhone ? { list: 'phone', phone: row.sponsorPhone, ...common } : null,
    placementAgency: row.agencyName ? { list: 'agency', name: row.agencyName, licence: row.agencyLicence ?? undefined, ...common } : null,
    employer: row.employerName ? { list: 'employer', name: row.employerName, country: row.employerCountry ?? undefined, ...common } : null,
  };
  const missing = input.keys.filter((key) => candidateOf[key] === null);
  const entries = watchlistEntries(input.keys.flatMap((key) => (candidateOf[key] === null ? [] : [candidateOf[key]])));
  if (entries.length === 0) throw unprocessable('This application names none of these parties', missing.map((key) => ({ path: `keys`, message: `the application has no ${key}` })));
  const result = await addToWatchlists(db, entries, who, applicationId, {
    action: 'application.recruiter_watchlisted',
    after: (added, alreadyListed) => ({ keys: input.keys, added: added.map((a) => ({ id: a.id, list: a.list })), alreadyListed, source: input.source, missing }),
    extra: { fromApplication: applicationId },
  });
  return { ...result, missing };
}
