/**
 * Compiles a rule set once into closures; evaluation is pure (no I/O, clock or randomness), allocates
 * little (evidence objects only for rules that fire) and never compiles a regex.
 */
import type { ApplicationKind } from '../application-schema';
import type { LinkedApplication, LinkKey, ScreeningContext, ScreeningSubject, WatchlistKind, WatchlistMatch } from '../subject';
import { checkRuleCondition, type Path } from './check';
import { collectRequirements, effectiveMinSimilarity, linkKeyFields, type ScreeningRequirements } from './requirements';
import { type Condition, type FieldCondition, type RuleSet, ruleSetVersion, type Scalar } from './rule-set';
import { compileKeywordMatcher, normaliseText } from './text';
import type { Evaluation, Outcome, RuleHit, Translated } from './types';

interface State {
  data: unknown;
  derived: unknown;
  context: unknown;
  /** Normalised text per field path, computed on first use in this evaluation. */
  norm: Map<string, string> | undefined;
}

type Evidence = Record<string, unknown>;

interface Node {
  test(s: State): boolean;
  /** Records the fields (and values) that made the node evaluate to `outcome`. */
  explain(s: State, outcome: boolean, evidence: Evidence): void;
}

type Getter = (s: State) => unknown;

const step = (value: unknown, key: string): unknown =>
  value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
// One function per root, so reading the root is a plain property load rather than a keyed one.
const roots: Readonly<Record<'data' | 'derived' | 'context', Getter>> = {
  data: (s) => s.data,
  derived: (s) => s.derived,
  context: (s) => s.context,
};

function compileGetter(path: string): Getter {
  const segments = path.split('.');
  const rootName = segments[0] === 'derived' ? 'derived' : segments[0] === 'context' ? 'context' : 'data';
  const root = roots[rootName];
  const rest = rootName === 'data' ? segments : segments.slice(1);
  const [a, b, c] = rest;
  if (rest.length === 1) return (s) => step(root(s), a!);
  if (rest.length === 2) return (s) => step(step(root(s), a!), b!);
  if (rest.length === 3) return (s) => step(step(step(root(s), a!), b!), c!);
  return (s) => rest.reduce<unknown>((value, key) => step(value, key), root(s));
}

const present = (value: unknown) => value !== undefined && value !== null;
const evidenceValue = (value: unknown) => (value === undefined ? null : value);

function leaf(paths: readonly string[], getters: readonly Getter[], test: (s: State) => boolean): Node {
  return {
    test,
    explain(s, _outcome, evidence) {
      for (let i = 0; i < paths.length; i++) evidence[paths[i]!] = evidenceValue(getters[i]!(s));
    },
  };
}

function compileField(cond: FieldCondition, lists: RuleSet['lists']): Node {
  const path = cond.field;
  const get = compileGetter(path);
  const one = (test: (v: unknown) => boolean) => leaf([path], [get], (s) => test(get(s)));
  const setOf = (operand: Scalar[] | { list: string }): ReadonlySet<Scalar> =>
    new Set(Array.isArray(operand) ? operand : (lists[operand.list]?.items ?? []));
  if (cond.eq !== undefined) {
    const x = cond.eq;
    return one((v) => v === x);
  }
  if (cond.ne !== undefined) {
    const x = cond.ne;
    return one((v) => v !== x);
  }
  if (cond.gt !== undefined) {
    const x = cond.gt;
    return one((v) => typeof v === 'number' && v > x);
  }
  if (cond.gte !== undefined) {
    const x = cond.gte;
    return one((v) => typeof v === 'number' && v >= x);
  }
  if (cond.lt !== undefined) {
    const x = cond.lt;
    return one((v) => typeof v === 'number' && v < x);
  }
  if (cond.lte !== undefined) {
    const x = cond.lte;
    return one((v) => typeof v === 'number' && v <= x);
  }
  if (cond.in !== undefined) {
    const set = setOf(cond.in);
    return one((v) => set.has(v as Scalar));
  }
  if (cond.notIn !== undefined) {
    const set = setOf(cond.notIn);
    return one((v) => !set.has(v as Scalar));
  }
  if (cond.exists) return one(present);
  if (cond.missing) return one((v) => !present(v));
  throw new Error(`field condition on ${path} has no operator`);
}

