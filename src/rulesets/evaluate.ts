/**
 * Re-evaluating stored applications under a stored version: replay, backtest and re-screen all go
 * through here, so they see an application exactly as intake did: the stored normalised payload, its
 * received time (submitted_at) as the engine's "now", and the context from resolveScreeningContext
 * with that same received time and the requirements of the version being evaluated (the watchlist
 * entries in force then, the applications received before it). A replay therefore reproduces the
 * stored decision unless a watchlist entry was revoked or a linked application was stored since.
 */
import type { Database } from '../db/client';
import type { ApplicationKind, Application } from '../screening/application-schema';
import { applicationSchemas } from '../screening/application-schema';
import { resolveScreeningContext } from '../screening/context';
import type { CompiledRuleSet } from '../screening/engine';
import { createScreener, type ScreeningDecision } from '../screening/screener';
import type { ScreeningContext } from '../screening/subject';

export interface StoredApplication {
  id: string;
  kind: ApplicationKind;
  payload: unknown;
  submittedAt: Date;
  /** Where it was received: the `history` condition's "other office" is relative to it. */
  officeCode: string;
}

/**
 * The stored payload as the application intake evaluated, or null when it is not a valid application
 * (it then cannot be evaluated; backtests count it apart). The payload is used as stored, not as
 * re-parsed, so nothing about it changes between intake and replay.
 */
export function applicationOf(row: StoredApplication): Application | null {
  return applicationSchemas[row.kind].safeParse(row.payload).success ? ({ kind: row.kind, data: row.payload } as Application) : null;
}

/** The facts outside the application that `compiled` reads, resolved as intake resolves them. */
export function contextFor(db: Database, compiled: CompiledRuleSet, application: Application, row: StoredApplication): Promise<ScreeningContext | undefined> {
  return resolveScreeningContext(db, application, row.submittedAt, compiled.requirements, row.officeCode);
}

/** Whether two versions read the same outside facts (then one resolution serves both). */
export function sameRequirements(a: CompiledRuleSet, b: CompiledRuleSet): boolean {
  return a === b || JSON.stringify(a.requirements) === JSON.stringify(b.requirements);
}

/** Evaluates a stored application under a compiled version with an already resolved context. */
export function evaluateStored(compiled: CompiledRuleSet, application: Application, row: StoredApplication, context: ScreeningContext | undefined): ScreeningDecision {
  return createScreener(compiled).screen(application, row.submittedAt, context);
}
