import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { applications } from '../applications/schema';
import { offices } from '../offices/schema';

/**
 * What happened to one earlier member of a link cluster when a later application grew it
 * (migration 0030_cluster_alerts). Unique per (member, growth): a job that runs twice alerts once.
 *
 * - case_opened: re-evaluated with the cluster, flagged, and a case opened in its office's queue
 * - case_open: re-evaluated; its case was still waiting for a person (the case now cites the cluster)
 * - still_clear: re-evaluated with the cluster and still CLEAR
 * - departed / decided: not re-opened (departure passed, or a person decided its case); a
 *   notification for its office's supervisors until acknowledged
 */
export const clusterAlertResults = ['case_opened', 'case_open', 'still_clear', 'departed', 'decided'] as const;
export type ClusterAlertResult = (typeof clusterAlertResults)[number];
export const notificationResults = ['departed', 'decided'] as const satisfies readonly ClusterAlertResult[];

export const clusterAlerts = pgTable(
  'cluster_alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberApplicationId: uuid('member_application_id')
      .notNull()
      .references(() => applications.id),
    /** The application whose screening grew the cluster. */
    triggerApplicationId: uuid('trigger_application_id')
      .notNull()
      .references(() => applications.id),
    /** The member's office: its queue, or its supervisors' notifications. */
    officeCode: text('office_code')
      .notNull()
      .references(() => offices.code),
    result: text('result').$type<ClusterAlertResult>().notNull(),
    decisionId: uuid('decision_id'),
    caseId: uuid('case_id'),
    /** The cluster: the shared keys and the linked application ids per key (no personal data beyond the keys). */
    evidence: jsonb('evidence').$type<ClusterEvidence>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedBy: text('acknowledged_by'),
  },
  (t) => [
    uniqueIndex('cluster_alerts_member_trigger_unique').on(t.memberApplicationId, t.triggerApplicationId),
    index('cluster_alerts_member_idx').on(t.memberApplicationId, t.createdAt),
    index('cluster_alerts_notifications_idx')
      .on(t.officeCode, t.createdAt.desc())
      .where(sql`${t.result} in ('departed', 'decided')`),
  ],
);

/** Per link key the trigger's screening fired on: the key value and the cluster's applications. */
export interface ClusterEvidence {
  triggerApplicationId: string;
  /** When the cluster grew (the trigger's receipt): the facts the member was evaluated with. */
  asOf: string;
  links: Array<{ by: string; value: string | null; withinDays: number; atLeast: number; travellers: number; applicationIds: string[] }>;
}

export type ClusterAlertRow = typeof clusterAlerts.$inferSelect;