function compileContainsAny(body: { field: string | string[]; list?: string; keywords?: string[] }, lists: RuleSet['lists']): Node {
  const paths = Array.isArray(body.field) ? body.field : [body.field];
  const getters = paths.map(compileGetter);
  const matcher = compileKeywordMatcher(body.keywords ?? lists[body.list ?? '']?.items ?? []);
  const normalised = (s: State, i: number): string | undefined => {
    const value = getters[i]!(s);
    if (typeof value !== 'string') return undefined;
    const path = paths[i]!;
    s.norm ??= new Map();
    let text = s.norm.get(path);
    if (text === undefined) {
      text = normaliseText(value);
      s.norm.set(path, text);
    }
    return text;
  };
  return {
    test(s) {
      for (let i = 0; i < paths.length; i++) {
        const text = normalised(s, i);
        if (text !== undefined && matcher.find(text).length > 0) return true;
      }
      return false;
    },
    explain(s, outcome, evidence) {
      for (let i = 0; i < paths.length; i++) {
        const text = normalised(s, i);
        const found = text === undefined ? [] : matcher.find(text);
        if (!outcome) evidence[paths[i]!] = evidenceValue(getters[i]!(s));
        else if (found.length > 0) evidence[paths[i]!] = found;
      }
    },
  };
}

function compileWatchlist(body: { list: WatchlistKind; field: string; minSimilarity?: number }): Node {
  const { list, field } = body;
  const min = effectiveMinSimilarity(list, field, body.minSimilarity);
  const get = compileGetter(field);
  const key = `watchlist:${list}:${field}`;
  const accepts = (m: WatchlistMatch) => m.list === list && m.field === field && m.similarity >= min;
  const entries = (s: State) => (s.context as ScreeningContext | undefined)?.watchlist ?? [];
  return {
    test: (s) => entries(s).some(accepts),
    explain(s, _outcome, evidence) {
      evidence[field] = evidenceValue(get(s));
      evidence[key] = entries(s)
        .filter(accepts)
        .sort((a, b) => b.similarity - a.similarity || (a.entryId < b.entryId ? -1 : 1))
        .map(({ entryId, entry, similarity, source }) => ({ entryId, entry, similarity, source }));
    },
  };
}

function compileLinked(body: { by: LinkKey; withinDays: number; atLeast: number }): Node {
  const { by, withinDays, atLeast } = body;
  const field = linkKeyFields[by];
  const get = compileGetter(field);
  const key = `linked:${by}`;
  const within = (s: State): LinkedApplication[] => ((s.context as ScreeningContext | undefined)?.links?.[by] ?? []).filter((l) => l.daysApart <= withinDays);
  const travellers = (linked: LinkedApplication[]) => new Set(linked.map((l) => l.traveller)).size;
  return {
    test: (s) => travellers(within(s)) >= atLeast,
    explain(s, _outcome, evidence) {
      const linked = within(s);
      evidence[field] = evidenceValue(get(s));
      evidence[key] = { withinDays, atLeast, travellers: travellers(linked), applicationIds: linked.map((l) => l.applicationId) };
    },
  };
}

