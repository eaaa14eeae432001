import { randomUUID } from 'node:crypto';
import type { Actor, AuditEntry } from '../audit/service';

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

export interface CaseToOpen {
  application: FlaggedApplication;
  /** Who submitted the application; null for system work. */
  actor: Actor | null;
  requestId: string | null;
}

/** The case rows for flagged applications, ids minted here so each input knows its case. */
export function caseRowsFor(toOpen: readonly CaseToOpen[], settings: CaseSlaSettings) {
  return toOpen.map(({ application }) => ({
    id: randomUUID(),
    applicationId: application.applicationId,
    kind: application.kind,
    officeCode: application.officeCode,
    outcome: application.outcome,
    score: application.score,
    priorityAt: application.kind === 'departure' && application.departureAt ? application.departureAt : application.openedAt,
    slaDueAt: slaDueAt(application, settings),
    createdAt: application.openedAt,
  }));
}

/** The `case.opened` audit record of each case row, for the actor and request that flagged it. */
export function caseOpenedAudits(rows: ReturnType<typeof caseRowsFor>, toOpen: readonly CaseToOpen[]): AuditEntry[] {
  return rows.map((row, i) => ({
    actor: toOpen[i]!.actor,
    action: 'case.opened',
    targetType: 'case',
    targetId: row.id,
    after: { state: 'open', applicationId: row.applicationId, outcome: row.outcome },
    requestId: toOpen[i]!.requestId,
  }));
}
