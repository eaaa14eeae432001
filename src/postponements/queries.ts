import { and, asc, count, eq, getTableColumns, gte, inArray, isNotNull, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Database, RootDatabase } from '../db/client';
import { applications } from '../applications/schema';
import { users } from '../auth/schema';
import { decodeCursor, pageOf } from '../http/pagination';
import { offices } from '../offices/schema';
import { DEMO_SUBMITTED_BY } from './demo-data';
import { cases } from '../review/schema';
import { followUpOutcomeLabels } from './outcomes';
import { reasonLabel, type ReasonCodeValue } from './reasons';
import { postponementFollowUps, postponements, type PostponementRow } from './schema';
import { STATS_TIME_ZONE } from './time';

/** Filters shared by the list, the statistics and the export. `office` is already narrowed to the caller's scope. */
export interface PostponementFilter {
  kind?: PostponementRow['kind'] | undefined;
  office?: string | null | undefined;
  destination?: string | undefined;
  reason?: ReasonCodeValue | undefined;
  /** Inclusive lower bound on decided_at. */
  from?: Date | undefined;
  /** Exclusive upper bound on decided_at. */
  to?: Date | undefined;
  /** Only postponements approved by this user (four eyes). */
  approvedBy?: string | undefined;
  /** true: only those a second person approved; false: only those that took effect without one. */
  approved?: boolean | undefined;
}

export function filterConditions(filter: PostponementFilter): SQL | undefined {
  return and(
    filter.kind ? eq(postponements.kind, filter.kind) : undefined,
    filter.office ? eq(postponements.officeCode, filter.office) : undefined,
    filter.destination ? eq(postponements.destinationCountry, filter.destination) : undefined,
    filter.reason ? eq(postponements.reasonCode, filter.reason) : undefined,
    filter.from ? gte(postponements.decidedAt, filter.from) : undefined,
    filter.to ? lt(postponements.decidedAt, filter.to) : undefined,
    filter.approvedBy ? eq(postponements.approvedBy, filter.approvedBy) : undefined,
    filter.approved === undefined ? undefined : filter.approved ? isNotNull(postponements.approvedBy) : isNull(postponements.approvedBy),
  );
}

/**
 * decided_at at full (microsecond) precision as text. Cursors carry this rather than a JS Date, which
 * would round to milliseconds and make keyset pages skip or repeat rows written by now().
 */
/**
 * Keyset orders. postponements_decided_idx is (decided_at DESC NULLS LAST, id DESC NULLS LAST); both
 * columns are NOT NULL, so the NULLS clauses change nothing but let PostgreSQL walk that index (forwards
 * for newest first, backwards for oldest first) instead of sorting every remaining row for each page.
 */
const newestFirst = [sql`${postponements.decidedAt} DESC NULLS LAST`, sql`${postponements.id} DESC NULLS LAST`];
const oldestFirst = [sql`${postponements.decidedAt} ASC NULLS FIRST`, sql`${postponements.id} ASC NULLS FIRST`];