function compileNode(cond: Condition, lists: RuleSet['lists']): Node {
  if ('all' in cond) {
    const children = cond.all.map((c) => compileNode(c, lists));
    return {
      test: (s) => children.every((c) => c.test(s)),
      explain(s, outcome, evidence) {
        // true: every child contributed; false: the failing children did.
        for (const child of children) if (outcome || !child.test(s)) child.explain(s, outcome, evidence);
      },
    };
  }
  if ('any' in cond) {
    const children = cond.any.map((c) => compileNode(c, lists));
    return {
      test: (s) => children.some((c) => c.test(s)),
      explain(s, outcome, evidence) {
        for (const child of children) if (!outcome || child.test(s)) child.explain(s, outcome, evidence);
      },
    };
  }
  if ('not' in cond) {
    const child = compileNode(cond.not, lists);
    return { test: (s) => !child.test(s), explain: (s, outcome, evidence) => child.explain(s, !outcome, evidence) };
  }
  if ('field' in cond) return compileField(cond, lists);
  if ('containsAny' in cond) return compileContainsAny(cond.containsAny, lists);
  if ('matches' in cond) {
    const { field, pattern, flags } = cond.matches;
    const get = compileGetter(field);
    const regex = new RegExp(pattern, (flags ?? '').replace(/[gy]/g, ''));
    return leaf([field], [get], (s) => {
      const value = get(s);
      return typeof value === 'string' && regex.test(value);
    });
  }
  if ('daysBetween' in cond) {
    const { from, to, gt, gte, lt, lte } = cond.daysBetween;
    const getFrom = compileGetter(from);
    const getTo = compileGetter(to);
    const within =
      gt !== undefined ? (d: number) => d > gt : gte !== undefined ? (d: number) => d >= gte : lt !== undefined ? (d: number) => d < lt : (d: number) => d <= lte!;
    return leaf([from, to], [getFrom, getTo], (s) => {
      const a = getFrom(s);
      const b = getTo(s);
      if (typeof a !== 'string' || typeof b !== 'string') return false;
      return within(epochDay(b) - epochDay(a));
    });
  }
  if ('anyIn' in cond) {
    const { field, list, values } = cond.anyIn;
    const set = new Set(values ?? lists[list ?? '']?.items ?? []);
    const get = compileGetter(field);
    return leaf([field], [get], (s) => {
      const value = get(s);
      return Array.isArray(value) && value.some((v) => set.has(v as string));
    });
  }
  if ('watchlist' in cond) return compileWatchlist(cond.watchlist);
  if ('linked' in cond) return compileLinked(cond.linked);
  throw new Error(`unknown condition ${JSON.stringify(cond)}`);
}

/** Calendar day number of a YYYY-MM-DD or of the date written in an ISO date-time. */
function epochDay(value: string): number {
  return Date.UTC(Number(value.slice(0, 4)), Number(value.slice(5, 7)) - 1, Number(value.slice(8, 10))) / 86_400_000;
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
export function validateRuleSet(ruleSet: RuleSet): string[] {
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
    checkRuleCondition(rule.when, ['when'], { kinds: rule.appliesTo, lists: ruleSet.lists, report });
  });
  return problems;
}

/** Compiles a rule set once; throws RuleSetCompileError when it is invalid. */
export function compileRuleSet(ruleSet: RuleSet): CompiledRuleSet {
  const problems = validateRuleSet(ruleSet);
  if (problems.length > 0) throw new RuleSetCompileError(problems);
  const version = ruleSetVersion(ruleSet);
  const sorted = [...ruleSet.rules].sort((a, b) => (a.id < b.id ? -1 : 1));
  const byKind: Record<ApplicationKind, CompiledRule[]> = { departure: [], passport: [] };
  for (const rule of sorted) {
    const compiled: CompiledRule = {
      id: rule.id,
      weight: rule.weight,
      mustReview: rule.mustReview ?? false,
      title: rule.title,
      reason: rule.reason,
      when: compileNode(rule.when, ruleSet.lists),
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
    requirements: collectRequirements(ruleSet.rules),
    evaluate(subject, context = emptyContext) {
      const state: State = { data: subject.data, derived: subject.derived, context, norm: undefined };
      let score = 0;
      let forced = false;
      const hits: RuleHit[] = [];
      for (const rule of byKind[subject.kind]) {
        if (!rule.when.test(state)) continue;
        score += rule.weight;
        if (rule.mustReview) forced = true;
        const evidence: Evidence = {};
        rule.when.explain(state, true, evidence);
        hits.push({ ruleId: rule.id, weight: rule.weight, mustReview: rule.mustReview, title: rule.title, reason: rule.reason, evidence });
      }
      hits.sort((a, b) => b.weight - a.weight || (a.ruleId < b.ruleId ? -1 : 1));
      const outcome: Outcome = score >= postpone ? 'POSTPONE_RECOMMENDED' : score >= review || forced ? 'REVIEW' : 'CLEAR';
      return { outcome, score, hits, ruleSetVersion: version };
    },
  };
}
