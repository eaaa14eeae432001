/**
 * Compiles a rule set once into closures; evaluation is pure (no I/O, clock or randomness), allocates
 * little (evidence objects only for rules that fire) and never compiles a regex. What each condition
 * means lives in its operator module (./operators); this file runs the rules and adds up the score.
 */
import type { ScreeningKind } from '../application-schema';
import type { ScreeningContext, ScreeningSubject } from '../subject';
import { defaultOperators, type OperatorRegistry } from './operators/registry';
import type { Evidence, Node, Path, State } from './operators/kit';
import type { ScreeningRequirements } from './requirements';
import { type RuleSet, ruleSetVersion } from './rule-set';
import type { Evaluation, Outcome, RuleHit, SuppressedHit, Translated } from './types';

export interface CompileOptions {
  /** The grammar the rule set is written in (default: the built-in operators). */
  operators?: OperatorRegistry;
}

interface CompiledRule {
  id: string;
  weight: number;
  mustReview: boolean;
  title: Translated;
  reason: Translated;
  when: Node;
}

export interface CompiledRuleSet {
  readonly name: string;
  readonly version: string;
  readonly thresholds: { readonly review: number; readonly postpone: number };
  readonly ruleIds: readonly string[];
  /** What the `watchlist` and `linked` conditions read from the context, per application kind. */
  readonly requirements: ScreeningRequirements;
  evaluate(subject: ScreeningSubject, context?: ScreeningContext): Evaluation;
}

export class RuleSetCompileError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid rule set:\n${problems.join('\n')}`);
    this.name = 'RuleSetCompileError';
  }
}

/** Problems in a rule set given as objects (the loader reports the same checks with file:line). */
export function validateRuleSet(ruleSet: RuleSet, options: CompileOptions = {}): string[] {
  const operators = options.operators ?? defaultOperators;
  const problems: string[] = [];
  const { review, postpone } = ruleSet.thresholds;
  if (!(Number.isFinite(review) && Number.isFinite(postpone) && review > 0 && postpone >= review)) {
    problems.push(`thresholds: review must be > 0 and postpone >= review (got ${review}, ${postpone})`);
  }
  const seen = new Set<string>();
  ruleSet.rules.forEach((rule, index) => {
    if (seen.has(rule.id)) problems.push(`rules[${index}]: duplicate rule id ${rule.id}`);
    seen.add(rule.id);
    const report = (path: Path, message: string) => problems.push(`rule ${rule.id} ${path.join('.')}: ${message}`);
    operators.checkRule(rule.when, ['when'], { kinds: rule.appliesTo, lists: ruleSet.lists, report });
  });
  return problems;
}

/** Compiles a rule set once; throws RuleSetCompileError when it is invalid. */
export function compileRuleSet(ruleSet: RuleSet, options: CompileOptions = {}): CompiledRuleSet {
  const operators = options.operators ?? defaultOperators;
  const problems = validateRuleSet(ruleSet, options);
  if (problems.length > 0) throw new RuleSetCompileError(problems);
  const version = ruleSetVersion(ruleSet);
  const sorted = [...ruleSet.rules].sort((a, b) => (a.id < b.id ? -1 : 1));
  const byKind: Record<ScreeningKind, CompiledRule[]> = { departure: [], passport: [], manifest: [] };
  for (const rule of sorted) {
    const compiled: CompiledRule = {
      id: rule.id,
      weight: rule.weight,
      mustReview: rule.mustReview ?? false,
      title: rule.title,
      reason: rule.reason,
      when: operators.compile(rule.when, ruleSet.lists),
    };
    for (const kind of new Set(rule.appliesTo)) byKind[kind].push(compiled);
  }
  const { review, postpone } = ruleSet.thresholds;
  const emptyContext: ScreeningContext = {};

  return {
    name: ruleSet.name,
    version,
    thresholds: { review, postpone },
    ruleIds: sorted.map((r) => r.id),
    requirements: operators.requirements(ruleSet.rules),
    evaluate(subject, context = emptyContext) {
      const state: State = { data: subject.data, derived: subject.derived, context, norm: undefined };
      let score = 0;
      let forced = false;
      const hits: RuleHit[] = [];
      // Allowlist entries (in force at the receipt, resolved outside) drop the hits of the rules they name.
      const allowed = context.allowlist;
      let suppressed: SuppressedHit[] | undefined;
      for (const rule of byKind[subject.kind]) {
        if (!rule.when.test(state)) continue;
        const entry = allowed?.find((e) => e.suppresses.includes(rule.id));
        if (entry) {
          (suppressed ??= []).push({ ruleId: rule.id, entryId: entry.entryId, party: entry.party, validUntil: entry.validUntil, weight: rule.weight });
          continue;
        }
        score += rule.weight;
        if (rule.mustReview) forced = true;
        const evidence: Evidence = {};
        rule.when.explain(state, true, evidence);
        hits.push({ ruleId: rule.id, weight: rule.weight, mustReview: rule.mustReview, title: rule.title, reason: rule.reason, evidence });
      }
      hits.sort((a, b) => b.weight - a.weight || (a.ruleId < b.ruleId ? -1 : 1));
      const outcome: Outcome = score >= postpone ? 'POSTPONE_RECOMMENDED' : score >= review || forced ? 'REVIEW' : 'CLEAR';
      const evaluation: Evaluation = { outcome, score, hits, ruleSetVersion: version };
      if (suppressed) evaluation.suppressed = suppressed;
      return evaluation;
    },
  };
}
