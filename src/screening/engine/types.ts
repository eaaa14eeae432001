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

/** A rule that fired but whose hit an allowlist entry in force at the receipt dropped. */
export interface SuppressedHit {
  ruleId: string;
  /** The allowlist entry that suppressed it. */
  entryId: string;
  /** The verified party, as the entry names it. */
  party: string;
  /** When the entry lapses (exclusive, ISO date-time). */
  validUntil: string;
  /** The weight the hit would have added. */
  weight: number;
}

export interface Evaluation {
  outcome: Outcome;
  score: number;
  hits: RuleHit[];
  ruleSetVersion: string;
  /** Present only when an allowlist entry dropped a hit: which entry suppressed which rule. */
  suppressed?: SuppressedHit[];
}
