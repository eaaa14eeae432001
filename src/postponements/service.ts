import { and, eq, isNull } from 'drizzle-orm';
import type { RootDatabase, Transaction } from '../db/client';
import { recordAudit } from '../audit/service';
import type { Principal } from '../auth/tokens';
import { officeKindFor, officeReceives } from '../applications/admission';
import { applications } from '../applications/schema';
import { conflict, forbidden, invalidField, notFound } from '../errors';
import { offices } from '../offices/schema';
import { cases } from '../review/schema';
import type { FollowUpOutcome } from './outcomes';
import { followUpView, postponementView, type PostponementView } from './queries';
import { DEFAULT_DEADLINE_DAYS, recordPostponement } from './record';
import type { ReasonCodeValue } from './reasons';
import { postponementFollowUps, postponements } from './schema';

export interface PostponementContext {
  actor: Principal;
  /** The office the caller may see, or null for a national (headquarters) view. */
  scope: string | null;
  requestId: string;
  now: Date;
}

export interface ManualPostponementInput {
  kind: 'departure' | 'passport_issuance';
  officeCode?: string | undefined;
  applicationId?: string | undefined;
  destinationCountry?: string | undefined;
  reasonCode: ReasonCodeValue;
  note: string;
  deadline?: string | undefined;
  /** When the decision was taken, if earlier than now (a decision on paper, entered afterwards). */
  decidedAt?: Date | undefined;
}

/** Which kind of application each kind of postponement concerns (and so which office decides it: see admission). */
const applicationKindFor = { departure: 'departure', passport_issuance: 'passport' } as const;

/** How far ahead of the server clock a decision time may be, for clock drift between devices. */
const CLOCK_SKEW_MS = 5 * 60_000;

const invalid = (path: string, message: string) => invalidField(path, message);

const localDate = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

async function officeFor(tx: Transaction, input: ManualPostponementInput, ctx: PostponementContext) {
  if (ctx.scope !== null && input.officeCode !== undefined && input.officeCode !== ctx.scope) {
    throw forbidden(`You record postponements for your own office (${ctx.scope}) only`);
  }
  const code = input.officeCode ?? ctx.scope;
  if (code === null) throw invalid('officeCode', 'headquarters staff name the office the postponement was decided in');
  const [office] = await tx.select().from(offices).where(eq(offices.code, code)).limit(1);
  if (!office) throw invalid('officeCode', `unknown office ${code}`);
  const applicationKind = applicationKindFor[input.kind];
  if (!officeReceives(office.kind, applicationKind)) {
    throw invalid('officeCode', `a ${input.kind.replace('_', ' ')} postponement is decided at a ${officeKindFor[applicationKind].replace('_', ' ')}; ${code} is a ${office.kind.replace('_', ' ')}`);
  }
  return office;
}

/**
 * The application the postponement concerns, locked, with its destination. One application gets at
 * most one postponement, and one still in the review queue is decided there, not here.
 */
async function applicationFor(tx: Transaction, input: ManualPostponementInput & { applicationId: string }, officeCode: string, ctx: PostponementContext) {
  const [application] = await tx
    .select({
      id: applications.id,
      kind: applications.kind,
      officeCode: applications.officeCode,
      destinationCountry: applications.destinationCountry,
      viaCountries: applications.viaCountries,
    })
    .from(applications)
    .where(eq(applications.id, input.applicationId))
    .for('update')
    .limit(1);
  // An application in an office the caller cannot see does not exist for them.
  if (!application || (ctx.scope !== null && application.officeCode !== ctx.scope)) throw invalid('applicationId', 'no such application');
  if (application.officeCode !== officeCode) throw invalid('applicationId', `the application was made at ${application.officeCode}, not ${officeCode}`);
  if (application.kind !== applicationKindFor[input.kind]) {
    throw invalid('applicationId', `the application is a ${application.kind} application, which cannot have a ${input.kind.replace('_', ' ')} postponement`);
  }
  if (input.destinationCountry !== undefined && input.destinationCountry !== application.destinationCountry) {
    throw invalid('destinationCountry', `the application names ${application.destinationCountry} as its destination`);
  }
  const [existing] = await tx.select({ id: postponements.id }).from(postponements).where(eq(postponements.applicationId, application.id)).limit(1);
  if (existing) throw conflict('The application has already been postponed', { postponementId: existing.id });
  // The queue locks its case FOR UPDATE while deciding, so this lock orders us against a queue decision.
  const [queued] = await tx
    .select({ id: cases.id, state: cases.state })
    .from(cases)
    .where(and(eq(cases.applicationId, application.id), isNull(cases.postponementId)))
    .for('update')
    .limit(1);
  if (queued && queued.state !== 'decided') {
    throw conflict('The application has an undecided case in the review queue; decide it there', { caseId: queued.id, state: queued.state });
  }
  return application;
}

