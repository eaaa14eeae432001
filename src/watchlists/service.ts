/**
 * Changes to watchlists: add, edit, revoke, import from CSV. Every change writes its audit record in
 * the same transaction; entries are never deleted (revoked entries stay, so decisions citing them can
 * still be explained).
 */
import { and, eq, gt, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../audit/service';
import { recordAudit } from '../audit/service';
import type { Database, RootDatabase } from '../db/client';
import { conflict, notFound, unprocessable } from '../errors';
import type { WatchlistKind } from '../screening/subject';
import { type EntryInput, entryColumns, type EntryPatch, fieldsOf, requiredOf } from './entries';
import { watchlistEntries as e, type WatchlistEntryRow } from './schema';

/** Any fixed number: names the advisory lock that serialises watchlist writes (duplicate checks). */
const WATCHLIST_WRITE_LOCK_KEY = 724_217_081;

interface Who {
  actor: Actor;
  requestId: string | null;
}

/** What the audit trail keeps of an entry. */
function auditView(row: WatchlistEntryRow) {
  const { nameKey: _n, licenceKey: _l, ...rest } = row;
  return rest;
}

interface Identity {
  list: WatchlistKind;
  name?: string | null | undefined;
  phone?: string | null | undefined;
  licence?: string | null | undefined;
  country?: string | null | undefined;
}

/**
 * Another entry in force (or still to come) for the same thing: the same phone; the same name key
 * (and, for agencies, licence; for employers and addresses, country). Returns its id.
 */
export async function findDuplicate(db: Database, identity: Identity, excludeId?: string): Promise<string | null> {
  const same: SQL[] = [];
  if (identity.list === 'phone') same.push(sql`${e.phone} = ${identity.phone ?? null}`);
  else {
    same.push(sql`${e.nameKey} = saring_name_key(${identity.name ?? null})`);
    if (identity.list === 'agency') same.push(sql`${e.licenceKey} is not distinct from saring_licence_key(${identity.licence ?? null})`);
    if (identity.list === 'employer' || identity.list === 'address') same.push(sql`${e.country} is not distinct from ${identity.country ?? null}`);
  }
  const [row] = await db
    .select({ id: e.id })
    .from(e)
    .where(and(sql`${e.list} = ${identity.list}`, isNull(e.revokedAt), or(isNull(e.validTo), gt(e.validTo, sql`now()`)), excludeId ? ne(e.id, excludeId) : undefined, ...same))
    .limit(1);
  return row?.id ?? null;
}

async function lockWrites(tx: Database) {
  await tx.execute(sql`select pg_advisory_xact_lock(${WATCHLIST_WRITE_LOCK_KEY})`);
}

/** Inserts one validated entry (duplicate already checked) with its audit record. */
export async function insertEntry(tx: Database, input: EntryInput, who: Who, auditExtra: Record<string, unknown> = {}): Promise<WatchlistEntryRow> {
  const [row] = await tx
    .insert(e)
    .values({
      list: input.list,
      ...entryColumns(input),
      source: input.source,
      note: input.note ?? null,
      ...(input.validFrom ? { validFrom: input.validFrom } : {}),
      validTo: input.validTo ?? null,
      addedBy: who.actor.userId,
    })
    .returning();
  if (!row) throw new Error('watchlist insert returned no row');
  await recordAudit(tx, {
    actor: who.actor,
    action: 'watchlist.entry.created',
    targetType: 'watchlist_entry',
    targetId: row.id,
    after: { ...auditView(row), ...auditExtra },
    requestId: who.requestId,
  });
  return row;
}

export class WatchlistService {
  constructor(private readonly db: RootDatabase) {}

  /** Adds an entry; 409 when the same thing is already on the list. */
  async create(input: EntryInput, who: Who): Promise<WatchlistEntryRow> {
    return this.db.transaction(async (tx) => {
      await lockWrites(tx);
      const existing = await findDuplicate(tx, input);
      if (existing) throw conflict(`This ${input.list} is already on the watchlist`, { existingId: existing });
      if (input.validTo && !input.validFrom && input.validTo <= new Date()) throw unprocessable('validTo is in the past: the entry would never be in force');
      return insertEntry(tx, input, who);
    });
  }

  /** Changes fields of an entry that is not revoked; the list itself never changes. */
  async update(id: string, patch: EntryPatch, who: Who): Promise<WatchlistEntryRow> {
    return this.db.transaction(async (tx) => {
      await lockWrites(tx);
      const [before] = await tx.select().from(e).where(eq(e.id, id)).for('update');
      if (!before) throw notFound('Watchlist entry');
      if (before.revokedAt) throw conflict('A revoked entry cannot be changed; add a new one');
      const list = before.list;
      const changes: Partial<Record<keyof EntryPatch, unknown>> = {};
      const problems: { path: string; message: string }[] = [];
      for (const [key, value] of Object.entries(patch) as [keyof EntryPatch, unknown][]) {
        if (value === undefined) continue;
        const entityField = ['name', 'phone', 'licence', 'country', 'city'].includes(key);
        if (entityField && !fieldsOf[list].includes(key)) problems.push({ path: key, message: `${list} entries have no ${key}` });
        else if (value === null && requiredOf[list].includes(key)) problems.push({ path: key, message: `${list} entries need a ${key}` });
        else changes[key] = value;
      }
      if (problems.length > 0) throw unprocessable(problems[0]!.message, problems);
      const after = { ...before, ...changes } as WatchlistEntryRow;
      if (after.validTo && after.validTo <= after.validFrom) throw unprocessable('validTo must be after validFrom', [{ path: 'validTo', message: 'must be after validFrom' }]);
      const identityChanged = ['name', 'phone', 'licence', 'country'].some((k) => k in changes);
      if (identityChanged) {
        const existing = await findDuplicate(tx, after, id);
        if (existing) throw conflict(`This ${list} is already on the watchlist`, { existingId: existing });
      }
      const [row] = await tx
        .update(e)
        .set({ ...(changes as Partial<typeof e.$inferInsert>), updatedAt: sql`now()` })
        .where(eq(e.id, id))
        .returning();
      if (!row) throw notFound('Watchlist entry');
      await recordAudit(tx, {
        actor: who.actor,
        action: 'watchlist.entry.updated',
        targetType: 'watchlist_entry',
        targetId: id,
        before: auditView(before),
        after: auditView(row),
        requestId: who.requestId,
      });
      return row;
    });
  }

  /** Takes an entry off the list from now on: it stops matching new screenings at once. */
  async revoke(id: string, reason: string, who: Who): Promise<WatchlistEntryRow> {
    return this.db.transaction(async (tx) => {
      const [before] = await tx.select().from(e).where(eq(e.id, id)).for('update');
      if (!before) throw notFound('Watchlist entry');
      if (before.revokedAt) throw conflict('The entry is already revoked', { revokedAt: before.revokedAt });
      const [row] = await tx
        .update(e)
        .set({ revokedAt: sql`now()`, revokedBy: who.actor.userId, revokeReason: reason, updatedAt: sql`now()` })
        .where(eq(e.id, id))
        .returning();
      if (!row) throw notFound('Watchlist entry');
      await recordAudit(tx, {
        actor: who.actor,
        action: 'watchlist.entry.revoked',
        targetType: 'watchlist_entry',
        targetId: id,
        before: auditView(before),
        after: { revokedAt: row.revokedAt, revokedBy: row.revokedBy, revokeReason: row.revokeReason },
        requestId: who.requestId,
      });
      return row;
    });
  }
}

export { lockWrites };
