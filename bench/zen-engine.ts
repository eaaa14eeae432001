/**
 * The default rule set translated into a GoRules Zen decision (JSON Decision Model), for the engine
 * comparison beside json-rules-engine.
 *
 * Translated condition by condition from the loaded rule set, so it cannot drift from the YAML: one
 * decision per application kind, an expression node with one boolean ZEN expression per rule
 * (`h0`, `h1`, …), between the input and output nodes. Field comparisons become ZEN operators on the
 * `data`, `derived` and `context` roots, guarded for missing values the way our engine treats them
 * (ZEN refuses to compare null). What ZEN has no built-in for is prepared in the input, as the
 * json-rules-engine translation prepares it in dynamic facts:
 *   containsAny -> the field's text normalised by our normaliseText (Unicode folding ZEN lacks), then a
 *                  ZEN regex with the same word boundaries as our keyword matcher
 *   linked      -> travellers per link key with their nearest daysApart (ZEN has no distinct count)
 * daysBetween uses ZEN's own dates: d(to[0:9]).diff(d(from[0:9]), 'day') on the calendar dates.
 *
 * Zen is not a dependency of the project: its package lists native builds for every platform as
 * optional dependencies, and a registry that lacks some of them makes `npm ci` fail. The bench loads it
 * when installed (`npm install --no-save @gorules/zen-engine`) and says so when it is not.
 */
import type { ScreeningKind } from '../src/screening/application-schema';
import { effectiveMinSimilarity } from '../src/screening/engine/requirements';
import type { Condition, FieldCondition, RuleSet, Scalar } from '../src/screening/engine/rule-set';
import { normaliseText } from '../src/screening/engine/text';
import type { LinkedApplication, ScreeningContext, ScreeningSubject } from '../src/screening/subject';

const literal = (value: Scalar): string => {
  if (typeof value !== 'string') return String(value);
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  throw new Error(`no ZEN string literal for ${value}`);
};
const array = (values: readonly Scalar[]) => `[${values.map(literal).join(', ')}]`;
/** Regex text for Rust's regex crate, which ZEN uses: the same escapes as JavaScript for these characters. */
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function path(field: string): string {
  const [head] = field.split('.');
  return head === 'derived' || head === 'context' ? field : `data.${field}`;
}

class ZenTranslator {
  /** Fields whose normalised text the input carries, by their input key. */
  readonly normalisedFields = new Map<string, string>();

  constructor(private readonly ruleSet: RuleSet) {}

  private listItems(name: string): string[] {
    const list = this.ruleSet.lists[name];
    if (!list) throw new Error(`unknown list ${name}`);
    return list.items;
  }

  private field(cond: FieldCondition): string {
    const x = path(cond.field);
    const values = (operand: Scalar[] | { list: string }) => (Array.isArray(operand) ? operand : this.listItems(operand.list));
    const guarded = (op: string, value: number) => `(${x} != null and ${x} ${op} ${value})`;
    if (cond.eq !== undefined) return `${x} == ${literal(cond.eq)}`;
    if (cond.ne !== undefined) return `${x} != ${literal(cond.ne)}`;
    if (cond.gt !== undefined) return guarded('>', cond.gt);
    if (cond.gte !== undefined) return guarded('>=', cond.gte);
    if (cond.lt !== undefined) return guarded('<', cond.lt);
    if (cond.lte !== undefined) return guarded('<=', cond.lte);
    if (cond.in !== undefined) return `(${x} != null and ${x} in ${array(values(cond.in))})`;
    if (cond.notIn !== undefined) return `not (${x} != null and ${x} in ${array(values(cond.notIn))})`;
    if (cond.exists) return `${x} != null`;
    if (cond.missing) return `${x} == null`;
    throw new Error(`field condition on ${cond.field} has no operator`);
  }

