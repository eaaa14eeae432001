/**
 * Retroactive cluster alerts. When a screening makes a `linked` rule fire, the cluster it fired on has
 * grown, and its earlier members were screened before it existed. Each earlier member is looked at
 * once per growth (the unique (member, trigger) key of cluster_alerts, not luck):
 *
 * - still actionable (its departure has not passed and no person has decided its case; a passport
 *   application counts as not issued until a person decided its case, as Saring records no issuance):
 *   a new decision with trigger `cluster` supersedes its latest one, evaluated under the active rule
 *   set with the facts as of the screening that grew the cluster (so the later members are links);
 *   when that decision flags and it has no case, a case opens in its office's queue;
 * - otherwise (departed, or decided by a person): nothing is re-opened, and its office gets a
 *   notification (the cluster_alerts row) for its supervisors.
 *
 * Every member's alert is one transaction with its `cluster.alerted` audit record (a webhook event).
 * The job comes through the job outbox, recorded in the screening's own statement
 * (storeScreenedApplications), so a Redis outage delays it but never loses it.
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { AppDependencies } from '../deps';
import { applications, decisions } from '../applications/schema';
import { slaSettingsOf } from '../applications/service';
import { auditRow, recordAudit } from '../audit/service';
import { auditLog } from '../audit/schema';
import type { Transaction } from '../db/client';
import { caseOpenedAudits, caseRowsFor, type CaseToOpen } from '../review/open-case';
import { cases } from '../review/schema';
import { applicationOf } from '../rulesets/evaluate';
import { resolveScreeningContext } from '../screening/context';
import type { RuleHit } from '../screening/engine/types';
import { CLUSTER_ALERT_JOB, type ClusterAlertJob, clusterMembersOf, firedClusterLinks } from './evidence';
import { type ClusterAlertResult, clusterAlerts, type ClusterEvidence } from './schema';

/** Case states in which a person has decided (a postponement waiting for its second approval included). */
const decidedByPerson = new Set(['decided', 'pending_approval']);

export interface ClusterAlertTally {
  members: number;
  alerted: Partial<Record<ClusterAlertResult, number>>;
  /** Members this growth had already alerted (a repeated job). */
  already: number;
}

/** Alerts the earlier members of the clusters the screening of `triggerId` fired on. Safe to run again. */
export async function alertCluster(deps: Pick<AppDependencies, 'db' | 'screener' | 'config'>, triggerId: string, now: () => Date = () => new Date()): Promise<ClusterAlertTally> {
  const tally: ClusterAlertTally = { members: 0, alerted: {}, already: 0 };
  const [trigger] = await deps.db
    .select({ id: applications.id, submittedAt: applications.submittedAt })
    .from(applications)
    .where(eq(applications.id, triggerId))
    .limit(1);
  if (!trigger) return tally;
  // The screening that grew the cluster: the application's first decision (intake or batch).
  const [screened] = await deps.db
    .select({ hits: decisions.hits })
    .from(decisions)
    .where(and(eq(decisions.applicationId, triggerId), inArray(decisions.trigger, ['intake', 'batch'])))
    .orderBy(asc(decisions.createdAt), asc(decisions.id))
    .limit(1);
  if (!screened) return tally;
  const links = firedClusterLinks(screened.hits as RuleHit[]);
  // Facts as of the growth: everything received up to and including the trigger (same-millisecond batch rows too).
  const asOf = new Date(trigger.submittedAt.getTime() + 1);
  const evidence: ClusterEvidence = { triggerApplicationId: triggerId, asOf: asOf.toISOString(), links };
  for (const memberId of clusterMembersOf(links, triggerId)) {
    tally.members += 1;
    const result = await deps.db.transaction((tx) => alertMember(tx, deps, memberId, evidence, asOf, now()));
    if (result === null) tally.already += 1;
    else tally.alerted[result] = (tally.alerted[result] ?? 0) + 1;
  }
  return tally;
}

