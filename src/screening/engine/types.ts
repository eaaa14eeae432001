/** Result types of an evaluation; shared by the engine, the screener and the API. */

export type Outcome = 'CLEAR' | 'REVIEW' | 'POSTPONE_RECOMMENDED';

export interface Translated {
  id: string;
  en: string;
}

export interface RuleHit {
  ruleId: string;
  weight: number;
  mustReview: boolean;
  title: Translated;
  reason: Translated;
  /** The exact fields the firing condition looked at, with their values (null when absent; matched keywords for text searches). */
  evidence: Record<string, unknown>;
}

export interface Evaluation {
  outcome: Outcome;
  score: number;
  hits: RuleHit[];
  ruleSetVersion: string;
}
