/**
 * Link analysis: applications that share a recruiter phone, a sponsor phone, an employer (by name
 * key) or a third-party ticket payer, near each other in time. Every query here is answered by one
 * of the applications_*_link_idx indexes: (key, link time).
 *
 * The link time of an application is its departure (departure checks) or its receipt (passport
 * applications): coalesce(departure_at, submitted_at), as indexed.
 */
import { and, asc, eq, ne, sql, type SQL } from 'drizzle-orm';
import type { RootDatabase } from '../db/client';
import { applications } from '../applications/schema';
import { cases } from '../review/schema';
import type { ScreenedItem } from '../screening/application-schema';
import type { LinkRequirement } from '../screening/engine/requirements';
import { type LinkedApplication, type LinkKey, linkKeys, type ScreeningContext } from '../screening/subject';

/** The most linked applications one query returns per key; counts beyond it are not needed by any sane rule. */
export const LINK_QUERY_LIMIT = 200;
const DAY_MS = 86_400_000;

export const linkTime = sql<Date>`coalesce(${applications.departureAt}, ${applications.submittedAt})`;

/** The indexed key expression per link key (the same expressions as the indexes in applications/schema.ts). */
export const linkKeyColumn: Readonly<Record<LinkKey, SQL>> = {
  recruiterPhone: sql`${applications.recruiterPhone}`,
  sponsorPhone: sql`${applications.sponsorPhone}`,
  employer: sql`saring_name_key(${applications.employerName})`,
  ticketPayer: sql`saring_ticket_payer_key(${applications.payload})`,
};

/**
 * The key value of an application not stored yet, as the query parameter for linkKeyValueSql: the
 * phone, the raw employer name, or the whole application (for the ticket payer); null when it has none.
 */
export function applicationKeyValue(by: LinkKey, application: ScreenedItem): string | null {
  // Manifest passengers carry none of these keys (links among them are counted within the manifest).
  if (application.kind === 'manifest') return null;
  const employment = application.data.employment;
  switch (by) {
    case 'recruiterPhone':
      return employment?.recruiterPhone ?? null;
    case 'sponsorPhone':
      return application.kind === 'departure' ? (application.data.sponsor?.phone ?? null) : null;
    case 'employer':
      return employment?.employerName ?? null;
    case 'ticketPayer':
      return application.kind === 'departure' ? JSON.stringify(application.data) : null;
  }
}

/** The SQL turning a value from applicationKeyValue into the key, by the same functions as the indexes. */
function linkKeyValueSql(by: LinkKey, value: SQL): SQL {
  switch (by) {
    case 'recruiterPhone':
    case 'sponsorPhone':
      return value;
    case 'employer':
      return sql`saring_name_key(${value})`;
    case 'ticketPayer':
      return sql`saring_ticket_payer_key(${value}::jsonb)`;
  }
}

/** The link time of an application not stored yet: its departure, or (passport applications) its receipt. */
export function applicationLinkTime(application: ScreenedItem, receivedAt: Date): Date {
  return application.kind !== 'passport' ? new Date(application.data.trip.departureAt) : receivedAt;
}

export interface LinkQueryInput {
  /** Only applications received before this moment (the receipt of the applications being screened). */
  receivedBefore: Date;
  applications: Array<{
    /** The application's link time; each key's window is this ± its withinDays. */
    at: Date;
    /** The traveller's NIK: their own other applications are not links. */
    excludeNik: string;
    /** Per key, its value (see applicationKeyValue) and window; absent keys find nothing. */
    keys: Partial<Record<LinkKey, { value: string; withinDays: number }>>;
  }>;
}

/**
 * The query behind the `linked` condition, for any number of applications: for each (`app`, its
 * position), one branch per key, each an index range scan on (key, link time), nearest first, at most
 * LINK_QUERY_LIMIT rows. The applications come in as arrays, so its text is the same however many there
 * are and whatever keys they have (absent ones get a null key): it is prepared once per connection;
 * exported so its plan can be checked.
 */
