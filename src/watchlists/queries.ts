import { and, desc, eq, gt, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { RootDatabase } from '../db/client';
import { pageOf, type Cursor } from '../http/pagination';
import type { WatchlistKind } from '../screening/subject';
import type { EntryStatus } from './entries';
import { watchlistEntries as e, type WatchlistEntryRow } from './schema';

export interface EntryFilters {
  list?: WatchlistKind;
  status?: EntryStatus | 'all';
  q?: string;
  cursor?: Cursor;
  limit: number;
}

/** The SQL for an entry status at a moment (the same rules as statusAt in entries.ts). */
export function statusCondition(status: EntryStatus, at: Date): SQL {
  const notRevoked = or(isNull(e.revokedAt), gt(e.revokedAt, at))!;
  switch (status) {
    case 'revoked':
      return and(isNotNull(e.revokedAt), lte(e.revokedAt, at))!;
    case 'expired':
      return and(notRevoked, lte(e.validTo, at))!;
    case 'scheduled':
      return and(notRevoked, or(isNull(e.validTo), gt(e.validTo, at)), gt(e.validFrom, at))!;
    case 'active':
      return and(notRevoked, or(isNull(e.validTo), gt(e.validTo, at)), lte(e.validFrom, at))!;
  }
}

/** `q`: a phone number finds that number; anything else names similar to it or containing it. */
function searchCondition(q: string): SQL {
  const phone = /^[+\d][\d\s().-]{5,}$/.test(q) ? parsePhoneNumberFromString(q, 'ID') : undefined;
  if (phone?.isValid()) return eq(e.phone, phone.number as string);
  const key = sql`saring_name_key(${q})`;
  return or(sql`${e.nameKey} % ${key}`, sql`strpos(${e.nameKey}, ${key}) > 0`)!;
}

export async function listEntries(db: RootDatabase, filters: EntryFilters, at: Date) {
  const conditions = [
    filters.list ? eq(e.list, filters.list) : undefined,
    filters.status && filters.status !== 'all' ? statusCondition(filters.status, at) : undefined,
    filters.q ? searchCondition(filters.q) : undefined,
    // created_at has microseconds (every row of one import shares its transaction's now()): the cursor keeps them.
    filters.cursor ? sql`(${e.createdAt}, ${e.id}) < (${filters.cursor.at}::timestamptz, ${filters.cursor.id}::uuid)` : undefined,
  ];
  const rows = await db
    .select({ entry: e, cursorAt: sql<string>`to_char(${e.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` })
    .from(e)
    .where(and(...conditions))
    .orderBy(desc(e.createdAt), desc(e.id))
    .limit(filters.limit + 1);
  const page = pageOf(rows, filters.limit, (row) => ({ at: row.cursorAt, id: row.entry.id }));
  return { items: page.items.map((row) => row.entry), nextCursor: page.nextCursor };
}

export async function findEntry(db: RootDatabase, id: string): Promise<WatchlistEntryRow | null> {
  const [row] = await db.select().from(e).where(eq(e.id, id)).limit(1);
  return row ?? null;
}

/** Entries per list and status at a moment. */
export async function summarise(db: RootDatabase, at: Date) {
  const count = (status: EntryStatus) => sql<number>`count(*) filter (where ${statusCondition(status, at)})`.mapWith(Number);
  const rows = await db
    .select({ list: e.list, active: count('active'), scheduled: count('scheduled'), expired: count('expired'), revoked: count('revoked') })
    .from(e)
    .groupBy(e.list);
  return rows;
}