const exactDecidedAt = sql<string>`to_char(${postponements.decidedAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export type FollowUpRow = typeof postponementFollowUps.$inferSelect;

export const followUpView = (row: FollowUpRow) => ({
  id: row.id,
  outcome: row.outcome,
  outcomeLabel: followUpOutcomeLabels[row.outcome],
  note: row.note,
  recordedBy: row.recordedBy,
  recordedAt: row.recordedAt.toISOString(),
});

export const postponementView = (row: PostponementRow, followUps: FollowUpRow[]) => ({
  id: row.id,
  kind: row.kind,
  source: row.caseId ? ('review_queue' as const) : ('manual' as const),
  applicationId: row.applicationId,
  caseId: row.caseId,
  officeCode: row.officeCode,
  destinationCountry: row.destinationCountry,
  viaCountries: row.viaCountries,
  reasonCode: row.reasonCode,
  reasonLabel: reasonLabel(row.reasonCode),
  note: row.note,
  deadline: row.deadline,
  decidedBy: row.decidedBy,
  decidedAt: row.decidedAt.toISOString(),
  approvedBy: row.approvedBy,
  approvedAt: row.approvedAt?.toISOString() ?? null,
  followUps: followUps.map(followUpView),
});

export type PostponementView = ReturnType<typeof postponementView>;

/** Follow-ups of the given postponements, oldest first, grouped by postponement id. */
export async function followUpsOf(db: Database, ids: string[]): Promise<Map<string, FollowUpRow[]>> {
  const byId = new Map<string, FollowUpRow[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return byId;
  const rows = await db
    .select()
    .from(postponementFollowUps)
    .where(inArray(postponementFollowUps.postponementId, ids))
    .orderBy(asc(postponementFollowUps.recordedAt), asc(postponementFollowUps.id));
  for (const row of rows) byId.get(row.postponementId)?.push(row);
  return byId;
}

/** Newest first, keyset-paged on (decided_at, id). */
export async function listPostponements(db: Database, filter: PostponementFilter & { cursor?: string | undefined; limit: number }) {
  const cursor = decodeCursor(filter.cursor);
  const rows = await db
    .select({ ...getTableColumns(postponements), cursorAt: exactDecidedAt })
    .from(postponements)
    .where(
      and(
        filterConditions(filter),
        cursor && sql`(${postponements.decidedAt}, ${postponements.id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`,
      ),
    )
    .orderBy(...newestFirst)
    .limit(filter.limit + 1);
  const page = pageOf(rows, filter.limit, (row) => ({ at: row.cursorAt, id: row.id }));
  const followUps = await followUpsOf(
    db,
    page.items.map((row) => row.id),
  );
  return {
    items: page.items.map(({ cursorAt: _cursorAt, ...row }) => postponementView(row, followUps.get(row.id) ?? [])),
    nextCursor: page.nextCursor,
  };
}

/** One postponement the caller may see (`office` null: any), or null. */
export async function findPostponement(db: Database, id: string, office: string | null): Promise<PostponementRow | null> {
  const [row] = await db
    .select()
    .from(postponements)
    .where(and(eq(postponements.id, id), office === null ? undefined : eq(postponements.officeCode, office)))
    .limit(1);
  return row ?? null;
}

export const statsDimensions = ['month', 'office', 'destination', 'via', 'reason', 'kind', 'approver'] as const;
export type StatsDimension = (typeof statsDimensions)[number];

/** Each dimension's SQL. Months are Jakarta calendar months, whatever office the record is from. */
const dimensionSql: Record<StatsDimension, SQL> = {
  month: sql`to_char(${postponements.decidedAt} AT TIME ZONE ${sql.raw(`'${STATS_TIME_ZONE}'`)}, 'YYYY-MM')`,
  office: sql`${postponements.officeCode}`,
  destination: sql`${postponements.destinationCountry}`,
  // The countries passed through before the destination, comma-separated in travel order ('' when direct).
  via: sql`translate(${postponements.viaCountries}::text, '[]" ', '')`,
  reason: sql`${postponements.reasonCode}::text`,
  kind: sql`${postponements.kind}::text`,
  /** The approving user's id, or the empty string where no second person approved. */
  approver: sql`coalesce(${postponements.approvedBy}, '')`,
};

export type StatsGroup = Partial<Record<StatsDimension, string>> & {
  reasonLabel?: { id: string; en: string } | null;
  count: number;
};

/**
 * Counts postponements grouped by any combination of dimensions (none: just the total). The groups
 * and the total are read in one snapshot, so they always add up.
 */
export async function postponementStats(db: RootDatabase, filter: PostponementFilter, groupBy: readonly StatsDimension[]) {
  const where = filterConditions(filter);
  const fields = Object.fromEntries(groupBy.map((dim) => [dim, dimensionSql[dim].mapWith(String).as(dim)]));
  const read = async (tx: Database) => {
    const [totalRow] = await tx.select({ total: count() }).from(postponements).where(where);
    const groups =
      groupBy.length === 0
        ? []
        : await tx
            .select({ ...fields, count: sql<number>`count(*)::int`.as('count') })
            .from(postponements)
            .where(where)
            .groupBy(...groupBy.map((dim) => dimensionSql[dim]))
            .orderBy(...groupBy.map((dim) => asc(dimensionSql[dim])));
    // Synthetic demo rows (npm run seed:demo) are counted apart, so every page showing these figures can say so.
    const [syntheticRow] = await tx
      .select({ total: count() })
      .from(postponements)
      .innerJoin(applications, eq(applications.id, postponements.applicationId))
      .where(and(where, eq(applications.submittedBy, DEMO_SUBMITTED_BY)));
    const [outcomes] = await tx
      .select({
        lifted: sql<number>`count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ${postponementFollowUps} f WHERE f.postponement_id = p_outer.id AND f.outcome = 'lifted'))::int`,
        upheld: sql<number>`count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ${postponementFollowUps} f WHERE f.postponement_id = p_outer.id AND f.outcome = 'upheld')
          AND NOT EXISTS (SELECT 1 FROM ${postponementFollowUps} f WHERE f.postponement_id = p_outer.id AND f.outcome = 'lifted'))::int`,
        reReviewOpen: sql<number>`count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ${cases} c WHERE c.postponement_id = p_outer.id AND c.state <> 'decided'))::int`,
        deadlineLapsed: sql<number>`count(*) FILTER (WHERE p_outer.deadline < (now() AT TIME ZONE ${sql.raw(`'${STATS_TIME_ZONE}'`)})::date
          AND NOT EXISTS (SELECT 1 FROM ${postponementFollowUps} f WHERE f.postponement_id = p_outer.id)
          AND NOT EXISTS (SELECT 1 FROM ${cases} c WHERE c.postponement_id = p_outer.id))::int`,
      })
      .from(sql`${postponements} p_outer`)
      .where(sql`p_outer.id IN (SELECT ${postponements.id} FROM ${postponements} WHERE ${where ?? sql`true`})`);
    return { total: totalRow?.total ?? 0, synthetic: syntheticRow?.total ?? 0, groups: groups as Array<Record<string, string | number>>, outcomes: outcomes! };
  };
  const { total, synthetic, groups, outcomes } = await db.transaction(read, { isolationLevel: 'repeatable read', accessMode: 'read only' });
  return {
    timeZone: STATS_TIME_ZONE,
    groupBy: [...groupBy],
    total,
    syntheticTotal: synthetic,
    /**
     * Where the matching postponements stand: lifted or upheld on re-review, under re-review now, and
     * deadline lapsed (the deadline passed with no follow-up and no re-review).
     */
    outcomes,
    groups: groups.map((group): StatsGroup => {
      const out: StatsGroup = { count: Number(group.count) };
      for (const dim of groupBy) out[dim] = String(group[dim]);
      if (out.reason !== undefined) out.reasonLabel = reasonLabel(out.reason);
      return out;
    }),
  };
}

/**
 * One export batch. The keyset page is picked first, on the table alone, so PostgreSQL walks the
 * (decided_at, id) index and stops after `size` rows; only that page is then joined and enriched.
 */
async function exportBatch(db: Database, filter: PostponementFilter, after: { at: string; id: string } | null, size: number) {
  const page = db
    .select(getTableColumns(postponements))
    .from(postponements)
    .where(
      and(
        filterConditions(filter),
        after ? sql`(${postponements.decidedAt}, ${postponements.id}) > (${after.at}::timestamptz, ${after.id}::uuid)` : undefined,
      ),
    )
    .orderBy(...oldestFirst)
    .limit(size)
    .as('page');
  return db
    .select({
      id: page.id,
      cursorAt: sql<string>`to_char(${page.decidedAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      kind: page.kind,
      decidedAt: page.decidedAt,
      officeCode: page.officeCode,
      officeName: offices.name,
      destinationCountry: page.destinationCountry,
      viaCountries: page.viaCountries,
      reasonCode: page.reasonCode,
      note: page.note,
      deadline: page.deadline,
      decidedBy: page.decidedBy,
      decidedByName: users.displayName,
      approvedBy: page.approvedBy,
      approvedByName: sql<string | null>`(SELECT u.display_name FROM ${users} u WHERE u.id::text = ${page.approvedBy})`,
      approvedAt: page.approvedAt,
      applicationId: page.applicationId,
      caseId: page.caseId,
      applicantName: applications.fullName,
      followUpCount: sql<number>`(SELECT count(*)::int FROM ${postponementFollowUps} f WHERE f.postponement_id = ${page.id})`,
      latestFollowUp: sql<string | null>`(SELECT f.outcome::text FROM ${postponementFollowUps} f WHERE f.postponement_id = ${page.id} ORDER BY f.recorded_at DESC, f.id DESC LIMIT 1)`,
    })
    .from(page)
    .innerJoin(offices, eq(offices.code, page.officeCode))
    .leftJoin(applications, eq(applications.id, page.applicationId))
    .leftJoin(users, sql`${users.id}::text = ${page.decidedBy}`)
    .orderBy(asc(page.decidedAt), asc(page.id));
}

export type ExportRow = Omit<Awaited<ReturnType<typeof exportBatch>>[number], 'cursorAt'>;

/**
 * Every matching postponement, oldest first, read in keyset batches so memory stays bounded by the
 * batch size however many rows match. Run it inside a repeatable-read transaction for one snapshot.
 */
export async function* exportRows(db: Database, filter: PostponementFilter, batchSize = 1000): AsyncGenerator<ExportRow> {
  let after: { at: string; id: string } | null = null;
  for (;;) {
    const batch = await exportBatch(db, filter, after, batchSize);
    for (const { cursorAt: _cursorAt, ...row } of batch) yield row;
    const last = batch[batch.length - 1];
    if (!last || batch.length < batchSize) return;
    after = { at: last.cursorAt, id: last.id };
  }
}
