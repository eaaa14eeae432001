/**
 * The application-facing entry point: screens one normalised application with the compiled rule set.
 */
import type { Application } from './application-schema';
import { compileRuleSet, type CompiledRuleSet } from './engine/compile';
import type { ScreeningRequirements } from './engine/requirements';
import type { Evaluation } from './engine/types';
import { loadRuleSetFromDirOrThrow } from './rules/loader';
import { buildSubject, type ScreeningContext } from './subject';

export type { Outcome, RuleHit } from './engine/types';

/** What the intake layer stores and returns for one screening. */
export type ScreeningDecision = Evaluation;

export interface Screener {
  /** Screens one application; receivedAt stands in for "now" (the engine itself has no clock). */
  screen(application: Application, receivedAt: Date, context?: ScreeningContext): ScreeningDecision;
  readonly ruleSetVersion: string;
  /**
   * What the rule set's `watchlist` and `linked` conditions read, per application kind: pass it to
   * resolveScreeningContext. Optional so screeners that predate it still type-check; a screener
   * without it gets no context, and its context conditions never fire.
   */
  readonly requirements?: ScreeningRequirements;
}

export function createScreener(compiled: CompiledRuleSet): Screener {
  return {
    ruleSetVersion: compiled.version,
    requirements: compiled.requirements,
    screen(application, receivedAt, context) {
      const subject = buildSubject(application.kind, application.data, { receivedAt: receivedAt.toISOString() });
      return compiled.evaluate(subject, context);
    },
  };
}

/** Loads, validates and compiles a rule set directory; throws RuleSetLoadError listing every problem. */
export function loadScreener(dir: string): Screener {
  return createScreener(compileRuleSet(loadRuleSetFromDirOrThrow(dir)));
}
