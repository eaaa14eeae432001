/** The pure screening engine. */
export { compileRuleSet, validateRuleSet, RuleSetCompileError, type CompiledRuleSet } from './compile';
export { ruleSetVersion, type Condition, type FieldCondition, type ListType, type Rule, type RuleList, type RuleSet } from './rule-set';
export { compileKeywordMatcher, normaliseText } from './text';
export {
  collectRequirements,
  DEFAULT_MIN_SIMILARITY,
  type ContextRequirements,
  type LinkRequirement,
  type ScreeningRequirements,
  type WatchlistRequirement,
} from './requirements';
export type { Evaluation, Outcome, RuleHit, Translated } from './types';
export { buildSubject, type ScreeningContext, type ScreeningSubject } from '../subject';