/** One member's alert, in the caller's transaction; null when this growth already alerted it. */
async function alertMember(
  tx: Transaction,
  deps: Pick<AppDependencies, 'screener' | 'config'>,
  memberId: string,
  evidence: ClusterEvidence,
  asOf: Date,
  now: Date,
): Promise<ClusterAlertResult | null> {
  // The member's row lock serialises alerts of one member (two growths at once, or a repeated job).
  const [member] = await tx
    .select({
      id: applications.id,
      kind: applications.kind,
      officeCode: applications.officeCode,
      payload: applications.payload,
      submittedAt: applications.submittedAt,
      departureAt: applications.departureAt,
    })
    .from(applications)
    .where(eq(applications.id, memberId))
    .for('update');
  if (!member) return null;
  const [done] = await tx
    .select({ id: clusterAlerts.id })
    .from(clusterAlerts)
    .where(and(eq(clusterAlerts.memberApplicationId, memberId), eq(clusterAlerts.triggerApplicationId, evidence.triggerApplicationId)))
    .limit(1);
  if (done) return null;
  const [latest] = await tx
    .select()
    .from(decisions)
    .where(eq(decisions.applicationId, memberId))
    .orderBy(desc(decisions.createdAt), desc(decisions.id))
    .limit(1);
  const [existingCase] = await tx.select({ id: cases.id, state: cases.state }).from(cases).where(eq(cases.applicationId, memberId)).limit(1);

  let result: ClusterAlertResult;
  let decisionId: string | null = null;
  let caseId: string | null = existingCase?.id ?? null;
  let outcome: string | null = null;
  const application = applicationOf(member);
  if (member.kind === 'departure' && member.departureAt && member.departureAt.getTime() <= now.getTime()) result = 'departed';
  else if (existingCase && decidedByPerson.has(existingCase.state)) result = 'decided';
  else if (!application) return null;
  else {
    // One rule-set version for the context and the evaluation (a publish in between must not mix them).
    const version = deps.screener.current();
    const context = await resolveScreeningContext(tx, application, member.submittedAt, version.requirements, member.officeCode, asOf);
    const decision = version.screen(application, member.submittedAt, context);
    outcome = decision.outcome;
    const [written] = await tx
      .insert(decisions)
      .values({
        applicationId: memberId,
        ruleSetVersion: decision.ruleSetVersion,
        outcome: decision.outcome,
        score: decision.score,
        hits: decision.hits,
        suppressed: decision.suppressed ?? null,
        trigger: 'cluster',
        supersedesDecisionId: latest?.id ?? null,
        contextAsOf: asOf,
      })
      .returning({ id: decisions.id });
    decisionId = written!.id;
    await tx
      .update(applications)
      .set({ outcome: decision.outcome, score: decision.score, ruleSetVersion: decision.ruleSetVersion })
      .where(eq(applications.id, memberId));
    if (decision.outcome !== 'CLEAR' && !existingCase) {
      const toOpen: CaseToOpen = {
        application: { applicationId: memberId, kind: member.kind, officeCode: member.officeCode, outcome: decision.outcome, score: decision.score, departureAt: member.departureAt, openedAt: now },
        actor: null,
        requestId: null,
      };
      const rows = caseRowsFor([toOpen], slaSettingsOf(deps.config));
      await tx.insert(cases).values(rows);
      await tx.insert(auditLog).values(caseOpenedAudits(rows, [toOpen]).map(auditRow));
      caseId = rows[0]!.id;
      result = 'case_opened';
    } else if (existingCase) result = 'case_open';
    else result = 'still_clear';
  }

  const [alert] = await tx
    .insert(clusterAlerts)
    .values({ memberApplicationId: memberId, triggerApplicationId: evidence.triggerApplicationId, officeCode: member.officeCode, result, decisionId, caseId, evidence })
    .returning({ id: clusterAlerts.id });
  await recordAudit(tx, {
    actor: null,
    action: 'cluster.alerted',
    targetType: 'application',
    targetId: memberId,
    before: latest ? { decisionId: latest.id, outcome: latest.outcome, score: latest.score, trigger: latest.trigger } : null,
    after: {
      clusterAlertId: alert!.id,
      triggerApplicationId: evidence.triggerApplicationId,
      officeCode: member.officeCode,
      result,
      decisionId,
      caseId,
      outcome,
      linkedBy: evidence.links.map((link) => link.by),
    },
    requestId: null,
  });
  return result;
}

/** Registers the cluster alert job (recorded in the job outbox by screenings whose `linked` rules fired). */
export function registerNetworkJobs(deps: AppDependencies): void {
  deps.jobs.register<ClusterAlertJob>(CLUSTER_ALERT_JOB, async ({ applicationId }) => {
    const tally = await alertCluster(deps, applicationId);
    if (tally.members > tally.already) deps.logger.info({ applicationId, ...tally }, 'cluster alert: earlier members looked at again');
  });
}
