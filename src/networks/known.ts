/**
 * "Mark as known network": a supervisor or admin puts the keys a cluster shares (recruiter and
 * sponsor phones, the employer, the placement agency) on the watchlists in one transaction, with
 * one source and validity for all, each entry audited as any watchlist entry is, plus one
 * `network.marked_known` record naming them all. Keys already on a list in force are left as they are.
 */
import { inArray, sql } from 'drizzle-orm';
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
  if (entries.length === 0) throw unprocessable('This network shares no phone, employer or placement agency to put on a watchlist');

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
      const row = await insertEntry(tx, entry, who, { knownNetworkOf: applicationId });
      added.push({ id: row.id, list: row.list, name: row.name, phone: row.phone, licence: row.licence });
    }
    await recordAudit(tx, {
      actor: who.actor,
      action: 'network.marked_known',
      targetType: 'application',
      targetId: applicationId,
      after: {
        added: added.map((a) => ({ id: a.id, list: a.list })),
        alreadyListed,
        source: input.source,
        validFrom: input.validFrom?.toISOString() ?? null,
        validTo: input.validTo?.toISOString() ?? null,
        withinDays: input.withinDays,
        applications: ids.length,
      },
      requestId: who.requestId,
    });
    return { applicationId, added, alreadyListed };
  });
}
