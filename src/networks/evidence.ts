/**
 * Which link clusters a decision fired on, read from its hits: the `linked:<key>` evidence the engine
 * writes for every `linked` condition it explains (src/screening/engine/compile.ts). Pure.
 */
import { linkKeyFields } from '../screening/engine/requirements';
import type { RuleHit } from '../screening/engine/types';
import { linkKeys, type LinkKey } from '../screening/subject';
import type { ClusterEvidence } from './schema';

export const CLUSTER_ALERT_JOB = 'networks.cluster-alert';

export interface ClusterAlertJob {
  /** The application whose screening made a `linked` rule fire. */
  applicationId: string;
}

interface LinkedEvidence {
  withinDays: number;
  atLeast: number;
  travellers: number;
  applicationIds: string[];
}

const isLinkedEvidence = (value: unknown): value is LinkedEvidence =>
  typeof value === 'object' && value !== null && Array.isArray((value as LinkedEvidence).applicationIds) && typeof (value as LinkedEvidence).travellers === 'number';

/**
 * The clusters the hits fired on, one per key (merged over hits): only `linked` conditions that held
 * (travellers ≥ atLeast), so a `not: linked` or an `any` branch that did not hold is no cluster.
 */
export function firedClusterLinks(hits: readonly RuleHit[]): ClusterEvidence['links'] {
  const byKey = new Map<LinkKey, ClusterEvidence['links'][number]>();
  for (const hit of hits) {
    for (const by of linkKeys) {
      const linked = hit.evidence[`linked:${by}`];
      if (!isLinkedEvidence(linked) || linked.travellers < linked.atLeast || linked.applicationIds.length === 0) continue;
      const value = hit.evidence[linkKeyFields[by]];
      const known = byKey.get(by);
      if (!known || linked.applicationIds.length > known.applicationIds.length) {
        byKey.set(by, {
          by,
          value: typeof value === 'string' ? value : null,
          withinDays: linked.withinDays,
          atLeast: linked.atLeast,
          travellers: linked.travellers,
          applicationIds: [...linked.applicationIds],
        });
      }
    }
  }
  return [...byKey.values()];
}

/** The earlier members of the clusters a decision fired on, each once. */
export function clusterMembersOf(links: ClusterEvidence['links'], exceptId: string): string[] {
  return [...new Set(links.flatMap((link) => link.applicationIds))].filter((id) => id !== exceptId);
}

/** The outbox row that alerts the earlier members of the clusters `hits` fired on; null when none fired. */
export function clusterAlertJobFor(applicationId: string, hits: readonly RuleHit[]) {
  if (firedClusterLinks(hits).length === 0) return null;
  return { name: CLUSTER_ALERT_JOB, data: { applicationId } satisfies ClusterAlertJob, jobId: `cluster-alert-${applicationId}`, attempts: 5, backoffMs: 2_000 };
}
