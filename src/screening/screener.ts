/**
 * The application-facing entry point: screens one normalised application with the compiled rule set.
 */
import type { Application } from './application-schema';
import type { Evaluation } from './engine/types';

export type { Outcome, RuleHit } from './engine/types';

/** What the intake layer stores and returns for one screening. */
export type ScreeningDecision = Evaluation;

export interface Screener {
  /** Screens one application; receivedAt stands in for "now" (the engine itself has no clock). */
  screen(application: Application, receivedAt: Date): ScreeningDecision;
  readonly ruleSetVersion: string;
}
