import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../audit/service';
import { recordAudits } from '../audit/service';
import type { Config } from '../config';
import type { Database, RootDatabase } from '../db/client';
import { conflict } from '../http/errors';
import { openCases, type CaseSlaSettings, type CaseToOpen } from '../review/open-case';
import { resolveScreeningContext } from '../screening/context';
import { cases } from '../review/schema';
import type { ScreeningDecision, Screener } from '../screening/screener';
import type { DepartureCheck, PassportApplication } from '../screening/application-schema';
import { applications, decisions } from './schema';

export type Intake =
  | { kind: 'departure'; data: DepartureCheck }
  | { kind: 'passport'; data: PassportApplication };

export interface IntakeResult {
  status: 200 | 201;
  body: {
    id: string;
    kind: 'departure' | 'passport';
    decision: ScreeningDecision;
    caseId: string | null;
  };
}

interface IntakeRequest {
  intake: Intake;
  actor: Actor;
  requestId: string;
  idempotencyKey: string | null;
  requestHash: string;
  /** The moment the application was received: it stands in for "now" in the pure engine. */
  receivedAt: Date;
}

/** The columns queried and linked on, lifted from the normalised payload. */
function structuredColumns(intake: Intake) {
  if (intake.kind === 'departure') {
    const { traveller, trip, employment, sponsor } = intake.data;
    return {
      fullName: traveller.fullName,
      nik: traveller.nik,
      passportNumber: traveller.passportNumber,
      dateOfBirth: traveller.dateOfBirth,
      destinationCountry: trip.destinationCountry,
      departureAt: new Date(trip.departureAt),
      recruiterPhone: employment?.recruiterPhone ?? null,
      sponsorPhone: sponsor?.phone ?? null,
      employerName: employment?.employerName ?? null,
    };
  }
  const { applicant, employment } = intake.data;
  return {
    fullName: applicant.fullName,
    nik: applicant.nik,
    passportNumber: null,
    dateOfBirth: applicant.dateOfBirth,
    destinationCountry: intake.data.intendedDestinationCountry,
    departureAt: null,
    recruiterPhone: employment?.recruiterPhone ?? null,
    sponsorPhone: null,
    employerName: employment?.employerName ?? null,
  };
}

const isUniqueViolation = (error: unknown) => (error as { code?: string })?.code === '23505' || (error as { cause?: { code?: string } })?.cause?.code === '23505';

export class IntakeService {
  constructor(
    private readonly db: RootDatabase,
    private readonly screener: Screener,
    private readonly config: Config,
    private readonly onScreened: (kind: Intake['kind'], decision: ScreeningDecision) => void = () => {},
  ) {}

  /**
   * Screens and stores one application. The application, its decision and (when flagged) its review
   * case are written in one transaction; a repeated Idempotency-Key returns the first result.
   */
  async submit(request: IntakeRequest): Promise<IntakeResult> {
    if (request.idempotencyKey) {
      const replay = await this.replay(request);
      if (replay) return replay;
    }
    const context = await resolveScreeningContext(this.db, request.intake, request.receivedAt, this.screener.requirements);
    const decision = this.screener.screen(request.intake, request.receivedAt, context);
    try {
      const stored = await this.store(request, decision);
      this.onScreened(request.intake.kind, decision);
      return stored;
    } catch (error) {
      // A concurrent request with the same key won the race: answer as its replay.
      if (request.idempotencyKey && isUniqueViolation(error)) {
        const replay = await this.replay(request);
        if (replay) return replay;
      }
      throw error;
    }
  }

  private async store(request: IntakeRequest, decision: ScreeningDecision): Promise<IntakeResult> {
    const stored = await this.db.transaction((tx) =>
      storeScreenedApplication(tx, { ...request, decision, origin: { idempotencyKey: request.idempotencyKey, requestHash: request.requestHash } }, slaSettingsOf(this.config)),
    );
    return { status: 201, body: { id: stored.applicationId, kind: request.intake.kind, decision, caseId: stored.caseId } };
  }

