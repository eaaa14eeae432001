/**
 * Link analysis: applications that share a recruiter phone, a sponsor phone, an employer (by name
 * key) or a third-party ticket payer, near each other in time. Every query here is answered by one
 * of the applications_*_link_idx indexes: (key, link time).
 *
 * The link time of an application is its departure (departure checks) or its receipt (passport
 * applications): coalesce(departure_at, submitted_at), as indexed.
 */
import { and, asc, eq, lt, ne, sql, type SQL } from 'drizzle-orm';
import type { Database, RootDatabase } from '../db/client';
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

/** The key value of an application not stored yet, computed by the same SQL functions; null when it has none. */
export function applicationKey(by: LinkKey, application: Application): SQL | null {
  const employment = application.data.employment;
  switch (by) {
    case 'recruiterPhone':
      return employment?.recruiterPhone ? sql`${employment.recruiterPhone}` : null;
    case 'sponsorPhone':
      return application.kind === 'departure' && application.data.sponsor?.phone ? sql`${application.data.sponsor.phone}` : null;
    case 'employer':
      return employment?.employerName ? sql`saring_name_key(${employment.employerName})` : null;
    case 'ticketPayer':
      return application.kind === 'departure' ? sql`saring_ticket_payer_key(${JSON.stringify(application.data)}::jsonb)` : null;
  }
}

/** The link time of an application not stored yet: its departure, or (passport applications) its receipt. */
export function applicationLinkTime(application: Application, receivedAt: Date): Date {
  return application.kind === 'departure' ? new Date(application.data.trip.departureAt) : receivedAt;
}

export interface LinkWindow {
  /** The application's link time; the window is this ± withinDays. */
  at: Date;
  withinDays: number;
  /** Only applications received before this moment (the application's own receipt). */
  receivedBefore: Date;
  /** The traveller's NIK: their own other applications are not links. */
  excludeNik: string;
}

/** The query behind the `linked` condition, for one key; exported so its plan can be checked. */
export function linkedApplicationsQuery(db: Database, by: LinkKey, key: SQL, window: LinkWindow) {
  const from = new Date(window.at.getTime() - window.withinDays * DAY_MS).toISOString();
  const to = new Date(window.at.getTime() + window.withinDays * DAY_MS).toISOString();
  return db
    .select({ id: applications.id, nik: applications.nik, linkedAt: linkTime.mapWith(applications.submittedAt) })
    .from(applications)
    .where(
      and(
        sql`${linkKeyColumn[by]} = ${key}`,
        sql`${linkTime} between ${from}::timestamptz and ${to}::timestamptz`,
        lt(applications.submittedAt, window.receivedBefore),
        ne(applications.nik, window.excludeNik),
      ),
    )
    .orderBy(sql`abs(extract(epoch from ${linkTime} - ${window.at.toISOString()}::timestamptz))`, asc(applications.id))
    .limit(LINK_QUERY_LIMIT);
}

function nikOf(application: Application): string {
  return application.kind === 'departure' ? application.data.traveller.nik : application.data.applicant.nik;
}

/**
 * The applications linked to one being screened, per key the rule set asks for, nearest in time
 * first and then listed in time order; other travellers get opaque tokens so rules count people.
 */
export async function findLinkedApplications(
  db: Database,
  application: Application,
  receivedAt: Date,
  requirements: readonly LinkRequirement[],
): Promise<NonNullable<ScreeningContext['links']>> {
  const at = applicationLinkTime(application, receivedAt);
  const excludeNik = nikOf(application);
  const tokens = new Map<string, string>();
  const links: NonNullable<ScreeningContext['links']> = {};
  for (const { by, withinDays } of requirements) {
    const key = applicationKey(by, application);
    if (!key) continue;
    const rows = await linkedApplicationsQuery(db, by, key, { at, withinDays, receivedBefore: receivedAt, excludeNik });
    const linked: (LinkedApplication & { t: number })[] = rows.map((row) => {
      let token = tokens.get(row.nik);
      if (!token) tokens.set(row.nik, (token = `t${tokens.size + 1}`));
      const t = row.linkedAt.getTime();
      return { applicationId: row.id, daysApart: Math.abs(t - at.getTime()) / DAY_MS, traveller: token, t };
    });
    linked.sort((a, b) => a.t - b.t || (a.applicationId < b.applicationId ? -1 : 1));
    links[by] = linked.map(({ t: _t, ...rest }) => rest);
  }
  return links;
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
