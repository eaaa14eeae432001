import { and, desc, eq, gt, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { RootDatabase } from '../db/client';
import { pageOf, type Cursor } from '../http/pagination';
import type { EntryStatus } from './entries';
import { subjectsOfInterest as s, type SubjectEntryRow } from './schema';

export interface EntryFilters {
  status?: EntryStatus | 'all';
  /** A NIK or passport number finds that one; anything else names similar to it. */
  q?: string;
  /** null: every office (headquarters). */
  office: string | null;
  cursor?: Cursor;
  limit: number;
}

/** The SQL for an entry status at a moment (the same rules as statusAt in entries.ts). */
export function statusCondition(status: EntryStatus, at: Date): SQL {
  const notRevoked = or(isNull(s.revokedAt), gt(s.revokedAt, at))!;
  switch (status) {
    case 'revoked':
      return and(isNotNull(s.revokedAt), lte(s.revokedAt, at))!;
    case 'expired':
      return and(notRevoked, lte(s.barUntil, at))!;
    case 'scheduled':
      return and(notRevoked, gt(s.barUntil, at), gt(s.barFrom, at))!;
    case 'active':
      return and(notRevoked, gt(s.barUntil, at), lte(s.barFrom, at))!;
  }
}

function searchCondition(q: string): SQL {
  if (/^\d{16}$/.test(q)) return eq(s.nik, q);
  if (/^[A-Za-z]{1,2}\d{6,7}$/.test(q)) return eq(s.passportNumber, q.toUpperCase());
  const key = sql`saring_name_key(${q})`;
  return or(sql`${s.nameKey} % ${key}`, sql`strpos(${s.nameKey}, ${key}) > 0`)!;
}

export async function listEntries(db: RootDatabase, filters: EntryFilters, at: Date) {
  const conditions = [
    filters.office !== null ? eq(s.officeCode, filters.office) : undefined,
    filters.status && filters.status !== 'all' ? statusCondition(filters.status, at) : undefined,
    filters.q ? searchCondition(filters.q) : undefined,
    filters.cursor ? sql`(${s.createdAt}, ${s.id}) < (${filters.cursor.at}::timestamptz, ${filters.cursor.id}::uuid)` : undefined,
  ];
  const rows = await db
    .select({ entry: s, cursorAt: sql<string>`to_char(${s.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` })
    .from(s)
    .where(and(...conditions))
    .orderBy(desc(s.createdAt), desc(s.id))
    .limit(filters.limit + 1);
  const page = pageOf(rows, filters.limit, (row) => ({ at: row.cursorAt, id: row.entry.id }));
  return { items: page.items.map((row) => row.entry), nextCursor: page.nextCursor };
}

export async function findEntry(db: RootDatabase, id: string): Promise<SubjectEntryRow | null> {
  const [row] = await db.select().from(s).where(eq(s.id, id)).limit(1);
  return row ?? null;
}
