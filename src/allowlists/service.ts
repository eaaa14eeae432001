/**
 * Allowlist entries: add, list, read, revoke. Every change writes its audit record in the same
 * transaction. Entries are never edited or deleted: a replay of a stored decision must see the
 * entries it saw, so a change is a revocation and a new entry.
 */
import { and, desc, eq, gt, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { Actor } from '../audit/service';
import { recordAudit } from '../audit/service';
import type { RootDatabase } from '../db/client';
import { conflict, notFound, unprocessable } from '../errors';
import { type Cursor, pageOf } from '../http/pagination';
import type { AllowlistParty } from '../screening/subject';
import { type AllowlistEntryInput, type AllowlistStatus, partyLabel } from './entries';
import { allowlistEntries as e, type AllowlistEntryRow } from './schema';

interface Who {
  actor: Actor;
  requestId: string | null;
}

/** What the audit trail keeps of an entry: identifiers masked as in the explanation. */
function auditView(row: AllowlistEntryRow) {
  const { licenceKey: _k, nik: _n, passportNumber: _p, ...rest } = row;
  return { ...rest, label: partyLabel(row) };
}

function statusCondition(status: AllowlistStatus, at: Date) {
  switch (status) {
    case 'revoked':
      return isNotNull(e.revokedAt);
    case 'scheduled':
      return and(isNull(e.revokedAt), gt(e.validFrom, at));
    case 'expired':
      return and(isNull(e.revokedAt), lte(e.validUntil, at));
    case 'active':
      return and(isNull(e.revokedAt), lte(e.validFrom, at), gt(e.validUntil, at));
  }
}

export interface AllowlistFilters {
  partyType?: AllowlistParty | undefined;
  status: AllowlistStatus | 'all';
  ruleId?: string | undefined;
  limit: number;
  cursor?: Cursor | undefined;
}

export class AllowlistService {
  constructor(private readonly db: RootDatabase) {}

  async create(input: AllowlistEntryInput, who: Who): Promise<AllowlistEntryRow> {
    if (input.validUntil <= new Date()) throw unprocessable('validUntil is in the past: the entry would never be in force', [{ path: 'validUntil', message: 'in the past' }]);
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(e)
        .values({
          partyType: input.partyType,
          name: input.name,
          licence: input.partyType === 'person' ? null : input.licence,
          nik: input.partyType === 'person' ? (input.nik ?? null) : null,
          passportNumber: input.partyType === 'person' ? (input.passportNumber ?? null) : null,
          suppresses: input.suppresses,
          source: input.source,
          note: input.note ?? null,
          validFrom: input.validFrom ?? sql`now()`,
          validUntil: input.validUntil,
          addedBy: who.actor.userId,
        })
        .returning();
      if (!row) throw new Error('allowlist insert returned no row');
      await recordAudit(tx, { actor: who.actor, action: 'allowlist.entry.created', targetType: 'allowlist_entry', targetId: row.id, after: auditView(row), requestId: who.requestId });
      return row;
    });
  }

  /** Ends an entry from now on: new screenings no longer see it; decisions made before keep their explanation. */
  async revoke(id: string, reason: string, who: Who): Promise<AllowlistEntryRow> {
    return this.db.transaction(async (tx) => {
      const [before] = await tx.select().from(e).where(eq(e.id, id)).for('update');
      if (!before) throw notFound('Allowlist entry');
      if (before.revokedAt) throw conflict('The entry is already revoked', { revokedAt: before.revokedAt });
      const [row] = await tx.update(e).set({ revokedAt: sql`now()`, revokedBy: who.actor.userId, revokeReason: reason }).where(eq(e.id, id)).returning();
      if (!row) throw notFound('Allowlist entry');
      await recordAudit(tx, {
        actor: who.actor,
        action: 'allowlist.entry.revoked',
        targetType: 'allowlist_entry',
        targetId: id,
        before: auditView(before),
        after: { revokedAt: row.revokedAt, revokedBy: row.revokedBy, revokeReason: row.revokeReason },
        requestId: who.requestId,
      });
      return row;
    });
  }

  async find(id: string): Promise<AllowlistEntryRow | null> {
    const [row] = await this.db.select().from(e).where(eq(e.id, id)).limit(1);
    return row ?? null;
  }

  async list(filters: AllowlistFilters, at: Date) {
    const conditions = [
      filters.partyType ? eq(e.partyType, filters.partyType) : undefined,
      filters.status !== 'all' ? statusCondition(filters.status, at) : undefined,
      filters.ruleId ? sql`${filters.ruleId} = any(${e.suppresses})` : undefined,
      filters.cursor ? sql`(${e.createdAt}, ${e.id}) < (${filters.cursor.at}::timestamptz, ${filters.cursor.id}::uuid)` : undefined,
    ];
    const rows = await this.db
      .select({ entry: e, cursorAt: sql<string>`to_char(${e.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` })
      .from(e)
      .where(and(...conditions))
      .orderBy(desc(e.createdAt), desc(e.id))
      .limit(filters.limit + 1);
    const page = pageOf(rows, filters.limit, (row) => ({ at: row.cursorAt, id: row.entry.id }));
    return { items: page.items.map((row) => row.entry), nextCursor: page.nextCursor };
  }
}