function deadlineFor(input: ManualPostponementInput, decidedAt: Date, timeZone: string): string {
  const decidedOn = localDate(decidedAt, timeZone);
  if (input.deadline === undefined) return localDate(new Date(decidedAt.getTime() + DEFAULT_DEADLINE_DAYS * 86_400_000), timeZone);
  if (input.deadline < decidedOn) throw invalid('deadline', `must be ${decidedOn} (the day of the decision) or later`);
  return input.deadline;
}

/**
 * Records a postponement decided outside the review queue, with the same rules as a queue decision:
 * a postponement reason, the note the applicant is told, the caller's own office, and four-eyes
 * offices' rule that postponements there are a supervisor's call.
 */
export async function createPostponement(db: RootDatabase, input: ManualPostponementInput, ctx: PostponementContext): Promise<PostponementView> {
  const decidedAt = input.decidedAt ?? ctx.now;
  if (decidedAt.getTime() > ctx.now.getTime() + CLOCK_SKEW_MS) throw invalid('decidedAt', 'must not be in the future');
  return db.transaction(async (tx) => {
    const office = await officeFor(tx, input, ctx);
    if (office.requiresPostponementApproval && ctx.actor.role !== 'supervisor') {
      throw forbidden(`Postponements at ${office.code} need a supervisor's approval: decide them in the review queue, or ask a supervisor to record this one`);
    }
    const application = input.applicationId ? await applicationFor(tx, { ...input, applicationId: input.applicationId }, office.code, ctx) : null;
    const destinationCountry = input.destinationCountry ?? application?.destinationCountry;
    if (!destinationCountry) throw invalid('destinationCountry', 'required when no applicationId is given');
    const row = await recordPostponement(
      tx,
      {
        kind: input.kind,
        applicationId: application?.id ?? null,
        caseId: null,
        officeCode: office.code,
        destinationCountry,
        viaCountries: application?.viaCountries ?? [],
        reasonCode: input.reasonCode,
        note: input.note,
        deadline: deadlineFor(input, decidedAt, office.timezone),
        decidedBy: ctx.actor.userId,
        decidedAt,
      },
      ctx.actor,
      ctx.requestId,
    );
    return postponementView(row, []);
  });
}

export interface FollowUpInput {
  outcome: FollowUpOutcome;
  note?: string | undefined;
}

/** Appends what happened next to a postponement. The postponement itself is never touched. */
export async function addFollowUp(db: RootDatabase, postponementId: string, input: FollowUpInput, ctx: PostponementContext) {
  return db.transaction(async (tx) => {
    const [target] = await tx
      .select({ id: postponements.id })
      .from(postponements)
      .where(and(eq(postponements.id, postponementId), ctx.scope === null ? undefined : eq(postponements.officeCode, ctx.scope)))
      .limit(1);
    if (!target) throw notFound('Postponement');
    const [row] = await tx
      .insert(postponementFollowUps)
      .values({ postponementId: target.id, outcome: input.outcome, note: input.note ?? null, recordedBy: ctx.actor.userId, recordedAt: ctx.now })
      .returning();
    if (!row) throw new Error('follow-up insert returned no row');
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'postponement.follow_up_recorded',
      targetType: 'postponement',
      targetId: target.id,
      after: { followUpId: row.id, outcome: row.outcome, note: row.note },
      requestId: ctx.requestId,
    });
    return followUpView(row);
  });
}
