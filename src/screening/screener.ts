/**
 * The application-facing entry point: screens one normalised application with the compiled rule set.
 */
import type { ScreenedItem } from './application-schema';
import { compileRuleSet, type CompiledRuleSet } from './engine/compile';
import type { ScreeningRequirements } from './engine/requirements';
import type { Evaluation } from './engine/types';
import { loadRuleSetFromDirOrThrow } from './rules/loader';
import { buildSubject, type ScreeningContext } from './subject';

export type { Outcome, RuleHit } from './engine/types';

/** What the intake layer stores and returns for one screening. */
export type ScreeningDecision = Evaluation;

/** One fixed rule-set version: what it reads from the world and how it decides. Never changes. */
export interface ScreeningVersion {
  readonly ruleSetVersion: string;
  /**
   * What the version's `watchlist` and `linked` conditions read, per application kind: resolve the
   * context with exactly these, then screen with this same version.
   */
  readonly requirements: ScreeningRequirements;
  /** Screens one application; receivedAt stands in for "now" (the engine itself has no clock). */
  screen(application: ScreenedItem, receivedAt: Date, context?: ScreeningContext): ScreeningDecision;
}

/**
 * The screener components hold. Its `ruleSetVersion`, `requirements` and `screen` follow the active
 * version and may change between two calls (a publish); a screening that resolves a context and
 * then evaluates takes `current()` once and uses that snapshot for both, so it never mixes versions.
 */
export interface Screener extends ScreeningVersion {
  current(): ScreeningVersion;
}

export function createScreener(compiled: CompiledRuleSet): Screener {
  const screener: Screener = {
    ruleSetVersion: compiled.version,
    requirements: compiled.requirements,
    screen(application, receivedAt, context) {
      const subject = buildSubject(application.kind, application.data, { receivedAt: receivedAt.toISOString() });
      return compiled.evaluate(subject, context);
    },
    current: () => screener,
  };
  return screener;
}

/** Loads, validates and compiles a rule set directory; throws RuleSetLoadError listing every problem. */
export function loadScreener(dir: string): Screener {
  return createScreener(compileRuleSet(loadRuleSetFromDirOrThrow(dir)));
}