export function linkedApplicationsQuery(input: LinkQueryInput): SQL {
  const column = <T>(values: (a: LinkQueryInput['applications'][number]) => T) => sql.param(input.applications.map(values));
  const keyArrays = linkKeys.flatMap((by) => [
    sql`${column((a) => a.keys[by]?.value ?? null)}::text[]`,
    sql`${column((a) => a.keys[by]?.withinDays ?? 0)}::int[]`,
  ]);
  const keyColumns = linkKeys.map((_, i) => `value_${i}, days_${i}`).join(', ');
  const branches = linkKeys.map((by, i) => {
    const window = sql.raw(`a.days_${i} * interval '86400 seconds'`);
    return sql`(select ${by}::text as by, ${applications.id} as id, ${applications.nik} as nik, (extract(epoch from ${linkTime}) * 1000)::float8 as at_ms
      from ${applications}
      where ${linkKeyColumn[by]} = ${linkKeyValueSql(by, sql.raw(`a.value_${i}`))}
        and ${linkTime} between a.at - ${window} and a.at + ${window}
        and ${applications.submittedAt} < ${input.receivedBefore.toISOString()}::timestamptz
        and ${applications.nik} <> a.nik
      order by abs(extract(epoch from ${linkTime} - a.at)), ${applications.id}
      limit ${sql.raw(String(LINK_QUERY_LIMIT))})`;
  });
  return sql`select a.app, x.* from unnest(
      ${sql.param(input.applications.map((_, i) => i))}::int[], ${column((a) => a.at.toISOString())}::timestamptz[], ${column((a) => a.excludeNik)}::text[], ${sql.join(keyArrays, sql`, `)}
    ) as a(app, at, nik, ${sql.raw(keyColumns)})
    cross join lateral (${sql.join(branches, sql` union all `)}) x`;
}

function nikOf(application: ScreenedItem): string {
  if (application.kind === 'manifest') return '';
  return application.kind === 'departure' ? application.data.traveller.nik : application.data.applicant.nik;
}

export interface LinkRow extends Record<string, unknown> {
  /** The position of the application it is linked to, in LinkQueryInput.applications. */
  app: number;
  by: LinkKey;
  id: string;
  nik: string;
  at_ms: number;
}

/** A link lookup for several applications: its query, and how its rows become each one's links. */
export interface LinkLookup {
  query: SQL;
  /** The links of each application, in the order given, as the `linked` condition reads them. */
  read(rows: readonly LinkRow[]): Array<NonNullable<ScreeningContext['links']>>;
}

/**
 * The lookup for the applications linked to each one being screened, per key the rule set asks for,
 * all in one statement; null when none of them has any of the keys. Each application's links are in
 * time order, and other travellers get opaque tokens so rules count people.
 */
export function linkLookup(
  items: ReadonlyArray<{ application: ScreenedItem; requirements: readonly LinkRequirement[] }>,
  receivedAt: Date,
  receivedBefore: Date = receivedAt,
): LinkLookup | null {
  const asked = items.map(({ application, requirements }) => {
    const keys: LinkQueryInput['applications'][number]['keys'] = {};
    for (const { by, withinDays } of requirements) {
      const value = applicationKeyValue(by, application);
      if (value !== null) keys[by] = { value, withinDays };
    }
    return { keys, at: applicationLinkTime(application, receivedAt), excludeNik: nikOf(application) };
  });
  // Only applications with a key are asked about; `queried` maps each query position back to its item.
  const queried = asked.flatMap((entry, item) => (Object.keys(entry.keys).length > 0 ? [item] : []));
  if (queried.length === 0) return null;
  return {
    query: linkedApplicationsQuery({ receivedBefore, applications: queried.map((item) => asked[item]!) }),
    read: (found) => {
      const links = asked.map(({ keys }) => {
        const own: NonNullable<ScreeningContext['links']> = {};
        for (const by of Object.keys(keys) as LinkKey[]) own[by] = [];
        return own;
      });
      const tokens = asked.map(() => new Map<string, string>());
      const rows = [...found].sort((a, b) => a.at_ms - b.at_ms || (a.id < b.id ? -1 : 1));
      for (const row of rows) {
        const item = queried[row.app]!;
        const travellers = tokens[item]!;
        let token = travellers.get(row.nik);
        if (!token) travellers.set(row.nik, (token = `t${travellers.size + 1}`));
        const linked: LinkedApplication = { applicationId: row.id, daysApart: Math.abs(row.at_ms - asked[item]!.at.getTime()) / DAY_MS, traveller: token };
        links[item]![row.by]!.push(linked);
      }
      return links;
    },
  };
}

