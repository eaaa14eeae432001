/**
 * The rule grammar: the condition operators a rule set may use, gathered in one registry. The loader
 * and the validator check conditions through it, the compiler compiles them through it, and the
 * requirements walker asks it what each condition reads from the world. Adding an operator is one
 * module (see operator.ts) and one entry in `builtInOperators`, or, for a test or an experiment,
 * `defaultOperators.with(myOperator)` passed to loadRuleSet/compileRuleSet.
 */
import { isProtectedField } from '../../field-paths';
import { personMatches, type LinkKey, type PersonMatch } from '../../subject';
import { watchlistMatchMode, type ContextRequirements, type LinkRequirement, type ScreeningRequirements, type WatchlistRequirement } from '../requirements';
import { z } from 'zod';
import type { Condition, Rule, RuleSet } from '../rule-set';
import { allOperator } from './all';
import { anyInOperator } from './any-in';
import { anyOperator } from './any';
import { containsAnyOperator } from './contains-any';
import { daysBetweenOperator } from './days-between';
import { fieldOperator } from './field';
import { isRecord, type Analysis, type CheckEnv, type Node, type Path } from './kit';
import { historyOperator } from './history';
import { linkedOperator } from './linked';
import { matchesOperator } from './matches';
import { notOperator } from './not';
import type { CompileEnv, ConditionOperator, OperatorCheckEnv, RequirementSink } from './operator';
import { subjectOfInterestOperator } from './subject-of-interest';
import { watchlistOperator } from './watchlist';

// Bodies are validated before they reach an operator, so the registry holds operators of any body.
// biome-ignore lint/suspicious/noExplicitAny: the registry holds operators of every body type
type AnyOperator = ConditionOperator<any>;

export class OperatorRegistry {
  private readonly all: AnyOperator[] = [];
  private readonly keyed = new Map<string, AnyOperator>();
  private readonly inline: AnyOperator[] = [];

  constructor(operators: readonly AnyOperator[] = []) {
    for (const operator of operators) this.register(operator);
  }

  /** Adds an operator; its key must be new. */
  register(operator: AnyOperator): this {
    if (this.all.some((o) => o.key === operator.key)) throw new Error(`condition operator "${operator.key}" is already registered`);
    this.all.push(operator);
    if (operator.inline) this.inline.push(operator);
    else this.keyed.set(operator.key, operator);
    return this;
  }

  /** A copy with more operators (the registry it was made from is unchanged). */
  with(...operators: AnyOperator[]): OperatorRegistry {
    return new OperatorRegistry([...this.operators(), ...operators]);
  }

  /** The operators in the order they were registered. */
  operators(): AnyOperator[] {
    return [...this.all];
  }

  /** "all, any, not, field (with …), …": the grammar in one line, for messages. */
  describe(): string {
    return this.operators()
      .map((o) => o.synopsis ?? o.key)
      .join(', ');
  }

  private operatorOf(condition: Record<string, unknown>): { operator: AnyOperator; body: unknown } | null {
    for (const operator of this.inline) if (operator.key in condition) return { operator, body: condition };
    const keys = Object.keys(condition);
    const operator = keys.length === 1 ? this.keyed.get(keys[0]!) : undefined;
    return operator ? { operator, body: condition[keys[0]!] } : null;
  }

  /** Checks a condition tree against the grammar; reports every problem at its path. */
  check(raw: unknown, path: Path, env: CheckEnv): Analysis {
    const kinds = this.describe();
    if (!isRecord(raw)) {
      env.report(path, `a condition must be an object (${kinds})`);
      return { protectedAlone: false };
    }
    const inline = this.inline.find((operator) => operator.key in raw);
    if (inline) return this.checkWith(inline, raw, path, env);
    const keys = Object.keys(raw);
    if (keys.length !== 1) {
      env.report(path, `a condition has exactly one of ${kinds}; found ${keys.join(', ') || 'nothing'}`);
      return { protectedAlone: false };
    }
    const key = keys[0]!;
    const operator = this.keyed.get(key);
    if (!operator) {
      env.report([...path, key], `unknown condition "${key}" (expected ${kinds})`);
      return { protectedAlone: false };
    }
    return this.checkWith(operator, raw[key], [...path, key], env);
  }

