/** The pure screening engine. */
import { defaultOperators, OperatorRegistry } from './operators';
import type { Rule } from './rule-set';
export { compileRuleSet, validateRuleSet, RuleSetCompileError, type CompiledRuleSet, type CompileOptions } from './compile';
export { ruleSetVersion, type Condition, type FieldCondition, type ListType, type Rule, type RuleList, type RuleSet } from './rule-set';
export { compileKeywordMatcher, normaliseText } from './text';
export {
  DEFAULT_MIN_SIMILARITY,
  type ContextRequirements,
  type LinkRequirement,
  type ScreeningRequirements,
  type WatchlistRequirement,
} from './requirements';
export type { Evaluation, Outcome, RuleHit, Translated } from './types';
export { buildSubject, type ScreeningContext, type ScreeningSubject } from '../subject';
export { builtInOperators, defaultOperators, defineOperator, OperatorRegistry, type ConditionOperator } from './operators';

/** What valid rules read from the context, per application kind (with the built-in grammar unless given another). */
export const collectRequirements = (rules: readonly Rule[], operators: OperatorRegistry = defaultOperators) => operators.requirements(rules);
