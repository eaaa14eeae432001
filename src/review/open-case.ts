import type { Database } from '../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { cases, type CaseRow } from './schema';

export interface CaseSlaSettings {
  /** Departure cases must be decided this long before departure. */
  departureMarginMinutes: number;
  /** Passport cases must be decided within this many hours of opening. */
  passportSlaHours: number;
}

export interface FlaggedApplication {
  applicationId: string;
  kind: 'departure' | 'passport';
  officeCode: string;
  outcome: 'REVIEW' | 'POSTPONE_RECOMMENDED';
  score: number;
  departureAt: Date | null;
  openedAt: Date;
}

/** When a case breaches its SLA: before the flight leaves (minus a margin), or N hours after opening. */
export function slaDueAt(application: FlaggedApplication, settings: CaseSlaSettings): Date {
  if (application.kind === 'departure' && application.departureAt) {
    return new Date(application.departureAt.getTime() - settings.departureMarginMinutes * 60_000);
  }
  return new Date(application.openedAt.getTime() + settings.passportSlaHours * 3_600_000);
}

/**
 * Opens the review case for a flagged application. Call it inside the transaction that stores the
 * application and its decision, so a flagged application never exists without its case.
 */
export async function openCase(
  tx: Database,
  application: FlaggedApplication,
  settings: CaseSlaSettings,
  actor: Actor | null,
  requestId: string | null,
): Promise<CaseRow> {
  const priorityAt = application.kind === 'departure' && application.departureAt ? application.departureAt : application.openedAt;
  const [opened] = await tx
    .insert(cases)
    .values({
      applicationId: application.applicationId,
      kind: application.kind,
      officeCode: application.officeCode,
      outcome: application.outcome,
      score: application.score,
      priorityAt,
      slaDueAt: slaDueAt(application, settings),
      createdAt: application.openedAt,
    })
    .returning();
  if (!opened) throw new Error('case insert returned no row');
  await recordAudit(tx, {
    actor,
    action: 'case.opened',
    targetType: 'case',
    targetId: opened.id,
    after: { state: 'open', applicationId: application.applicationId, outcome: application.outcome },
    requestId,
  });
  return opened;
}