  /** The stored answer for a repeated key, or null when the key is new; 409 when the body differs. */
  private async replay(request: IntakeRequest): Promise<IntakeResult | null> {
    const [row] = await this.db
      .select({ application: applications, caseId: cases.id })
      .from(applications)
      .leftJoin(cases, eq(cases.applicationId, applications.id))
      .where(and(eq(applications.submittedBy, request.actor.userId), eq(applications.idempotencyKey, request.idempotencyKey!)))
      .limit(1);
    if (!row) return null;
    if (row.application.requestHash !== request.requestHash) {
      throw conflict('This Idempotency-Key was already used with a different request body');
    }
    const [first] = await this.db
      .select()
      .from(decisions)
      .where(and(eq(decisions.applicationId, row.application.id), eq(decisions.trigger, 'intake')))
      .limit(1);
    if (!first) throw new Error(`application ${row.application.id} has no intake decision`);
    return {
      status: 200,
      body: {
        id: row.application.id,
        kind: row.application.kind,
        decision: {
          outcome: first.outcome,
          score: first.score,
          hits: first.hits as ScreeningDecision['hits'],
          ruleSetVersion: first.ruleSetVersion,
        },
        caseId: row.caseId,
      },
    };
  }
}

export const slaSettingsOf = (config: Config): CaseSlaSettings => ({
  departureMarginMinutes: config.DEPARTURE_SLA_MARGIN_MINUTES,
  passportSlaHours: config.PASSPORT_SLA_HOURS,
});

export interface ScreenedApplication {
  intake: Intake;
  decision: ScreeningDecision;
  actor: Actor;
  receivedAt: Date;
  requestId: string | null;
  /** Where the application came from: an API request's idempotency key and body hash. */
  origin: { idempotencyKey: string | null; requestHash: string | null };
  /** What prompted the decision; a single request is `intake`, a row of an uploaded list `batch`. */
  trigger?: 'intake' | 'batch';
}

/**
 * Writes a screened application, its decision, its audit record and (when flagged) its review case.
 * Call it inside one transaction: single requests and batch chunks both do, so a flagged
 * application never exists without its case.
 */
export async function storeScreenedApplication(
  tx: Database,
  input: ScreenedApplication,
  sla: CaseSlaSettings,
): Promise<{ applicationId: string; caseId: string | null }> {
  const [stored] = await storeScreenedApplications(tx, [input], sla);
  if (!stored) throw new Error('application insert returned no row');
  return stored;
}

/**
 * storeScreenedApplication for many applications at once (a batch chunk): applications, decisions,
 * audit records, cases and the cases' audit records each go in as one multi-row insert. Results are
 * in input order.
 */
export async function storeScreenedApplications(
  tx: Database,
  inputs: readonly ScreenedApplication[],
  sla: CaseSlaSettings,
): Promise<Array<{ applicationId: string; caseId: string | null }>> {
  if (inputs.length === 0) return [];
  // Ids are minted here so each input knows its row without relying on RETURNING order.
  const rows = inputs.map(({ intake, actor, decision, receivedAt, origin }) => ({
    id: randomUUID(),
    kind: intake.kind,
    officeCode: actor.officeCode,
    submittedBy: actor.userId,
    submittedAt: receivedAt,
    ...structuredColumns(intake),
    payload: intake.data,
    outcome: decision.outcome,
    score: decision.score,
    ruleSetVersion: decision.ruleSetVersion,
    idempotencyKey: origin.idempotencyKey,
    requestHash: origin.requestHash,
  }));
  await tx.insert(applications).values(rows);
  await tx.insert(decisions).values(
    inputs.map(({ decision, trigger }, i) => ({
      applicationId: rows[i]!.id,
      ruleSetVersion: decision.ruleSetVersion,
      outcome: decision.outcome,
      score: decision.score,
      hits: decision.hits,
      trigger: trigger ?? 'intake',
    })),
  );
  await recordAudits(
    tx,
    inputs.map(({ intake, actor, decision, requestId }, i) => ({
      actor,
      action: 'application.screened',
      targetType: 'application',
      targetId: rows[i]!.id,
      after: { kind: intake.kind, outcome: decision.outcome, score: decision.score, ruleSetVersion: decision.ruleSetVersion },
      requestId,
    })),
  );
  const flagged = inputs.flatMap((input, i) => {
    const { outcome } = input.decision;
    if (outcome === 'CLEAR') return [];
    const application = rows[i]!;
    const toOpen: CaseToOpen = {
      application: {
        applicationId: application.id,
        kind: input.intake.kind,
        officeCode: input.actor.officeCode,
        outcome,
        score: input.decision.score,
        departureAt: application.departureAt,
        openedAt: input.receivedAt,
      },
      actor: input.actor,
      requestId: input.requestId,
    };
    return [toOpen];
  });
  const caseOf = new Map((await openCases(tx, flagged, sla)).map((opened) => [opened.applicationId, opened.id]));
  return rows.map((row) => ({ applicationId: row.id, caseId: caseOf.get(row.id) ?? null }));
}
