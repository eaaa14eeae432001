/**
 * The network around an application, as a graph: the applications sharing a key with it within
 * ± withinDays (src/links clusterOf, office-scoped the same way), and between them edges per shared
 * key. Applications sharing one key value are chained in time order (n − 1 edges, not n²), so a
 * group of fifty stays a readable chain; applications of the same person (same NIK) are joined by
 * `person` edges and carry one opaque person token, never the NIK.
 */
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { applications } from '../applications/schema';
import type { RootDatabase } from '../db/client';
import { type Cluster, clusterOf, linkKeyColumn, linkTime } from '../links/queries';
import { cases } from '../review/schema';
import { linkKeys, type LinkKey } from '../screening/subject';
import { clusterAlerts, notificationResults } from './schema';

export const edgeKeys = [...linkKeys, 'person'] as const;
export type EdgeKey = (typeof edgeKeys)[number];

export interface NetworkNode {
  id: string;
  kind: 'departure' | 'passport';
  officeCode: string;
  outcome: 'CLEAR' | 'REVIEW' | 'POSTPONE_RECOMMENDED';
  score: number;
  submittedAt: Date;
  departureAt: Date | null;
  linkedAt: Date;
  caseId: string | null;
  caseState: string | null;
  /** Opaque per response: the same token is the same person (NIK). */
  person: string;
  /** The application asked about. */
  anchor: boolean;
}

export interface NetworkEdge {
  source: string;
  target: string;
  by: EdgeKey;
}

export interface Network {
  anchor: string;
  withinDays: number;
  nodes: NetworkNode[];
  edges: NetworkEdge[];
  /** The key values shared by at least two nodes, with how many nodes share each. */
  sharedKeys: Array<{ by: LinkKey; value: string; applications: number }>;
  otherOffices: Array<{ officeCode: string; count: number }>;
  truncated: boolean;
}

/** The graph around an application for a caller seeing `office` (null: every office); null when not visible. */
export async function networkOf(db: RootDatabase, applicationId: string, withinDays: number, office: string | null): Promise<Network | null> {
  const cluster = await clusterOf(db, applicationId, withinDays);
  if (!cluster || (office !== null && cluster.application.officeCode !== office)) return null;
  const visible = office === null ? cluster.members : cluster.members.filter((m) => m.officeCode === office);
  const elsewhere = new Map<string, number>();
  for (const m of cluster.members) if (office !== null && m.officeCode !== office) elsewhere.set(m.officeCode, (elsewhere.get(m.officeCode) ?? 0) + 1);
  const ids = [cluster.application.id, ...visible.map((m) => m.id)];
  const rows = await db
    .select({
      id: applications.id,
      kind: applications.kind,
      officeCode: applications.officeCode,
      outcome: applications.outcome,
      score: applications.score,
      submittedAt: applications.submittedAt,
      departureAt: applications.departureAt,
      linkedAt: linkTime.mapWith(applications.submittedAt),
      caseId: cases.id,
      caseState: cases.state,
      nik: applications.nik,
      recruiterPhone: sql<string | null>`${linkKeyColumn.recruiterPhone}`,
      sponsorPhone: sql<string | null>`${linkKeyColumn.sponsorPhone}`,
      employer: sql<string | null>`${linkKeyColumn.employer}`,
      ticketPayer: sql<string | null>`${linkKeyColumn.ticketPayer}`,
    })
    .from(applications)
    .leftJoin(cases, eq(cases.applicationId, applications.id))
    .where(inArray(applications.id, ids));
  rows.sort((a, b) => a.linkedAt.getTime() - b.linkedAt.getTime() || (a.id < b.id ? -1 : 1));
  const persons = new Map<string, string>();
  const nodes: NetworkNode[] = rows.map((row) => {
    let person = persons.get(row.nik);
    if (!person) persons.set(row.nik, (person = `p${persons.size + 1}`));
    return {
      id: row.id,
      kind: row.kind,
      officeCode: row.officeCode,
      outcome: row.outcome,
      score: row.score,
      submittedAt: row.submittedAt,
      departureAt: row.departureAt,
      linkedAt: row.linkedAt,
      caseId: row.caseId,
      caseState: row.caseState,
      person,
      anchor: row.id === cluster.application.id,
    };
  });
  const edges: NetworkEdge[] = [];
  const sharedKeys: Network['sharedKeys'] = [];
  const chain = (by: EdgeKey, keyOf: (row: (typeof rows)[number]) => string | null) => {
    const groups = new Map<string, string[]>();
    for (const row of rows) {
      const value = keyOf(row);
      if (value !== null) groups.set(value, [...(groups.get(value) ?? []), row.id]);
    }
    for (const [value, members] of groups) {
      if (members.length < 2) continue;
      for (let i = 1; i < members.length; i++) edges.push({ source: members[i - 1]!, target: members[i]!, by });
      if (by !== 'person') sharedKeys.push({ by, value, applications: members.length });
    }
  };
  for (const by of linkKeys) chain(by, (row) => row[by]);
  chain('person', (row) => row.nik);
  return {
    anchor: cluster.application.id,
    withinDays,
    nodes,
    edges,
    sharedKeys,
    otherOffices: [...elsewhere].sort(([a], [b]) => (a < b ? -1 : 1)).map(([officeCode, count]) => ({ officeCode, count })),
    truncated: cluster.truncated,
  };
}

/** The cluster alerts of one application (what grew its cluster, what it led to, the cluster), newest first. */
export async function alertsOf(db: RootDatabase, applicationId: string) {
  return db
    .select({
      id: clusterAlerts.id,
      triggerApplicationId: clusterAlerts.triggerApplicationId,
      result: clusterAlerts.result,
      decisionId: clusterAlerts.decisionId,
      caseId: clusterAlerts.caseId,
      evidence: clusterAlerts.evidence,
      createdAt: clusterAlerts.createdAt,
    })
    .from(clusterAlerts)
    .where(eq(clusterAlerts.memberApplicationId, applicationId))
    .orderBy(desc(clusterAlerts.createdAt), desc(clusterAlerts.id))
    .limit(50);
}

/** Unacknowledged notifications (members not re-opened) for an office, or every office; newest first. */
export async function notificationsFor(db: RootDatabase, office: string | null, limit = 100) {
  return db
    .select({
      id: clusterAlerts.id,
      applicationId: clusterAlerts.memberApplicationId,
      triggerApplicationId: clusterAlerts.triggerApplicationId,
      officeCode: clusterAlerts.officeCode,
      reason: clusterAlerts.result,
      caseId: clusterAlerts.caseId,
      evidence: clusterAlerts.evidence,
      createdAt: clusterAlerts.createdAt,
      kind: applications.kind,
      departureAt: applications.departureAt,
      existingCaseId: cases.id,
    })
    .from(clusterAlerts)
    .innerJoin(applications, eq(applications.id, clusterAlerts.memberApplicationId))
    .leftJoin(cases, eq(cases.applicationId, clusterAlerts.memberApplicationId))
    .where(and(inArray(clusterAlerts.result, [...notificationResults]), isNull(clusterAlerts.acknowledgedAt), office ? eq(clusterAlerts.officeCode, office) : undefined))
    .orderBy(desc(clusterAlerts.createdAt), desc(clusterAlerts.id))
    .limit(limit);
}

export type { Cluster };