  condition(cond: Condition): string {
    if ('all' in cond) return `(${cond.all.map((c) => this.condition(c)).join(' and ')})`;
    if ('any' in cond) return `(${cond.any.map((c) => this.condition(c)).join(' or ')})`;
    if ('not' in cond) return `not (${this.condition(cond.not)})`;
    if ('field' in cond) return this.field(cond);
    if ('containsAny' in cond) {
      const { field, list, keywords } = cond.containsAny;
      const words = [...new Set((keywords ?? this.listItems(list!)).map(normaliseText).filter(Boolean))].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
      const pattern = `(?:^| )(?:${words.map(escapeRegex).join('|')})(?: |$)`;
      const fields = Array.isArray(field) ? field : [field];
      return `(${fields
        .map((f) => {
          const key = `n${this.normalisedFields.size}`;
          const existing = [...this.normalisedFields].find(([, source]) => source === f)?.[0];
          if (!existing) this.normalisedFields.set(key, f);
          const input = `text.${existing ?? key}`;
          return `(${input} != null and matches(${input}, ${literal(pattern)}))`;
        })
        .join(' or ')})`;
    }
    if ('matches' in cond) {
      const { field, pattern, flags } = cond.matches;
      const x = path(field);
      return `(${x} != null and matches(${x}, ${literal(`${flags?.includes('i') ? '(?i)' : ''}${pattern}`)}))`;
    }
    if ('daysBetween' in cond) {
      const { from, to, gt, gte, lt, lte } = cond.daysBetween;
      const [a, b] = [path(from), path(to)];
      const days = `d(${b}[0:9]).diff(d(${a}[0:9]), 'day')`;
      const [op, value] = gt !== undefined ? ['>', gt] : gte !== undefined ? ['>=', gte] : lt !== undefined ? ['<', lt] : ['<=', lte!];
      return `(${a} != null and ${b} != null and ${days} ${op} ${value})`;
    }
    if ('anyIn' in cond) {
      const { field, list, values } = cond.anyIn;
      const x = path(field);
      return `(${x} != null and some(${x}, # in ${array(values ?? this.listItems(list!))}))`;
    }
    if ('watchlist' in cond) {
      const { list, field, minSimilarity } = cond.watchlist;
      const min = effectiveMinSimilarity(list, field, minSimilarity);
      return `(context.watchlist != null and some(context.watchlist, #.list == ${literal(list)} and #.field == ${literal(field)} and #.similarity >= ${min}))`;
    }
    if ('linked' in cond) {
      const { by, withinDays, atLeast } = cond.linked;
      return `(links.${by} != null and count(values(links.${by}), # <= ${withinDays}) >= ${atLeast})`;
    }
    if ('history' in cond) {
      const h = cond.history;
      const tests = [
        `#.of == ${literal(h.of)}`,
        `#.daysAgo <= ${h.withinDays}`,
        `${literal(h.match)} in #.matchedBy`,
        ...(h.atOtherOffice ? ['#.atOtherOffice == true'] : []),
        ...(h.kind !== undefined ? [`#.kind == ${literal(h.kind)}`] : []),
        ...(h.differentNik ? ['#.sameNik == false'] : []),
        ...(h.nikDiffersInAtMost !== undefined ? [`#.nikDigitsDifferent <= ${h.nikDiffersInAtMost}`] : []),
      ];
      return `(context.history != null and count(context.history, ${tests.join(' and ')}) >= ${h.atLeast ?? 1})`;
    }
    if ('subjectOfInterest' in cond) {
      const match = cond.subjectOfInterest.match ?? ['nik', 'passport', 'nameDob'];
      return `(context.subjectsOfInterest != null and some(context.subjectsOfInterest, #.matchedBy in ${array(match)}))`;
    }
    throw new Error(`no ZEN translation for condition ${JSON.stringify(cond)}`);
  }
}

interface ZenDecision {
  evaluate(context: unknown): Promise<{ result: Record<string, unknown> }>;
}
interface ZenEngineModule {
  ZenEngine: new () => { createDecision(content: Buffer): ZenDecision; dispose(): void };
}