  private checkWith(operator: AnyOperator, body: unknown, path: Path, env: CheckEnv): Analysis {
    let reported = 0;
    const counted: OperatorCheckEnv = {
      kinds: env.kinds,
      lists: env.lists,
      report: (at, message) => {
        reported += 1;
        env.report(at, message);
      },
      condition: (child, at) => this.check(child, at, counted),
    };
    const analysis = operator.check ? operator.check(body, path, counted) : { protectedAlone: fieldsOf(body).length > 0 && fieldsOf(body).every(isProtectedField) };
    if (reported === 0) {
      const parsed = operator.schema.safeParse(body);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const at = [...path, ...(issue.path as Path)];
          if (issue.code === 'unrecognized_keys') for (const key of issue.keys) env.report([...at, key], `${operator.key}: unknown key "${key}"`);
          else env.report(at, `${operator.key}: ${issue.message}`);
        }
      }
    }
    return analysis;
  }

  /** Checks a rule's condition for the kinds it applies to, including the protected-attribute policy. */
  checkRule(when: unknown, path: Path, env: CheckEnv): void {
    const analysis = this.check(when, path, env);
    if (analysis.protectedAlone) {
      env.report(
        path,
        'the rule can fire on protected attributes alone (sex, age/date of birth, religion, province/regency/place of origin); combine them in an "all" with a non-protected signal',
      );
    }
  }

  /**
   * A zod schema for a rule's `when` under this grammar, for the kinds the rule applies to and the
   * manifest's lists: its issues carry the path inside the condition (the loader turns it into a line).
   */
  whenSchema(env: Omit<CheckEnv, 'report'>): z.ZodType<Condition> {
    return z
      .unknown()
      .superRefine((value, ctx) => {
        this.checkRule(value, [], { ...env, report: (path, message) => ctx.addIssue({ code: 'custom', path, message }) });
      })
      .transform((value) => value as Condition);
  }

  /** Compiles a checked condition once into a pure node. */
  compile(condition: unknown, lists: RuleSet['lists']): Node {
    const env: CompileEnv = { lists, condition: (child) => this.compile(child, lists) };
    const found = isRecord(condition) ? this.operatorOf(condition) : null;
    if (!found) throw new Error(`unknown condition ${JSON.stringify(condition)}`);
    return found.operator.compile(found.body, env);
  }

  /** What valid rules read from the context (deduplicated), per application kind. */
  requirements(rules: readonly Rule[]): ScreeningRequirements {
    const byKind = {
      departure: { watchlist: new Map<string, WatchlistRequirement>(), links: new Map<LinkKey, LinkRequirement>(), history: new Set<PersonMatch>(), subjectsOfInterest: new Set<PersonMatch>() },
      passport: { watchlist: new Map<string, WatchlistRequirement>(), links: new Map<LinkKey, LinkRequirement>(), history: new Set<PersonMatch>(), subjectsOfInterest: new Set<PersonMatch>() },
      manifest: { watchlist: new Map<string, WatchlistRequirement>(), links: new Map<LinkKey, LinkRequirement>(), history: new Set<PersonMatch>(), subjectsOfInterest: new Set<PersonMatch>() },
    };
    for (const rule of rules) {
      for (const kind of new Set(rule.appliesTo)) {
        const target = byKind[kind];
        const sink: RequirementSink = {
          watchlist: ({ list, field, minSimilarity }) => {
            const key = `${list}\u0000${field}`;
            const existing = target.watchlist.get(key);
            if (!existing) target.watchlist.set(key, { list, field, mode: watchlistMatchMode(list, field), minSimilarity });
            else existing.minSimilarity = Math.min(existing.minSimilarity, minSimilarity);
          },
          link: ({ by, withinDays }) => {
            const existing = target.links.get(by);
            if (!existing) target.links.set(by, { by, withinDays });
            else existing.withinDays = Math.max(existing.withinDays, withinDays);
          },
          history: (match) => target.history.add(match),
          subjectOfInterest: (matches) => matches.forEach((m) => target.subjectsOfInterest.add(m)),
          condition: (child) => {
            const found = isRecord(child) ? this.operatorOf(child) : null;
            found?.operator.requirements?.(found.body, sink);
          },
        };
        sink.condition(rule.when);
      }
    }
    const sorted = (k: keyof typeof byKind): ContextRequirements => ({
      watchlist: [...byKind[k].watchlist.values()].sort((a, b) => (a.list + a.field < b.list + b.field ? -1 : 1)),
      links: [...byKind[k].links.values()].sort((a, b) => (a.by < b.by ? -1 : 1)),
      history: personMatches.filter((m) => byKind[k].history.has(m)),
      subjectsOfInterest: personMatches.filter((m) => byKind[k].subjectsOfInterest.has(m)),
    });
    return { departure: sorted('departure'), passport: sorted('passport'), manifest: sorted('manifest') };
  }
}

/** The `field` (or fields) a body names, for the protected-attribute policy of operators without a check. */
function fieldsOf(body: unknown): string[] {
  if (!isRecord(body)) return [];
  const field = body.field;
  if (typeof field === 'string') return [field];
  return Array.isArray(field) ? field.filter((f): f is string => typeof f === 'string') : [];
}

/** The built-in grammar, in the order messages list it. */
export const builtInOperators: readonly AnyOperator[] = [
  allOperator,
  anyOperator,
  notOperator,
  fieldOperator,
  containsAnyOperator,
  matchesOperator,
  daysBetweenOperator,
  anyInOperator,
  watchlistOperator,
  linkedOperator,
  historyOperator,
  subjectOfInterestOperator,
];

/** The registry every rule set uses unless given another. */
export const defaultOperators = new OperatorRegistry(builtInOperators);