export interface ClusterMember {
  id: string;
  kind: 'departure' | 'passport';
  officeCode: string;
  submittedAt: Date;
  departureAt: Date | null;
  linkedAt: Date;
  outcome: 'CLEAR' | 'REVIEW' | 'POSTPONE_RECOMMENDED';
  score: number;
  caseState: string | null;
  /** The keys it shares with the application asked about. */
  sharedKeys: LinkKey[];
  /** The same NIK as the application asked about (an earlier or later check of the same person). */
  sameTraveller: boolean;
}

export interface Cluster {
  application: { id: string; kind: 'departure' | 'passport'; officeCode: string; linkedAt: Date; outcome: string };
  /** The application's own key values (the employer and ticket payer as normalised keys); null when absent. */
  keys: Record<LinkKey, string | null>;
  withinDays: number;
  members: ClusterMember[];
  /** True when a key had more linked applications than one query returns. */
  truncated: boolean;
}

/** The applications sharing any key with a stored one, within ± withinDays of it, in time order. */
export async function clusterOf(db: RootDatabase, applicationId: string, withinDays: number): Promise<Cluster | null> {
  const [anchor] = await db
    .select({
      id: applications.id,
      kind: applications.kind,
      officeCode: applications.officeCode,
      outcome: applications.outcome,
      nik: applications.nik,
      linkedAt: linkTime.mapWith(applications.submittedAt),
      recruiterPhone: sql<string | null>`${linkKeyColumn.recruiterPhone}`,
      sponsorPhone: sql<string | null>`${linkKeyColumn.sponsorPhone}`,
      employer: sql<string | null>`${linkKeyColumn.employer}`,
      ticketPayer: sql<string | null>`${linkKeyColumn.ticketPayer}`,
    })
    .from(applications)
    .where(eq(applications.id, applicationId))
    .limit(1);
  if (!anchor) return null;
  const keys = { recruiterPhone: anchor.recruiterPhone, sponsorPhone: anchor.sponsorPhone, employer: anchor.employer, ticketPayer: anchor.ticketPayer };
  const from = new Date(anchor.linkedAt.getTime() - withinDays * DAY_MS).toISOString();
  const to = new Date(anchor.linkedAt.getTime() + withinDays * DAY_MS).toISOString();
  const members = new Map<string, ClusterMember>();
  let truncated = false;
  for (const by of linkKeys) {
    const value = keys[by];
    if (value === null) continue;
    const rows = await db
      .select({
        id: applications.id,
        kind: applications.kind,
        officeCode: applications.officeCode,
        submittedAt: applications.submittedAt,
        departureAt: applications.departureAt,
        linkedAt: linkTime.mapWith(applications.submittedAt),
        outcome: applications.outcome,
        score: applications.score,
        caseState: cases.state,
        nik: applications.nik,
      })
      .from(applications)
      .leftJoin(cases, eq(cases.applicationId, applications.id))
      .where(and(sql`${linkKeyColumn[by]} = ${value}`, sql`${linkTime} between ${from}::timestamptz and ${to}::timestamptz`, ne(applications.id, anchor.id)))
      .orderBy(sql`abs(extract(epoch from ${linkTime} - ${anchor.linkedAt.toISOString()}::timestamptz))`, asc(applications.id))
      .limit(LINK_QUERY_LIMIT);
    if (rows.length === LINK_QUERY_LIMIT) truncated = true;
    for (const { nik, ...row } of rows) {
      const existing = members.get(row.id);
      if (existing) existing.sharedKeys.push(by);
      else members.set(row.id, { ...row, caseState: row.caseState ?? null, sharedKeys: [by], sameTraveller: nik === anchor.nik });
    }
  }
  const ordered = [...members.values()].sort((a, b) => a.linkedAt.getTime() - b.linkedAt.getTime() || (a.id < b.id ? -1 : 1));
  return {
    application: { id: anchor.id, kind: anchor.kind, officeCode: anchor.officeCode, linkedAt: anchor.linkedAt, outcome: anchor.outcome },
    keys,
    withinDays,
    members: ordered,
    truncated,
  };
}