/** @gorules/zen-engine when it is installed, else undefined. */
export function loadZen(): ZenEngineModule | undefined {
  try {
    // biome-ignore lint/style/noCommonJs: an optional package, loaded only if present
    return require('@gorules/zen-engine') as ZenEngineModule;
  } catch {
    return undefined;
  }
}

export interface ZenScreener {
  /** The decision graphs per kind (printable as JSON, loadable in the GoRules editor). */
  decisions: Partial<Record<ScreeningKind, unknown>>;
  ruleCount: number;
  evaluate(subject: ScreeningSubject, context: ScreeningContext | undefined): Promise<{ ruleIds: string[]; score: number }>;
  dispose(): void;
}

function graph(expressions: { key: string; value: string }[]) {
  const position = { x: 0, y: 0 };
  return {
    nodes: [
      { id: 'request', type: 'inputNode', name: 'request', position },
      { id: 'rules', type: 'expressionNode', name: 'rules', position, content: { expressions: expressions.map((e, i) => ({ id: `e${i}`, ...e })) } },
      { id: 'response', type: 'outputNode', name: 'response', position },
    ],
    edges: [
      { id: 'in', sourceId: 'request', targetId: 'rules', type: 'edge' },
      { id: 'out', sourceId: 'rules', targetId: 'response', type: 'edge' },
    ],
  };
}

/** Travellers per link key, each with the fewest days apart: what `linked` counts, without a distinct in ZEN. */
function linksByTraveller(context: ScreeningContext | undefined): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [by, linked] of Object.entries((context?.links ?? {}) as Record<string, LinkedApplication[] | undefined>)) {
    const travellers: Record<string, number> = {};
    for (const link of linked ?? []) travellers[link.traveller] = Math.min(travellers[link.traveller] ?? Infinity, link.daysApart);
    out[by] = travellers;
  }
  return out;
}

const valueAt = (root: Record<string, unknown>, field: string): unknown =>
  path(field)
    .split('.')
    .reduce<unknown>((current, key) => (current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined), root);

export function translateRuleSetToZen(ruleSet: RuleSet, zenModule: ZenEngineModule): ZenScreener {
  const translator = new ZenTranslator(ruleSet);
  const perKind = new Map<ScreeningKind, { id: string; weight: number; key: string; value: string }[]>();
  ruleSet.rules.forEach((rule, i) => {
    const value = translator.condition(rule.when);
    for (const kind of new Set(rule.appliesTo)) {
      if (!perKind.has(kind)) perKind.set(kind, []);
      perKind.get(kind)!.push({ id: rule.id, weight: rule.weight, key: `h${i}`, value });
    }
  });
  const engine = new zenModule.ZenEngine();
  const decisions: Partial<Record<ScreeningKind, unknown>> = {};
  const compiled = new Map<ScreeningKind, { decision: ZenDecision; rules: { id: string; weight: number; key: string }[] }>();
  for (const [kind, rules] of perKind) {
    decisions[kind] = graph(rules);
    compiled.set(kind, { decision: engine.createDecision(Buffer.from(JSON.stringify(decisions[kind]))), rules });
  }
  const normalised = [...translator.normalisedFields];

  return {
    decisions,
    ruleCount: ruleSet.rules.length,
    async evaluate(subject, context) {
      const decision = compiled.get(subject.kind);
      if (!decision) return { ruleIds: [], score: 0 };
      const root: Record<string, unknown> = { data: subject.data, derived: subject.derived, context: context ?? {} };
      const text: Record<string, string> = {};
      for (const [key, field] of normalised) {
        const value = valueAt(root, field);
        if (typeof value === 'string') text[key] = normaliseText(value);
      }
      const { result } = await decision.decision.evaluate({ ...root, text, links: linksByTraveller(context) });
      const ruleIds: string[] = [];
      let score = 0;
      for (const rule of decision.rules) {
        if (result[rule.key] === true) {
          ruleIds.push(rule.id);
          score += rule.weight;
        }
      }
      return { ruleIds: ruleIds.sort(), score };
    },
    dispose: () => engine.dispose(),
  };
}
