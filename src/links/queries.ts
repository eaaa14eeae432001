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
import type { Application } from '../screening/application-schema';
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
export function applicationKeyValue(by: LinkKey, application: Application): string | null {
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

/** The SQL turning a parameter from applicationKeyValue into the key, by the same functions as the indexes. */
function linkKeyValueSql(by: LinkKey, value: string | null): SQL {
  switch (by) {
    case 'recruiterPhone':
    case 'sponsorPhone':
      return sql`${value}::text`;
    case 'employer':
      return sql`saring_name_key(${value}::text)`;
    case 'ticketPayer':
      return sql`saring_ticket_payer_key(${value}::jsonb)`;
  }
}

/** The link time of an application not stored yet: its departure, or (passport applications) its receipt. */
export function applicationLinkTime(application: Application, receivedAt: Date): Date {
  return application.kind === 'departure' ? new Date(application.data.trip.departureAt) : receivedAt;
}

export interface LinkQueryInput {
  /** The application's link time; each key's window is this ± its withinDays. */
  at: Date;
  /** Only applications received before this moment (the application's own receipt). */
  receivedBefore: Date;
  /** The traveller's NIK: their own other applications are not links. */
  excludeNik: string;
  /** Per key, its value (see applicationKeyValue) and window; absent keys find nothing. */
  keys: Partial<Record<LinkKey, { value: string; withinDays: number }>>;
}

/**
 * The query behind the `linked` condition: one branch per key, each an index range scan on
 * (key, link time), nearest first, at most LINK_QUERY_LIMIT rows. Its text is the same whatever keys
 * are asked for (absent ones get a null key), so it is prepared once per connection; exported so its
 * plan can be checked.
 */
export function linkedApplicationsQuery(input: LinkQueryInput): SQL {
  const at = input.at.toISOString();
  const branches = linkKeys.map((by) => {
    const key = input.keys[by];
    const days = key?.withinDays ?? 0;
    const from = new Date(input.at.getTime() - days * DAY_MS).toISOString();
    const to = new Date(input.at.getTime() + days * DAY_MS).toISOString();
    return sql`(select ${by}::text as by, ${applications.id} as id, ${applications.nik} as nik, (extract(epoch from ${linkTime}) * 1000)::float8 as at_ms
      from ${applications}
      where ${linkKeyColumn[by]} = ${linkKeyValueSql(by, key?.value ?? null)}
        and ${linkTime} between ${from}::timestamptz and ${to}::timestamptz
        and ${applications.submittedAt} < ${input.receivedBefore.toISOString()}::timestamptz
        and ${applications.nik} <> ${input.excludeNik}::text
      order by abs(extract(epoch from ${linkTime} - ${at}::timestamptz)), ${applications.id}
      limit ${sql.raw(String(LINK_QUERY_LIMIT))})`;
  });
  return sql.join(branches, sql` union all `);
}

function nikOf(application: Application): string {
  return application.kind === 'departure' ? application.data.traveller.nik : application.data.applicant.nik;
}

export interface LinkRow extends Record<string, unknown> {
  by: LinkKey;
  id: string;
  nik: string;
  at_ms: number;
}

/** A link lookup: its query, and how its rows become the links rules read. */
export interface LinkLookup {
  query: SQL;
  read(rows: readonly LinkRow[]): NonNullable<ScreeningContext['links']>;
}

/**
 * The lookup for the applications linked to one being screened, per key the rule set asks for, in
 * time order (other travellers get opaque tokens so rules count people); null when it has none of
 * the keys they name.
 */
export function linkLookup(application: Application, receivedAt: Date, requirements: readonly LinkRequirement[]): LinkLookup | null {
  const keys: LinkQueryInput['keys'] = {};
  for (const { by, withinDays } of requirements) {
    const value = applicationKeyValue(by, application);
    if (value !== null) keys[by] = { value, withinDays };
  }
  if (Object.keys(keys).length === 0) return null;
  const at = applicationLinkTime(application, receivedAt);
  return {
    query: linkedApplicationsQuery({ at, receivedBefore: receivedAt, excludeNik: nikOf(application), keys }),
    read: (found) => {
      const rows = [...found].sort((a, b) => a.at_ms - b.at_ms || (a.id < b.id ? -1 : 1));
      const tokens = new Map<string, string>();
      const links: NonNullable<ScreeningContext['links']> = {};
      for (const by of Object.keys(keys) as LinkKey[]) links[by] = [];
      for (const row of rows) {
        let token = tokens.get(row.nik);
        if (!token) tokens.set(row.nik, (token = `t${tokens.size + 1}`));
        const linked: LinkedApplication = { applicationId: row.id, daysApart: Math.abs(row.at_ms - at.getTime()) / DAY_MS, traveller: token };
        links[row.by]!.push(linked);
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
