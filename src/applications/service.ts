import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Actor } from '../audit/service';
import { auditRow } from '../audit/service';
import { auditLog } from '../audit/schema';
import { runPrepared } from '../db/prepared';
import { insertByUnnest } from '../db/unnest';
import type { Config } from '../config';
import type { Database, RootDatabase } from '../db/client';
import { conflict } from '../errors';
import { caseOpenedAudits, caseRowsFor, type CaseSlaSettings, type CaseToOpen } from '../review/open-case';
import { databaseScreeningContext } from '../screening/context';
import { cases } from '../review/schema';
import type { ScreeningDecision } from '../screening/screener';
import type { AppDependencies } from '../deps';
import type { DepartureCheck, PassportApplication } from '../screening/application-schema';
import { routeOf } from '../screening/subject';
import { jobOutbox } from '../jobs/schema';
import { clusterAlertJobFor } from '../networks/evidence';
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
    const route = routeOf(trip);
    return {
      fullName: traveller.fullName,
      nik: traveller.nik,
      passportNumber: traveller.passportNumber,
      dateOfBirth: traveller.dateOfBirth,
      // Statistics count where the traveller ends up; the countries on the way are kept beside it.
      destinationCountry: route.destinationCountry,
      viaCountries: route.viaCountries,
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
    viaCountries: [] as string[],
    departureAt: null,
    recruiterPhone: employment?.recruiterPhone ?? null,
    sponsorPhone: null,
    employerName: employment?.employerName ?? null,
  };
}

const isUniqueViolation = (error: unknown) => (error as { code?: string })?.code === '23505' || (error as { cause?: { code?: string } })?.cause?.code === '23505';

export class IntakeService {
  private readonly db: RootDatabase;

  constructor(
    private readonly deps: Pick<AppDependencies, 'db' | 'screener' | 'config' | 'screeningContext'>,
    private readonly onScreened: (kind: Intake['kind'], decision: ScreeningDecision) => void = () => {},
  ) {
    this.db = deps.db;
  }

  /**
   * Screens and stores one application. The application, its decision and (when flagged) its review
   * case are written in one statement; a repeated Idempotency-Key returns the first result.
   */
  async submit(request: IntakeRequest): Promise<IntakeResult> {
    if (request.idempotencyKey) {
      const replay = await this.replay(request);
      if (replay) return replay;
    }
    // One version for both steps: a publish while the context is resolved must not evaluate this
    // application under rules whose context was never fetched.
    const version = this.deps.screener.current();
    const port = this.deps.screeningContext ?? databaseScreeningContext;
    const [context] = await port.resolve(this.db, [request.intake], request.receivedAt, version.requirements, request.actor.officeCode);
    const decision = version.screen(request.intake, request.receivedAt, context);
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
    const stored = await storeScreenedApplication(
      this.db,
      { ...request, decision, origin: { idempotencyKey: request.idempotencyKey, requestHash: request.requestHash } },
      slaSettingsOf(this.deps.config),
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
          ...(first.suppressed ? { suppressed: first.suppressed as NonNullable<ScreeningDecision['suppressed']> } : {}),
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
 * Writes a screened application, its decision, its audit record and (when flagged) its review case,
 * all in one statement, so a flagged application never exists without its case. Pass the pool for a
 * single request, or the transaction of a larger change (a batch chunk) it belongs to.
 */
export async function storeScreenedApplication(
  db: Database,
  input: ScreenedApplication,
  sla: CaseSlaSettings,
): Promise<{ applicationId: string; caseId: string | null }> {
  const [stored] = await storeScreenedApplications(db, [input], sla);
  if (!stored) throw new Error('application insert returned no row');
  return stored;
}

/**
 * storeScreenedApplication for many applications at once (a batch chunk), still in one statement:
 * applications, decisions, cases and audit records each go in as one multi-row insert. Results are
 * in input order.
 */
export async function storeScreenedApplications(
  db: Database,
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
  const decisionRows = inputs.map(({ decision, trigger }, i) => ({
    applicationId: rows[i]!.id,
    ruleSetVersion: decision.ruleSetVersion,
    outcome: decision.outcome,
    score: decision.score,
    hits: decision.hits,
    suppressed: decision.suppressed ?? null,
    trigger: trigger ?? 'intake',
  }));
  const screenedAudits = inputs.map(({ intake, actor, decision, requestId }, i) => ({
    actor,
    action: 'application.screened',
    targetType: 'application',
    targetId: rows[i]!.id,
    after: { kind: intake.kind, outcome: decision.outcome, score: decision.score, ruleSetVersion: decision.ruleSetVersion },
    requestId,
  }));
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
  const caseRows = caseRowsFor(flagged, sla);
  // A `linked` rule that fired grew a cluster: its earlier members are alerted by a job recorded here,
  // in the same statement, so it runs after commit or, if Redis is away, once it returns.
  const alertJobs = inputs.flatMap(({ decision }, i) => clusterAlertJobFor(rows[i]!.id, decision.hits) ?? []);
  const audits = [...screenedAudits, ...caseOpenedAudits(caseRows, flagged)].map(auditRow);
  // Sibling data-modifying CTEs: one statement, so one round trip and atomic even outside a
  // transaction. Foreign keys between them hold because they are checked when the statement ends.
  const inserts = [
    sql`screened AS (${insertByUnnest(applications, rows)})`,
    sql`decided AS (${insertByUnnest(decisions, decisionRows)})`,
    ...(caseRows.length > 0 ? [sql`opened AS (${insertByUnnest(cases, caseRows)})`] : []),
    sql`audited AS (${insertByUnnest(auditLog, audits)})`,
    ...(alertJobs.length > 0 ? [sql`alerting AS (${insertByUnnest(jobOutbox, alertJobs)})`] : []),
  ];
  const statement = `store_screened${caseRows.length > 0 ? '_with_cases' : ''}${alertJobs.length > 0 ? '_alerting' : ''}`;
  await runPrepared(db, statement, sql`WITH ${sql.join(inserts, sql`, `)} SELECT 1`);
  const caseOf = new Map(caseRows.map((row) => [row.applicationId, row.id]));
  return rows.map((row) => ({ applicationId: row.id, caseId: caseOf.get(row.id) ?? null }));
}
